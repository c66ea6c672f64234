"""Delivery accounting of the sync producer: what `send` returns and librdkafka reports into.

A `concurrent.futures.Future` per message (with its Condition and lock) plus a closure for the
callback made a third of a `send` and most of the producer's cyclic-GC work. A `Delivery` is one
small slotted object whose bound method is the delivery callback; the lock and condition are the
producer's, one for all messages, and touched only while somebody waits.
"""

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, fields
from uuid import UUID

import confluent_kafka

from contractgen.runtime import metrics as m
from contractgen.runtime.errors import DeliveryError
from contractgen.runtime.metrics import Metrics

_NO_TIMESTAMP = confluent_kafka.TIMESTAMP_NOT_AVAILABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryReport:
    """Where the broker stored an event."""

    event_id: UUID
    topic: str
    partition: int
    offset: int
    timestamp: int | None


OnDelivery = Callable[[DeliveryReport | DeliveryError], None]
_new = object.__new__
_set_event_id, _set_topic, _set_partition, _set_offset, _set_timestamp = (
    vars(DeliveryReport)[f.name].__set__ for f in fields(DeliveryReport)
)


class DeliveryBoard:
    """What the deliveries of one producer share: its topic, metrics hook, and the condition
    that callers of `Delivery.result` wait on."""

    __slots__ = ("_condition", "_waiters", "future_lock", "labels", "metrics", "topic")

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.labels: Mapping[str, str] = {"topic": topic}
        self.metrics: Metrics | None = None
        self._condition = threading.Condition(threading.Lock())
        self._waiters = 0
        self.future_lock = threading.Lock()

    def wait(self, delivery: "Delivery", timeout: float | None) -> None:
        with self._condition:
            self._waiters += 1
            try:
                # the callback sets the outcome before it reads `_waiters`, and we count ourselves
                # before reading the outcome: one of us sees the other
                self._condition.wait_for(delivery.done, timeout)
            finally:
                self._waiters -= 1

    def delivered(self) -> None:
        if self._waiters:
            with self._condition:
                self._condition.notify_all()


class Delivery:
    """The outcome of one `send`, as a Future offers it: `result`, `exception`, `done`;
    `as_future()` for a real one.

    Completed by librdkafka's delivery report, on the producer's delivery thread (or the thread
    calling `flush`/`close`)."""

    __slots__ = ("_board", "_future", "_on_delivery", "_outcome", "event_id")

    def __init__(self, event_id: UUID, board: DeliveryBoard, on_delivery: OnDelivery | None):
        self.event_id = event_id
        self._board = board
        self._on_delivery = on_delivery
        self._outcome: DeliveryReport | DeliveryError | None = None
        self._future: Future[DeliveryReport] | None = None

    def done(self) -> bool:
        return self._outcome is not None

    def result(self, timeout: float | None = None) -> DeliveryReport:
        """The report; raises DeliveryError when the write failed, TimeoutError after `timeout`."""
        outcome = self._wait(timeout)
        if isinstance(outcome, DeliveryError):
            raise outcome
        return outcome

    def exception(self, timeout: float | None = None) -> DeliveryError | None:
        """The DeliveryError when the write failed, None when it succeeded."""
        outcome = self._wait(timeout)
        return outcome if isinstance(outcome, DeliveryError) else None

    def as_future(self) -> "Future[DeliveryReport]":
        """A concurrent.futures.Future of the same outcome (for `wait`, `as_completed`)."""
        with self._board.future_lock:
            if self._future is None:
                self._future = Future()
            # the callback sets the outcome before it looks for a future: one of us completes it
            if self._outcome is not None and not self._future.done():
                _complete(self._future, self._outcome)
            return self._future

    def _wait(self, timeout: float | None) -> DeliveryReport | DeliveryError:
        if self._outcome is None:
            self._board.wait(self, timeout)
        if self._outcome is None:
            raise TimeoutError(f"event {self.event_id} not acknowledged within {timeout}s")
        return self._outcome

    def report(self, err: confluent_kafka.KafkaError | None, msg: confluent_kafka.Message) -> None:
        """librdkafka's delivery callback."""
        board = self._board
        outcome: DeliveryReport | DeliveryError
        if err is not None:
            outcome = DeliveryError(f"event {self.event_id} to {board.topic} failed: {err}")
            counter = m.PRODUCE_ERRORS
        else:
            ts_type, ts = msg.timestamp()
            # DeliveryReport(...) without the frozen __init__, on the delivery thread
            outcome = _new(DeliveryReport)
            _set_event_id(outcome, self.event_id)
            _set_topic(outcome, board.topic)
            _set_partition(outcome, msg.partition())
            _set_offset(outcome, msg.offset())
            _set_timestamp(outcome, None if ts_type == _NO_TIMESTAMP else ts)
            counter = m.PRODUCED
        self._outcome = outcome
        board.delivered()
        if self._future is not None:
            with board.future_lock:
                if not self._future.done():
                    _complete(self._future, outcome)
        metrics = board.metrics
        if metrics is not None:
            metrics.count(counter, 1, board.labels)
        if self._on_delivery is not None:
            self._on_delivery(outcome)


def _complete(future: "Future[DeliveryReport]", outcome: DeliveryReport | DeliveryError) -> None:
    if isinstance(outcome, DeliveryError):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
