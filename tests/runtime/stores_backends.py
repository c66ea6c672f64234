"""The three shared idempotency stores behind one test interface, each on a real server (SQLite
file, PostgreSQL, Redis: see store_servers), so that the contract tests run once per backend."""

from __future__ import annotations

import abc
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from contractgen.runtime.stores import (
    AsyncRedisIdempotencyStore,
    AsyncSqlIdempotencyStore,
    RedisIdempotencyStore,
    SqlIdempotencyStore,
)

from .store_servers import PostgresServer, RedisServer

PREFIX = "contractgen:event:"
TABLE = "contractgen_idempotency"


class Backend(abc.ABC):
    """Makes stores, each on a connection (client) of its own as separate consumers have;
    closes them all at the end."""

    name = ""

    def __init__(self) -> None:
        self._closers: list[Any] = []

    @abc.abstractmethod
    def store(self, **options: Any) -> Any: ...

    @abc.abstractmethod
    def async_store(self, **options: Any) -> Any: ...

    @abc.abstractmethod
    def holder(self, event_id: UUID) -> str | None:
        """What the backend holds for the event right now, read around the store."""
        ...

    @abc.abstractmethod
    def restart(self) -> None: ...

    async def aclose(self) -> None:  # noqa: B027 - only a Redis backend has async clients
        """Close what `async_store` opened (async clients close on their event loop)."""

    def close(self) -> None:
        for close in reversed(self._closers):
            with contextlib.suppress(Exception):
                close()


class SqlBackend(Backend):
    @abc.abstractmethod
    def connect(self) -> Any: ...

    def store(self, **options: Any) -> SqlIdempotencyStore:
        return SqlIdempotencyStore(self.connect(), **options)

    def async_store(self, **options: Any) -> AsyncSqlIdempotencyStore:
        return AsyncSqlIdempotencyStore(self.connect(), **options)


class SqliteBackend(SqlBackend):
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def connect(self) -> sqlite3.Connection:
        # check_same_thread=False: the async store calls it from worker threads, one at a time
        connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._closers.append(connection.close)
        return connection

    def holder(self, event_id: UUID) -> str | None:
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            row = connection.execute(
                f"SELECT holder FROM {TABLE} WHERE event_id = ?", (str(event_id),)
            ).fetchone()
        return None if row is None else str(row[0])

    def restart(self) -> None:
        """The database is the file: every connection closes, as when all consumers stop."""
        self.close()
        self._closers.clear()


class PostgresBackend(SqlBackend):
    name = "postgres"

    def __init__(self, server: PostgresServer) -> None:
        super().__init__()
        self.server = server
        self.psycopg = pytest.importorskip("psycopg", reason="pip install 'contractgen[postgres]'")

    def connect(self) -> Any:
        connection = self.psycopg.connect(self.server.dsn)
        self._closers.append(connection.close)
        return connection

    def holder(self, event_id: UUID) -> str | None:
        with self.psycopg.connect(self.server.dsn) as connection:
            row = connection.execute(
                f"SELECT holder FROM {TABLE} WHERE event_id = %s", (str(event_id),)
            ).fetchone()
        return None if row is None else str(row[0])

    def restart(self) -> None:
        """A crash (immediate stop: no checkpoint) and a start, which recovers from the WAL."""
        self.server.stop("immediate")
        self.server.start()


class RedisBackend(Backend):
    name = "redis"

    def __init__(self, server: RedisServer) -> None:
        super().__init__()
        self.server = server
        self.redis = pytest.importorskip("redis", reason="pip install 'contractgen[redis]'")
        self._async_clients: list[Any] = []

    def store(self, **options: Any) -> RedisIdempotencyStore:
        client = self.redis.Redis.from_url(self.server.url)
        self._closers.append(client.close)
        return RedisIdempotencyStore(client, **options)

    def async_store(self, **options: Any) -> AsyncRedisIdempotencyStore:
        client = self.redis.asyncio.Redis.from_url(self.server.url)
        self._async_clients.append(client)
        return AsyncRedisIdempotencyStore(client, **options)

    def holder(self, event_id: UUID) -> str | None:
        client = self.redis.Redis.from_url(self.server.url, decode_responses=True)
        try:
            value = client.get(f"{PREFIX}{event_id}")
        finally:
            client.close()
        return None if value is None else str(value)

    def restart(self) -> None:
        """kill -9 and a start: what was acknowledged is in the fsynced append-only file."""
        self.server.kill()
        self.server.start()

    async def aclose(self) -> None:
        for client in self._async_clients:
            await client.aclose()
        self._async_clients.clear()


@contextlib.contextmanager
def opened(backend: Backend) -> Iterator[Backend]:
    try:
        yield backend
    finally:
        backend.close()
