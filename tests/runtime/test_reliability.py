"""Edge cases of the runtime's reliability rules that need no cluster: dead-letter policy limits,
the in-memory idempotency store's TTL, registry errors, producer and consumer lifecycles."""

from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import (
    Consumer,
    DeadLetterLimitExceeded,
    DeadLetterPolicy,
    DeliveryError,
    DeserializationError,
    FramingError,
    InMemoryIdempotencyStore,
    Producer,
    Reason,
    RegistryRetry,
    SchemaRegistryUnavailableError,
    TopicSpec,
)
from contractgen.runtime import dead_letter as dlq
from contractgen.runtime import metrics as m
from contractgen.runtime.dead_letter import DeadLetterLimiter, FailedMessage
from contractgen.runtime.framing import peek_schema_id, schema_id_of
from contractgen.runtime.registry import SchemaIds

from .kafka_helpers import register
from .models import OrderCancelled
from .recorder import Recorder

UNREACHABLE = "127.0.0.1:1"  # nothing listens on port 1


def failed_message(offset: int = 0) -> FailedMessage:
    return FailedMessage(
        topic="t",
        partition=0,
        offset=offset,
        key=None,
        value=b"x",
        headers=[],
        timestamp=None,
        schema_id=None,
        error=ValueError("boom"),
        reason=Reason.HANDLER,
    )


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"window": 0}, "window=0 must be at least 1"),
        ({"max_ratio": 1.5}, "max_ratio=1.5 must be in"),
        ({"max_ratio": -0.1}, "max_ratio=-0.1 must be in"),
        ({"max_consecutive": -1}, "max_consecutive=-1"),
        ({"timeout": 0}, "timeout=0 must be positive"),
    ],
)
def test_dead_letter_policy_rejects_impossible_limits(kwargs: dict[str, Any], problem: str) -> None:
    # window=0 used to make the limiter fail with an IndexError on the first message
    with pytest.raises(ValueError, match=problem):
        DeadLetterPolicy(**kwargs)


def test_ratio_limit_counts_only_the_last_window() -> None:
    limiter = DeadLetterLimiter(DeadLetterPolicy(max_ratio=0.5, window=4, max_consecutive=None))
    for offset in range(20):  # alternating: 2 failures in every 4, never more than half
        limiter.failed(failed_message(offset)) if offset % 2 else limiter.succeeded()
    # the window is now ok, fail, ok, fail: one more failure makes 3 of the last 4
    with pytest.raises(DeadLetterLimitExceeded, match="3 failures in the last 4"):
        limiter.failed(failed_message(20))


def test_consecutive_limit_resets_on_success() -> None:
    limiter = DeadLetterLimiter(DeadLetterPolicy(max_ratio=None, max_consecutive=2))
    for offset in range(10):
        limiter.failed(failed_message(offset))
        limiter.failed(failed_message(offset))
        limiter.succeeded()
    limiter.failed(failed_message(10))
    limiter.failed(failed_message(11))
    with pytest.raises(DeadLetterLimitExceeded, match=r"3 consecutive .* offset 12 was not"):
        limiter.failed(failed_message(12))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_in_memory_store_forgets_after_ttl_from_marking() -> None:
    clock = FakeClock()
    store = InMemoryIdempotencyStore(ttl=10, clock=clock)
    first, second = uuid4(), uuid4()
    store.mark(first)
    clock.now = 5
    store.mark(second)
    assert store.seen(first) and store.seen(second) and len(store) == 2
    clock.now = 10  # first expires at exactly its TTL
    assert not store.seen(first) and store.seen(second) and len(store) == 1
    store.mark(second)  # marking again restarts its TTL
    clock.now = 19.9
    assert store.seen(second)
    clock.now = 20
    assert not store.seen(second) and len(store) == 0


