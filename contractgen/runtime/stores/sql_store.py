"""Idempotency in a SQL database through a DB-API 2 connection: SQLite (the standard library's
``sqlite3``) or PostgreSQL (``psycopg``, the ``postgres`` extra), or any database that knows
``INSERT ... ON CONFLICT`` (both do; MySQL does not).

One table, created on first use: an event id, who holds it (a claim token or ``done``) and when
that expires (epoch milliseconds of the consumers' clocks: keep them in step, as NTP does, to
well under `claim_ttl`). The claim is a single upsert that takes the row only when it is absent
or expired; the primary key makes it atomic, so of two consumers racing on one event exactly one
handles it (see `claim` for the waiting side). Expired rows are deleted by `mark`, at most once
per `purge_interval` seconds.

This module imports no driver: the connection is the caller's. Given a function that opens one
instead (``lambda: psycopg.connect(dsn)``), the store opens its own and, when the database drops
it (a restart, a failover), opens a new one and runs the statement once more: every statement is
safe to repeat (see `_Sql.run`).
"""

import asyncio
import re
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, Protocol, TypeVar, cast
from uuid import UUID

from contractgen.runtime.stores.claim import (
    DEFAULT_CLAIM_TTL,
    DEFAULT_TTL,
    DONE,
    ClaimState,
    claim_or_wait,
    claim_or_wait_async,
    milliseconds,
    new_token,
)

_T = TypeVar("_T")
_TABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,47}")
# The statements with qmark placeholders; `_Sql` rewrites them to the driver's paramstyle.
_CREATE = (
    "CREATE TABLE IF NOT EXISTS {t} (event_id VARCHAR(36) PRIMARY KEY, "
    "holder VARCHAR(64) NOT NULL, expires_at BIGINT NOT NULL)"
)
_INDEX = "CREATE INDEX IF NOT EXISTS {t}_expires_at ON {t} (expires_at)"
_UPSERT = (
    "INSERT INTO {t} (event_id, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (event_id) "
    "DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at"
)
_CLAIM = _UPSERT + " WHERE {t}.expires_at <= ?"
_HOLDER = "SELECT holder FROM {t} WHERE event_id = ? AND expires_at > ?"
_RELEASE = "DELETE FROM {t} WHERE event_id = ? AND holder = ?"
_PURGE = "DELETE FROM {t} WHERE expires_at <= ?"


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def execute(self, operation: str, parameters: Any = ..., /) -> object: ...

    def fetchone(self) -> Any: ...

    def close(self) -> None: ...


class Connection(Protocol):
    """A DB-API 2 connection (``sqlite3.Connection``, ``psycopg.Connection``, ...)."""

    def cursor(self) -> Cursor: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...


ConnectionSource = Connection | Callable[[], Connection]
"""A connection, or a function that opens one (the store then reconnects by itself)."""

# DB-API 2's classes for "the database's operation failed, e.g. an unexpected disconnect" and
# "the interface failed" (a closed connection), matched by name as the driver is the caller's
_CONNECTION_ERRORS = {"OperationalError", "InterfaceError"}


def _lost_connection(error: BaseException) -> bool:
    return any(cls.__name__ in _CONNECTION_ERRORS for cls in type(error).__mro__)


def _paramstyle(connection: Connection) -> str:
    """The DB-API module attribute `paramstyle` of the connection's driver."""
    module = type(connection).__module__
    while module:
        style = getattr(sys.modules.get(module), "paramstyle", None)
        if isinstance(style, str):
            return style
        module = module.rpartition(".")[0]
    raise ValueError(
        f"cannot tell the placeholder style of {type(connection).__qualname__} connections: "
        "pass paramstyle= ('qmark', 'numeric', 'named', 'format' or 'pyformat')"
    )


class _Sql:
    """The statements of one table in one driver's placeholder style, and their execution in
    short transactions, one at a time (a DB-API connection is not for concurrent use)."""

    def __init__(self, source: ConnectionSource, table: str, paramstyle: str | None) -> None:
        if not _TABLE.fullmatch(table):
            raise ValueError(f"table {table!r} is not a plain SQL identifier")
        # a connection has cursor(), commit(), ...; a function that opens one has not (sqlite3's
        # connections are callable, so callable() cannot tell them apart)
        if hasattr(source, "cursor"):
            self._connect: Callable[[], Connection] | None = None
            self._connection: Connection = cast(Connection, source)
        else:
            self._connect = source
            self._connection = self._connect()
        self.style = paramstyle or _paramstyle(self._connection)
        if self.style not in {"qmark", "numeric", "named", "format", "pyformat"}:
            raise ValueError(f"unknown DB-API paramstyle {self.style!r}")
        self._table = table
        self._lock = threading.Lock()
        self._created = False

    def statement(self, template: str) -> str:
        parts = template.format(t=self._table).split("?")
        return parts[0] + "".join(self._mark(i) + part for i, part in enumerate(parts[1:], 1))

    def _mark(self, number: int) -> str:
        """The placeholder of the `number`th parameter (from 1)."""
        if self.style == "qmark":
            return "?"
        if self.style == "numeric":
            return f":{number}"
        return f":p{number}" if self.style == "named" else "%s"

    def parameters(self, values: tuple[object, ...]) -> object:
        return {f"p{i}": v for i, v in enumerate(values, 1)} if self.style == "named" else values

    def run(self, statements: Callable[[Cursor], _T]) -> _T:
        """`statements` in one transaction. With a function to connect, a lost connection is
        replaced and the transaction run once more: each of the store's transactions may run
        twice (a claim whose commit was lost in the disconnect then finds its own claim and
        waits it out, which delays the event but never handles it twice)."""
        with self._lock:
            try:
                return self._transaction(statements)
            except Exception as error:
                if self._connect is None or not _lost_connection(error):
                    raise
                with suppress(Exception):
                    self._connection.close()
                self._connection = self._connect()
                return self._transaction(statements)

    def _transaction(self, statements: Callable[[Cursor], _T]) -> _T:
        connection = self._connection
        if not self._created:
            self._create(connection)
        cursor = connection.cursor()
        try:
            result = statements(cursor)
            connection.commit()
            return result
        except BaseException:
            # a lost connection cannot roll back: its own error says what happened
            with suppress(Exception):
                connection.rollback()
            raise
        finally:
            with suppress(Exception):
                cursor.close()

    def _create(self, connection: Connection) -> None:
        # Twice: PostgreSQL can fail one of two concurrent CREATE ... IF NOT EXISTS (a unique
        # violation in its catalog); the retry then finds the table. The error class is the
        # driver's, hence the broad except.
        for attempt in (1, 2):
            cursor = connection.cursor()
            try:
                cursor.execute(self.statement(_CREATE))
                cursor.execute(self.statement(_INDEX))
                connection.commit()
            except Exception:
                connection.rollback()
                if attempt == 2:
                    raise
            else:
                self._created = True
                return
            finally:
                cursor.close()


