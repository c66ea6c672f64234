"""Duplicate skipping by event id.

Kafka delivers at least once: after a crash or a rebalance, messages handled but not yet committed
come again. A consumer given a store asks `seen` before calling the handler and calls `mark` after
the handler succeeded (or the message went to the dead-letter topic), then commits.

Plugging in a shared store: implement the two methods on anything durable. Redis:
``seen`` is ``EXISTS cg:{event_id}``, ``mark`` is ``SET cg:{event_id} 1 EX <ttl>``. SQL: a table
``(event_id uuid primary key, expires_at timestamp)``; ``seen`` selects an unexpired row, ``mark``
inserts ignoring conflicts (and a periodic delete of expired rows). Keep the TTL longer than the
longest redelivery you expect (consumer downtime plus the commit interval).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol
from uuid import UUID


class IdempotencyStore(Protocol):
    def seen(self, event_id: UUID) -> bool:
        """True when the event was already handled."""
        ...

    def mark(self, event_id: UUID) -> None:
        """Remember that the event was handled."""
        ...


class InMemoryIdempotencyStore:
    """Event ids remembered for `ttl` seconds in this process (at most `max_entries` of them)."""

    def __init__(
        self,
        *,
        ttl: float = 3600.0,
        max_entries: int = 1_000_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
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
        return len(self._expiry)

    def _evict(self) -> None:
        now = self._clock()
        while self._expiry and (
            len(self._expiry) > self._max_entries or next(iter(self._expiry.values())) <= now
        ):
            self._expiry.popitem(last=False)
