"""Duplicate skipping by event id.

Kafka delivers at least once: after a crash or a rebalance, messages handled but not yet committed
come again. A consumer given a store asks `seen` before calling the handler and calls `mark` only
after the handler succeeded, then commits. A crash between `mark` and the commit redelivers the
event, and `seen` skips it. Dead-lettered events are not marked: replaying a DLQ into the topic
once the bug is fixed reaches the handler again.

The async consumer takes either kind of store: an `AsyncIdempotencyStore` (awaited; use it for
anything doing I/O, e.g. redis.asyncio) or a sync `IdempotencyStore`, which it calls on the event
loop (fine for the in-memory store, blocking for a network one).

Shared stores (`contractgen.runtime.stores`: Redis, and SQL through a DB-API connection) make
`seen` a claim, so that of two consumers racing on one event (a rebalance hands a partition over
while its old owner still works on the batch) exactly one handles it: False means "not handled,
and now yours"; an event another consumer has claimed is waited for until it is done (True) or
its claim is released or expires (then it is claimed for the caller). They also have
`release(event_id)`, which the consumers call when a handler failed, so that a retry or a
dead-letter replay needn't wait out the claim's `claim_ttl`; either way, a claim that is never
marked never makes its event done. To plug in another store, implement `seen` and `mark` on
anything durable with the same meaning. Keep the TTL longer than the longest redelivery you
expect (consumer downtime plus the commit interval).
"""

import inspect
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, TypeAlias
from uuid import UUID


class IdempotencyStore(Protocol):
    def seen(self, event_id: UUID) -> bool:
        """True when the event was already handled (False: handle it; a shared store has
        claimed it for the caller)."""
        ...

    def mark(self, event_id: UUID) -> None:
        """Remember that the event was handled."""
        ...


class AsyncIdempotencyStore(Protocol):
    async def seen(self, event_id: UUID) -> bool:
        """True when the event was already handled."""
        ...

    async def mark(self, event_id: UUID) -> None:
        """Remember that the event was handled."""
        ...


AnyIdempotencyStore: TypeAlias = IdempotencyStore | AsyncIdempotencyStore


async def seen_async(store: AnyIdempotencyStore, event_id: UUID) -> bool:
    """`store.seen`, awaited when the store is async."""
    result = store.seen(event_id)
    return bool(await result) if inspect.isawaitable(result) else bool(result)


async def mark_async(store: AnyIdempotencyStore, event_id: UUID) -> None:
    """`store.mark`, awaited when the store is async."""
    result = store.mark(event_id)
    if inspect.isawaitable(result):
        await result


def release(store: IdempotencyStore, event_id: UUID) -> None:
    """Drop the caller's claim on an event whose handler failed, where the store claims (a
    `release` method), so a retry or a dead-letter replay needn't wait out the claim."""
    drop = getattr(store, "release", None)
    if drop is not None:
        drop(event_id)


async def release_async(store: AnyIdempotencyStore, event_id: UUID) -> None:
    """`release`, awaited when the store is async."""
    drop = getattr(store, "release", None)
    if drop is not None and inspect.isawaitable(result := drop(event_id)):
        await result


class InMemoryIdempotencyStore:
    """Event ids remembered for `ttl` seconds after they were marked, in this process only (at
    most `max_entries` of them, the oldest forgotten first). Thread-safe."""

    def __init__(
        self,
        *,
        ttl: float = 3600.0,
        max_entries: int = 1_000_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0 or max_entries < 1:
            raise ValueError(f"ttl ({ttl}) and max_entries ({max_entries}) must be positive")
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._expiry: OrderedDict[UUID, float] = OrderedDict()  # oldest first
        self._lock = threading.Lock()

    def seen(self, event_id: UUID) -> bool:
        with self._lock:
            self._evict()
            return event_id in self._expiry

    def mark(self, event_id: UUID) -> None:
        with self._lock:
            self._expiry.pop(event_id, None)
            self._expiry[event_id] = self._clock() + self._ttl
            self._evict()

    def __len__(self) -> int:
        """The number of event ids remembered and not expired."""
        with self._lock:
            self._evict()
            return len(self._expiry)

    def _evict(self) -> None:
        now = self._clock()
        while self._expiry and (
            len(self._expiry) > self._max_entries or next(iter(self._expiry.values())) <= now
        ):
            self._expiry.popitem(last=False)