def _now_ms() -> int:
    return round(time.time() * 1000)


class _SqlStore:
    """The options and the three operations, shared by the sync and the async store."""

    def __init__(
        self,
        connection: ConnectionSource,
        *,
        table: str = "contractgen_idempotency",
        ttl: float = DEFAULT_TTL,
        claim_ttl: float = DEFAULT_CLAIM_TTL,
        purge_interval: float = 60.0,
        paramstyle: str | None = None,
    ) -> None:
        self._sql = _Sql(connection, table, paramstyle)
        self._ttl_ms, self._claim_ms = milliseconds(ttl, claim_ttl)
        self._token = new_token()
        self._purge_ms = round(purge_interval * 1000)
        self._purged_at = 0
        self._claim_sql = self._sql.statement(_CLAIM)
        self._holder_sql = self._sql.statement(_HOLDER)
        self._upsert_sql = self._sql.statement(_UPSERT)
        self._release_sql = self._sql.statement(_RELEASE)
        self._purge_sql = self._sql.statement(_PURGE)

    def _try_claim(self, event_id: UUID) -> ClaimState:
        now, bind = _now_ms(), self._sql.parameters

        def claim(cursor: Cursor) -> ClaimState:
            cursor.execute(
                self._claim_sql, bind((str(event_id), self._token, now + self._claim_ms, now))
            )
            if cursor.rowcount == 1:
                return ClaimState.CLAIMED
            cursor.execute(self._holder_sql, bind((str(event_id), now)))
            row = cursor.fetchone()
            return ClaimState.DONE if row is not None and row[0] == DONE else ClaimState.BUSY

        return self._sql.run(claim)

    def _mark_done(self, event_id: UUID) -> None:
        now, bind = _now_ms(), self._sql.parameters

        def mark(cursor: Cursor) -> None:
            cursor.execute(self._upsert_sql, bind((str(event_id), DONE, now + self._ttl_ms)))
            if now - self._purged_at >= self._purge_ms:
                cursor.execute(self._purge_sql, bind((now,)))
                self._purged_at = now

        self._sql.run(mark)

    def _drop_claim(self, event_id: UUID) -> None:
        parameters = self._sql.parameters((str(event_id), self._token))
        self._sql.run(lambda cursor: cursor.execute(self._release_sql, parameters))


class SqlIdempotencyStore(_SqlStore):
    """Event ids in a SQL table, shared by every consumer that uses the same database and table.

    `seen` claims the event for `claim_ttl` seconds (or waits while another consumer holds it),
    `mark` turns the claim into a done row kept `ttl` seconds, `release` drops the claim of an
    event whose handler failed, so that a retry needn't wait for it to expire. Each call is one
    short transaction, committed on the given connection (give the store a connection of its
    own), or on one the store opens with the given function and opens again when the database
    drops it. The placeholder style is the driver module's `paramstyle` unless given.
    """

    def seen(self, event_id: UUID) -> bool:
        return claim_or_wait(event_id, lambda: self._try_claim(event_id))

    def mark(self, event_id: UUID) -> None:
        self._mark_done(event_id)

    def release(self, event_id: UUID) -> None:
        self._drop_claim(event_id)


class AsyncSqlIdempotencyStore(_SqlStore):
    """`SqlIdempotencyStore` for the async consumer: the same DB-API calls, each in a worker
    thread so that the event loop never waits on the database (for SQLite, connect with
    ``check_same_thread=False``; the store never uses the connection from two threads at once).
    """

    async def seen(self, event_id: UUID) -> bool:
        return await claim_or_wait_async(
            event_id, lambda: asyncio.to_thread(self._try_claim, event_id)
        )

    async def mark(self, event_id: UUID) -> None:
        await asyncio.to_thread(self._mark_done, event_id)

    async def release(self, event_id: UUID) -> None:
        await asyncio.to_thread(self._drop_claim, event_id)