def test_stack_trace_header_keeps_the_end_of_a_deep_stack() -> None:
    # two functions calling each other: Python prints every frame (it folds only repeats)
    def down(depth: int) -> None:
        if depth == 0:
            raise ValueError("at the bottom")
        across(depth - 1)

    def across(depth: int) -> None:
        down(depth)

    try:
        down(200)
    except ValueError as exc:
        error = exc
    headers = dict(replace(failed_message(), error=error).dead_letter_headers())
    stack = headers[dlq.ERROR_STACKTRACE].decode()
    assert len(stack) == dlq.MAX_STACKTRACE
    assert stack.startswith("... (") and stack.endswith("ValueError: at the bottom\n")
    assert headers[dlq.REASON] == b"handler-error"


def test_in_memory_store_bounds_its_size() -> None:
    store = InMemoryIdempotencyStore(max_entries=2)
    ids = [uuid4() for _ in range(3)]
    for event_id in ids:
        store.mark(event_id)
    assert [store.seen(event_id) for event_id in ids] == [False, True, True]
    with pytest.raises(ValueError, match="must be positive"):
        InMemoryIdempotencyStore(ttl=0)


def test_wrong_magic_byte_shows_the_payload_start() -> None:
    with pytest.raises(FramingError, match=r"starts with b'\{\"order_id\"") as info:
        schema_id_of(b'{"order_id": "o-1", "customer_id": "c-1"}')
    assert "Avro serializer" in str(info.value)
    assert peek_schema_id(b'{"order_id"') is None and peek_schema_id(None) is None
    assert peek_schema_id(b"\x00\x00\x00\x01\x02") == 258


def unreachable_registry() -> SchemaRegistryClient:
    return SchemaRegistryClient({"url": f"http://{UNREACHABLE}", "max.retries": 0})


def test_unreachable_registry_is_reported_as_such(spec: TopicSpec[Any]) -> None:
    # before: a bare httpx ConnectError "[Errno 111] Connection refused", with no hint
    with pytest.raises(SchemaRegistryUnavailableError, match=r"looking up subject .*-value.*URL"):
        Producer(spec, {"bootstrap.servers": UNREACHABLE}, unreachable_registry())
    ids = SchemaIds(unreachable_registry(), retry=RegistryRetry(initial_backoff=0.05, deadline=0.3))
    retries: list[None] = []
    ids.on_retry = lambda: retries.append(None)
    with pytest.raises(SchemaRegistryUnavailableError, match=r"fetching schema id 7 \(retried"):
        ids.schema_for(7)
    assert retries  # waited 0.05 s, then 0.1 s while within the deadline


def test_unknown_schema_id_is_undecodable(registry: SchemaRegistryClient) -> None:
    with pytest.raises(DeserializationError, match="schema id 99 is not in the schema registry"):
        SchemaIds(registry).schema_for(99)


def test_producer_close_fails_undelivered_futures(
    registry: SchemaRegistryClient, spec: TopicSpec[Any]
) -> None:
    register(registry, spec)
    producer = Producer(
        spec, {"bootstrap.servers": UNREACHABLE, "log_level": 0}, registry, producer_name="p"
    )
    producer.metrics = recorder = Recorder()
    reports: list[object] = []
    future = producer.send(OrderCancelled(order_id="o-1"), on_delivery=reports.append)
    with pytest.raises(DeliveryError, match=r"1 messages .* not acknowledged within 0\.5s"):
        producer.close(0.5)
    assert recorder.total(m.PRODUCE_ERRORS, spec.name) == 1
    # the future completed (before: it stayed pending forever once the delivery thread stopped)
    assert isinstance(future.exception(timeout=0), DeliveryError)
    assert len(reports) == 1 and isinstance(reports[0], DeliveryError)
    producer.close()  # idempotent
    with pytest.raises(RuntimeError, match="is closed"):
        producer.send(OrderCancelled(order_id="o-2"))


def test_consumer_close_is_idempotent(registry: SchemaRegistryClient, spec: TopicSpec[Any]) -> None:
    with Consumer(
        spec, {"bootstrap.servers": UNREACHABLE, "log_level": 0}, registry, group_id="g"
    ) as c:
        c.close()
    c.close()
    with pytest.raises(RuntimeError, match="is closed"):
        c.run(lambda _event: None, idle_timeout=0)
