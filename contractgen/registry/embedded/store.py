"""The embedded registry's persistent state: one SQLite file.

Only storage lives here (no Avro, no compatibility): schemas with global ids, subject versions
with soft-delete flags, references, and per-subject/global settings. Every change happens inside
`Store.write()`, a `BEGIN IMMEDIATE` transaction: SQLite then serialises writers across threads
and processes, so two registrations can never allocate the same id or version, and a crash
rolls back a registration that was not committed as a whole.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from contractgen.registry.errors import store_error

GLOBAL = ""
"""The settings row key of the global compatibility level and mode (no subject is named "")."""

_DDL = """
CREATE TABLE IF NOT EXISTS schemas (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    schema_type TEXT NOT NULL,
    schema TEXT NOT NULL,
    normalized TEXT NOT NULL,
    refs TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    subject TEXT NOT NULL,
    version INTEGER NOT NULL,
    schema_id INTEGER NOT NULL REFERENCES schemas(id),
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subject, version)
);
CREATE INDEX IF NOT EXISTS versions_by_schema ON versions(schema_id);
CREATE TABLE IF NOT EXISTS refs (
    schema_id INTEGER NOT NULL REFERENCES schemas(id),
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS refs_by_target ON refs(subject, version);
CREATE TABLE IF NOT EXISTS settings (
    subject TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (subject, key)
);
"""


@dataclass(frozen=True, slots=True)
class Reference:
    """A schema reference: the named type `name` is defined by `subject` at `version`."""

    name: str
    subject: str
    version: int


@dataclass(frozen=True, slots=True)
class StoredSchema:
    id: int
    schema_type: str
    schema: str
    """The canonical string (or the normalized form when registered with normalize=true)."""
    normalized: str
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class Version:
    subject: str
    version: int
    schema_id: int
    deleted: bool


def _refs_json(references: tuple[Reference, ...]) -> str:
    return json.dumps([[r.name, r.subject, r.version] for r in references])


def _identity(schema_type: str, schema: str, references: tuple[Reference, ...]) -> str:
    # The same text with other references is another schema (its named types differ).
    raw = "\0".join((schema_type, schema, _refs_json(references)))
    return hashlib.sha256(raw.encode()).hexdigest()


class Tx:
    """The queries and changes of one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def subjects(self, *, deleted: bool) -> list[str]:
        having = "" if deleted else "WHERE deleted = 0"
        rows = self._conn.execute(
            f"SELECT DISTINCT subject FROM versions {having} ORDER BY subject"
        ).fetchall()
        return [row[0] for row in rows]

    def versions(self, subject: str, *, deleted: bool) -> list[Version]:
        """The subject's versions, oldest first."""
        where = "" if deleted else "AND deleted = 0"
        rows = self._conn.execute(
            "SELECT subject, version, schema_id, deleted FROM versions "
            f"WHERE subject = ? {where} ORDER BY version",
            (subject,),
        ).fetchall()
        return [Version(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def version(self, subject: str, version: int) -> Version | None:
        row = self._conn.execute(
            "SELECT subject, version, schema_id, deleted FROM versions "
            "WHERE subject = ? AND version = ?",
            (subject, version),
        ).fetchone()
        return None if row is None else Version(row[0], row[1], row[2], bool(row[3]))

    def versions_of_schema(self, schema_id: int, *, deleted: bool) -> list[Version]:
        where = "" if deleted else "AND deleted = 0"
        rows = self._conn.execute(
            "SELECT subject, version, schema_id, deleted FROM versions "
            f"WHERE schema_id = ? {where} ORDER BY subject, version",
            (schema_id,),
        ).fetchall()
        return [Version(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def schema(self, schema_id: int) -> StoredSchema | None:
        row = self._conn.execute(
            "SELECT id, schema_type, schema, normalized, refs FROM schemas WHERE id = ?",
            (schema_id,),
        ).fetchone()
        if row is None:
            return None
        refs = tuple(Reference(n, s, v) for n, s, v in json.loads(row[4]))
        return StoredSchema(row[0], row[1], row[2], row[3], refs)

    def existing_id(
        self, schema_type: str, schema: str, references: tuple[Reference, ...]
    ) -> int | None:
        """The global id this schema already has, if any."""
        identity = _identity(schema_type, schema, references)
        row = self._conn.execute(
            "SELECT id FROM schemas WHERE identity = ?", (identity,)
        ).fetchone()
        return None if row is None else int(row[0])

    def schema_id_for(
        self,
        schema_type: str,
        schema: str,
        normalized: str,
        references: tuple[Reference, ...],
        *,
        wanted: int | None = None,
    ) -> int:
        """The global id of this schema, allocated (and stored) on first sight.

        `wanted` (IMPORT mode) stores a new schema under that id; later allocations continue
        after the highest id, as Confluent's do after an import.
        """
        found = self.existing_id(schema_type, schema, references)
        if found is not None:
            return found
        identity = _identity(schema_type, schema, references)
        cursor = self._conn.execute(
            "INSERT INTO schemas (id, identity, schema_type, schema, normalized, refs) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (wanted, identity, schema_type, schema, normalized, _refs_json(references)),
        )
        schema_id = cursor.lastrowid
        assert schema_id is not None  # an INSERT into a rowid table always sets it
        self._conn.executemany(
            "INSERT INTO refs (schema_id, name, subject, version) VALUES (?, ?, ?, ?)",
            [(schema_id, r.name, r.subject, r.version) for r in references],
        )
        return schema_id

    def next_version(self, subject: str) -> int:
        """One more than the highest version, soft-deleted ones included (Confluent's rule)."""
        row = self._conn.execute(
            "SELECT COALESCE(MAX(version), 0) FROM versions WHERE subject = ?", (subject,)
        ).fetchone()
        return int(row[0]) + 1

    def add_version(self, subject: str, schema_id: int, version: int | None = None) -> int:
        """Append a version (or, IMPORT mode, write `version`, replacing what was there).

        Soft-deleted older versions of the same schema id are dropped, as Confluent tombstones
        them when a schema is registered again.
        """
        number = self.next_version(subject) if version is None else version
        self._conn.execute(
            "DELETE FROM versions WHERE subject = ? AND schema_id = ? AND deleted = 1 "
            "AND version < ?",
            (subject, schema_id, number),
        )
        self._conn.execute(
            "INSERT OR REPLACE INTO versions (subject, version, schema_id) VALUES (?, ?, ?)",
            (subject, number, schema_id),
        )
        return number

    def soft_delete(self, subject: str, version: int) -> None:
        self._conn.execute(
            "UPDATE versions SET deleted = 1 WHERE subject = ? AND version = ?", (subject, version)
        )

    def hard_delete(self, subject: str, version: int) -> None:
        self._conn.execute(
            "DELETE FROM versions WHERE subject = ? AND version = ?", (subject, version)
        )

    def referenced_by(self, subject: str, version: int) -> list[int]:
        """Ids of live schemas that reference this subject version."""
        rows = self._conn.execute(
            "SELECT DISTINCT r.schema_id FROM refs r JOIN versions v ON v.schema_id = r.schema_id "
            "WHERE r.subject = ? AND r.version = ? AND v.deleted = 0 ORDER BY r.schema_id",
            (subject, version),
        ).fetchall()
        return [row[0] for row in rows]

    def setting(self, subject: str, key: str) -> str | None:
        row = self._conn.execute(
            "SELECT value FROM settings WHERE subject = ? AND key = ?", (subject, key)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, subject: str, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO settings (subject, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (subject, key) DO UPDATE SET value = excluded.value",
            (subject, key, value),
        )

    def delete_setting(self, subject: str, key: str) -> None:
        self._conn.execute("DELETE FROM settings WHERE subject = ? AND key = ?", (subject, key))


class Store:
    """One SQLite file; one connection per thread (sqlite3 connections are not shareable)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._connect().executescript(_DDL)

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            conn = sqlite3.connect(
                self.path, timeout=60.0, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a committed registration survives a process crash; only an OS crash
            # may lose the last commits, never half of one.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise store_error(f"{self.path}: {exc}") from exc
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Tx]:
        conn = self._connect()
        try:
            conn.execute(begin)
        except sqlite3.Error as exc:
            raise store_error(str(exc)) from exc
        try:
            yield Tx(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise store_error(str(exc)) from exc

    def read(self) -> AbstractContextManager[Tx]:
        """A consistent snapshot for reads."""
        return self._transaction("BEGIN DEFERRED")

    def write(self) -> AbstractContextManager[Tx]:
        """The single writer: taken at BEGIN, so a check and the insert it allows are atomic."""
        return self._transaction("BEGIN IMMEDIATE")

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
