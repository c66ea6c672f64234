"""What is particular to the SQL store: the driver's placeholder style, its one table made on first
use, the purge of expired rows, and clear errors for what it cannot work with."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from contractgen.runtime.stores import SqlIdempotencyStore


def _tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return [row[0] for row in rows]


def _rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT event_id, holder FROM {table}").fetchall()


# sqlite3 takes three of the five DB-API styles; psycopg's `pyformat` runs in the contract tests
@pytest.mark.parametrize("paramstyle", [None, "qmark", "named", "numeric"])
def test_each_placeholder_style(tmp_path: Path, paramstyle: str | None) -> None:
    path = tmp_path / "events.db"
    store = SqlIdempotencyStore(sqlite3.connect(path), paramstyle=paramstyle)
    event = uuid4()
    assert store.seen(event) is False
    store.mark(event)
    assert store.seen(event) is True
    assert _rows(path, "contractgen_idempotency") == [(str(event), "done")]


def test_the_table_is_created_on_first_use_under_its_name(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    connection = sqlite3.connect(path)
    store = SqlIdempotencyStore(connection, table="billing_handled_events")
    assert _tables(path) == []  # constructing does no I/O
    assert store.seen(uuid4()) is False
    assert _tables(path) == ["billing_handled_events"]
    # a second store (another process, later) finds it and shares its rows
    event = uuid4()
    store.mark(event)
    again = SqlIdempotencyStore(sqlite3.connect(path), table="billing_handled_events")
    assert again.seen(event) is True


def test_expired_rows_are_purged_by_mark(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    store = SqlIdempotencyStore(sqlite3.connect(path), ttl=0.2, claim_ttl=0.1, purge_interval=0.05)
    old, abandoned, new = uuid4(), uuid4(), uuid4()
    assert store.seen(old) is False
    store.mark(old)
    assert store.seen(abandoned) is False  # never marked nor released
    time.sleep(0.3)
    assert store.seen(new) is False
    store.mark(new)
    assert _rows(path, "contractgen_idempotency") == [(str(new), "done")]
    assert store.seen(old) is False  # expired: a redelivery this late is handled again


def test_a_failed_statement_is_rolled_back_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    connection = sqlite3.connect(path)
    store = SqlIdempotencyStore(connection)
    assert store.seen(uuid4()) is False
    connection.execute("DROP TABLE contractgen_idempotency")
    connection.commit()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        store.mark(uuid4())
    assert not connection.in_transaction


@pytest.mark.parametrize("table", ["events; DROP TABLE x", "public.events", "1events", ""])
def test_a_table_name_must_be_a_plain_identifier(tmp_path: Path, table: str) -> None:
    with pytest.raises(ValueError, match="plain SQL identifier"):
        SqlIdempotencyStore(sqlite3.connect(tmp_path / "events.db"), table=table)


def test_an_unknown_placeholder_style_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown DB-API paramstyle 'dollar'"):
        SqlIdempotencyStore(sqlite3.connect(tmp_path / "events.db"), paramstyle="dollar")


class _Wrapped:
    """A connection whose class lives in no DB-API module (a pool's proxy, say)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def cursor(self) -> sqlite3.Cursor:
        return self._connection.cursor()

    def commit(self) -> None:
        self._connection.commit()

    def rollback(self) -> None:
        self._connection.rollback()


def test_a_connection_of_no_known_driver_needs_its_paramstyle(tmp_path: Path) -> None:
    wrapped = _Wrapped(sqlite3.connect(tmp_path / "events.db"))
    with pytest.raises(ValueError, match="pass paramstyle="):
        SqlIdempotencyStore(wrapped)
    store = SqlIdempotencyStore(wrapped, paramstyle="qmark")
    assert store.seen(uuid4()) is False
