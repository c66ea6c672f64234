"""An idempotency store in SQLite: how a durable (SQL) store plugs into the consumer."""

import sqlite3
import time
from uuid import UUID


class SqliteIdempotencyStore:
    def __init__(self, path: str, *, ttl: float = 3600.0) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._ttl = ttl
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS handled_events (event_id TEXT PRIMARY KEY, expires_at REAL)"
        )

    def seen(self, event_id: UUID) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM handled_events WHERE event_id = ? AND expires_at > ?",
            (str(event_id), time.time()),
        ).fetchone()
        return row is not None

    def mark(self, event_id: UUID) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO handled_events VALUES (?, ?)",
            (str(event_id), time.time() + self._ttl),
        )
