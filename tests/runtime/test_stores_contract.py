"""What every shared idempotency store guarantees, on each real backend (SQLite file, PostgreSQL,
Redis): an event is claimed by exactly one of the consumers racing on it, a done event is skipped,
an unfinished claim never makes an event done (it is released, or it expires), and claims and
done marks survive a restart of the server."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from contractgen.runtime.stores import AsyncSqlIdempotencyStore, SqlIdempotencyStore

from .store_servers import PostgresServer, RedisServer, postgres_server, redis_server
from .stores_backends import (
    Backend,
    PostgresBackend,
    RedisBackend,
    SqliteBackend,
    opened,
)

RACES = 100


@pytest.fixture(scope="module")
def redis_srv() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(scope="module")
def postgres_srv() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    made: Backend
    if request.param == "sqlite":
        made = SqliteBackend(tmp_path / "idempotency.db")
    elif request.param == "postgres":
        made = PostgresBackend(request.getfixturevalue("postgres_srv"))
    else:
        made = RedisBackend(request.getfixturevalue("redis_srv"))
    with opened(made):
        yield made


@pytest.fixture(params=["sqlite", "postgres"])
def sql_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    made: Backend
    if request.param == "sqlite":
        made = SqliteBackend(tmp_path / "idempotency.db")
    else:
        made = PostgresBackend(request.getfixturevalue("postgres_srv"))
    with opened(made):
        yield made


def test_an_event_is_claimed_marked_then_skipped(backend: Backend) -> None:
    first, second = backend.store(), backend.store()
    event = uuid4()
    assert first.seen(event) is False  # claimed: handle it
    assert (backend.holder(event) or "").startswith("claim:")
    first.mark(event)
    assert backend.holder(event) == "done"
    assert second.seen(event) is True
    assert first.seen(event) is True
    assert second.seen(uuid4()) is False


def test_release_lets_another_consumer_take_the_event_at_once(backend: Backend) -> None:
    failed, retrying = backend.store(claim_ttl=60), backend.store(claim_ttl=60)
    event = uuid4()
    assert failed.seen(event) is False
    failed.release(event)  # the handler failed: the event is not done
    assert backend.holder(event) is None
    started = time.monotonic()
    assert retrying.seen(event) is False
    assert time.monotonic() - started < 30  # not the claim's 60 s


def test_release_drops_neither_a_done_mark_nor_another_consumers_claim(backend: Backend) -> None:
    slow, other = backend.store(claim_ttl=0.3), backend.store(claim_ttl=60)
    event = uuid4()
    assert slow.seen(event) is False
    assert other.seen(event) is False  # after the slow consumer's claim expired
    slow.release(event)  # its handler fails, late
    assert (backend.holder(event) or "").startswith("claim:")
    other.mark(event)
    slow.release(event)
    assert backend.holder(event) == "done"


def test_an_unfinished_claim_expires_so_the_event_is_not_lost(backend: Backend) -> None:
    died, survivor = backend.store(claim_ttl=0.5), backend.store()
    event = uuid4()
    started = time.monotonic()
    assert died.seen(event) is False  # and its consumer dies: no mark, no release
    assert survivor.seen(event) is False  # it waited for the claim to expire, then took it
    assert time.monotonic() - started >= 0.45


def test_a_waiting_consumer_skips_the_event_once_its_holder_marks_it(backend: Backend) -> None:
    holder, waiter = backend.store(), backend.store()
    event = uuid4()
    assert holder.seen(event) is False

    def finish() -> None:
        time.sleep(0.3)
        holder.mark(event)

    finishing = threading.Thread(target=finish)
    finishing.start()
    started = time.monotonic()
    assert waiter.seen(event) is True
    assert time.monotonic() - started >= 0.25
    finishing.join()


def _one_handler_per_event(handled: list[tuple[UUID, str]], events: list[UUID]) -> None:
    counts = Counter(event for event, _ in handled)
    assert counts == dict.fromkeys(events, 1)


def test_racing_consumers_handle_each_event_exactly_once(backend: Backend) -> None:
    events = [uuid4() for _ in range(RACES)]
    handled: list[tuple[UUID, str]] = []
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def consume(name: str, store: Any) -> None:
        try:
            for event in events:
                start.wait(30)
                if not store.seen(event):
                    handled.append((event, name))
                    store.mark(event)
        except BaseException as exc:
            errors.append(exc)
            start.abort()

    workers = [
        threading.Thread(target=consume, args=(name, backend.store())) for name in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert errors == []
    _one_handler_per_event(handled, events)


async def test_racing_async_consumers_handle_each_event_exactly_once(backend: Backend) -> None:
    events = [uuid4() for _ in range(RACES)]
    handled: list[tuple[UUID, str]] = []

    async def attempt(name: str, store: Any, event: UUID) -> None:
        if not await store.seen(event):
            handled.append((event, name))
            await store.mark(event)

    try:
        first, second = backend.async_store(), backend.async_store()
        for event in events:
            await asyncio.gather(attempt("a", first, event), attempt("b", second, event))
        _one_handler_per_event(handled, events)

        failed, retrying = backend.async_store(claim_ttl=60), backend.async_store(claim_ttl=60)
        event = uuid4()
        assert await failed.seen(event) is False
        await failed.release(event)
        assert await asyncio.wait_for(retrying.seen(event), 30) is False
        await retrying.mark(event)
        assert await failed.seen(event) is True
    finally:
        await backend.aclose()


def test_claims_and_done_marks_survive_a_restart(backend: Backend) -> None:
    before = backend.store(claim_ttl=120)
    done, claimed = uuid4(), uuid4()
    assert before.seen(done) is False
    before.mark(done)
    assert before.seen(claimed) is False  # being handled when the server goes down

    backend.restart()

    after = backend.store(claim_ttl=120)
    assert after.seen(done) is True
    # still claimed: another consumer would wait for it rather than handle it a second time
    assert (backend.holder(claimed) or "").startswith("claim:")


def test_importing_the_stores_loads_no_driver() -> None:
    script = (
        "import sys, contractgen.runtime.stores\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'redis', 'psycopg'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


@pytest.mark.parametrize(("ttl", "claim_ttl"), [(60, 120), (60, 0), (0, 0)])
def test_lifetimes_are_checked(tmp_path: Path, ttl: float, claim_ttl: float) -> None:
    backend = SqliteBackend(tmp_path / "idempotency.db")
    with opened(backend), pytest.raises(ValueError, match="claim_ttl"):
        backend.store(ttl=ttl, claim_ttl=claim_ttl)


def _first_use_together(stores: list[Any]) -> list[BaseException]:
    start = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def first_use(store: Any) -> None:
        start.wait(30)
        try:
            store.seen(uuid4())
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=first_use, args=(store,)) for store in stores]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return errors


def test_consumers_starting_together_create_the_table_once(sql_backend: Backend) -> None:
    # PostgreSQL fails some of several concurrent CREATE TABLE IF NOT EXISTS of one table
    for _ in range(5):
        table = f"first_use_{uuid4().hex[:12]}"
        assert _first_use_together([sql_backend.store(table=table) for _ in range(6)]) == []


async def test_a_sql_store_that_can_connect_goes_on_across_a_database_crash(
    postgres_srv: PostgresServer,
) -> None:
    """Given a function that opens a connection, the SQL stores replace the one a PostgreSQL
    crash and restart dropped, as Redis clients do; given a connection, they report its error."""
    backend = PostgresBackend(postgres_srv)
    with opened(backend):
        store = SqlIdempotencyStore(backend.connect, claim_ttl=120)
        async_store = AsyncSqlIdempotencyStore(backend.connect, claim_ttl=120)
        fixed = backend.store()
        handled, interrupted, in_async = uuid4(), uuid4(), uuid4()
        assert store.seen(handled) is False
        store.mark(handled)
        assert store.seen(interrupted) is False
        assert await async_store.seen(in_async) is False
        assert fixed.seen(uuid4()) is False

        backend.restart()

        assert store.seen(handled) is True
        store.mark(interrupted)  # its handler finished while the database was restarting
        assert store.seen(interrupted) is True
        await async_store.mark(in_async)
        assert await async_store.seen(in_async) is True
        with pytest.raises(backend.psycopg.OperationalError):
            fixed.seen(uuid4())
