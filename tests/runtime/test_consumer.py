"""Consumer semantics on the mock cluster: groups, commits, dead letters, limits, duplicates."""

import threading
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import confluent_kafka
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import (
    ConsumedEvent,
    Consumer,
    DeadLetterLimitExceeded,
    DeadLetterPolicy,
    DeadLetterWriteError,
    Envelope,
    InMemoryIdempotencyStore,
    Producer,
    TopicSpec,
)
from contractgen.runtime import dead_letter as dlq

from .kafka_helpers import committed, header_map, read_topic, register
from .models import OrderCancelled, OrderCreated

pytestmark = pytest.mark.kafka


def produce(
    spec: TopicSpec[Any],
    config: dict[str, Any],
    registry: SchemaRegistryClient,
    order_ids: list[str],
) -> None:
    with Producer(spec, config, registry) as producer:
        for order_id in order_ids:
            producer.send(OrderCancelled(order_id=order_id), headers={"origin": "test"})


class HandlerError(Exception):
    pass


def fail_on(*bad: str) -> Any:
    def handler(event: ConsumedEvent[Any]) -> None:
        if event.payload.order_id in bad:
            raise HandlerError(f"cannot handle {event.payload.order_id}")

    return handler


def test_group_members_split_partitions(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    order_ids = [f"o-{i}" for i in range(40)]
    produce(spec, kafka_config, registry, order_ids)
    handled: list[tuple[int, str, int]] = []
    consumers = [Consumer(spec, kafka_config, registry, group_id="split") for _ in range(2)]
    lock = threading.Lock()

    def handler_for(member: int) -> Any:
        def handle(event: ConsumedEvent[Any]) -> None:
            # handling takes a while, as a real one does: the second member joins the group
            # (about a second on the mock cluster) before the first has handled everything
            time.sleep(0.1)
            with lock:
                handled.append((member, event.payload.order_id, event.partition))
                # at least once: a member joining late makes the group reassign partitions, and
                # what was handled but not yet committed then is delivered again
                if {order_id for _, order_id, _ in handled} == set(order_ids):
                    for consumer in consumers:
                        consumer.stop()

        return handle

    threads = [
        threading.Thread(target=c.run, args=(handler_for(i),), kwargs={"idle_timeout": 20})
        for i, c in enumerate(consumers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for consumer in consumers:
        consumer.close()
    assert {order_id for _, order_id, _ in handled} == set(order_ids)
    partitions = [{p for m, _, p in handled if m == member} for member in (0, 1)]
    assert all(partitions), "both members were given partitions"
    assert sum(committed(kafka_config["bootstrap.servers"], "split", spec.name).values()) == 40


def test_failures_go_to_dead_letter_topic_then_commit(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    kafka_config: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    register(registry, spec)
    produce(spec, kafka_config, registry, ["ok-1", "bad", "ok-2"])
    garbage = confluent_kafka.Producer(kafka_config)
    garbage.produce(spec.name, value=b"not avro", key=b"k", headers=[("origin", b"elsewhere")])
    garbage.flush(10)
    originals = {m.value(): m for m in read_topic(kafka_config["bootstrap.servers"], spec.name, 4)}

    event_ids: dict[str, str] = {}

    def handler(event: ConsumedEvent[Any]) -> None:
        event_ids[event.payload.order_id] = str(event.envelope.event_id)
        fail_on("bad")(event)

    with Consumer(spec, kafka_config, registry, group_id="dlq") as consumer:
        stats = consumer.run(handler, max_messages=4, idle_timeout=10)
    assert (stats.handled, stats.dead_lettered) == (2, 2)

    dead = read_topic(kafka_config["bootstrap.servers"], f"{spec.name}-dlq", 2)
    assert len(dead) == 2
    by_type: dict[bytes, dict[str, bytes]] = {}
    for msg in dead:
        original = originals[msg.value()]  # the original bytes, unchanged
        headers = header_map(msg)
        assert msg.key() == original.key()
        assert headers[dlq.ORIGINAL_TOPIC] == spec.name.encode()
        assert headers[dlq.ORIGINAL_PARTITION] == str(original.partition()).encode()
        assert headers[dlq.ORIGINAL_OFFSET] == str(original.offset()).encode()
        assert headers[dlq.ORIGINAL_TIMESTAMP] == str(original.timestamp()[1]).encode()
        assert headers["origin"] in (b"test", b"elsewhere")
        by_type[headers[dlq.ERROR_TYPE]] = headers
    fails, framing = by_type[b"HandlerError"], by_type[b"FramingError"]
    assert fails[dlq.ERROR_MESSAGE] == b"cannot handle bad"
    assert fails[dlq.SCHEMA_ID] == b"1"
    assert (fails[dlq.REASON], fails[dlq.EVENT_ID]) == (b"handler-error", event_ids["bad"].encode())
    # the handler's file and line, as Python prints them, like Kafka Connect's stack trace header
    stack = fails[dlq.ERROR_STACKTRACE].decode()
    assert f'{__file__}", line' in stack and "in handler" in stack
    assert stack.endswith("HandlerError: cannot handle bad\n")
    assert b"magic byte" in framing[dlq.ERROR_MESSAGE] and dlq.SCHEMA_ID not in framing
    assert framing[dlq.REASON] == b"not-framed" and dlq.EVENT_ID not in framing
    # the handler's failure is logged once, with its traceback and where it came from
    [logged] = [r for r in caplog.records if r.exc_info and r.exc_info[0] is HandlerError]
    bad = originals[next(v for v, msg in originals.items() if b"bad" in v)]
    assert f"{spec.name}[{bad.partition()}] offset {bad.offset()}" in logged.getMessage()
    assert f"event {event_ids['bad']}" in logged.getMessage()
    # every offset, the dead-lettered ones included, was committed
    last: dict[int, int] = {}
    for m in originals.values():
        partition, offset = m.partition(), m.offset()
        assert partition is not None and offset is not None
        last[partition] = max(last.get(partition, -1), offset)
    assert committed(kafka_config["bootstrap.servers"], "dlq", spec.name) == {
        p: offset + 1 for p, offset in last.items()
    }


def test_failed_dead_letter_write_does_not_commit(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    with Producer(spec, kafka_config, registry) as producer:  # one key: one partition, in order
        for order_id in ["ok", "bad", "later"]:
            producer.send(OrderCancelled(order_id=order_id), key="same")
    unreachable = DeadLetterPolicy(producer_config={"bootstrap.servers": "127.0.0.1:1"}, timeout=1)
    handled: list[str] = []

    def handler(event: ConsumedEvent[Any]) -> None:
        fail_on("bad")(event)
        handled.append(event.payload.order_id)

    with (
        Consumer(spec, kafka_config, registry, group_id="dlq-down", dead_letter=unreachable) as c,
        pytest.raises(DeadLetterWriteError, match=r"offset 1 .* was not committed"),
    ):
        c.run(handler, idle_timeout=10)
    assert handled == ["ok"]
    [(_, offset)] = committed(kafka_config["bootstrap.servers"], "dlq-down", spec.name).items()
    assert offset == 1  # "ok" committed, "bad" and everything after it not


@pytest.mark.parametrize(
    ("policy", "pattern", "dead", "commit"),
    [
        (DeadLetterPolicy(max_consecutive=3, max_ratio=None), "4 consecutive failures", 3, 3),
        (DeadLetterPolicy(max_consecutive=None, max_ratio=0.3, window=10), "4 failures", 3, 7),
    ],
    ids=["consecutive", "ratio"],
)
def test_dead_letter_limits_stop_the_consumer(  # noqa: PLR0917 - fixtures and parameters
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    kafka_config: dict[str, Any],
    policy: DeadLetterPolicy,
    pattern: str,
    dead: int,
    commit: int,
) -> None:
    register(registry, spec)
    consecutive = policy.max_consecutive is not None
    order_ids = [f"bad-{i}" if consecutive or i % 2 else f"ok-{i}" for i in range(12)]
    with Producer(spec, kafka_config, registry) as producer:
        for order_id in order_ids:
            producer.send(OrderCancelled(order_id=order_id), key="same")

    def handler(event: ConsumedEvent[Any]) -> None:
        if event.payload.order_id.startswith("bad"):
            raise HandlerError(event.payload.order_id)

    group = f"limits-{uuid4().hex[:6]}"
    with (
        Consumer(spec, kafka_config, registry, group_id=group, dead_letter=policy) as consumer,
        pytest.raises(DeadLetterLimitExceeded, match=pattern),
    ):
        consumer.run(handler, idle_timeout=10)
    assert (
        len(read_topic(kafka_config["bootstrap.servers"], f"{spec.name}-dlq", dead + 1, 3)) == dead
    )
    assert list(committed(kafka_config["bootstrap.servers"], group, spec.name).values()) == [commit]


def test_duplicates_are_skipped_by_event_id(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    envelope = Envelope(
        event_id=uuid4(),
        event_type=OrderCreated.AVRO_NAME,
        occurred_at=datetime.now(UTC),
        producer="retrying-producer",
        payload=OrderCreated(order_id="o-1", customer_id="c"),
    )
    with Producer(spec, kafka_config, registry) as producer:
        producer.send_envelope(envelope)
        producer.send_envelope(envelope)  # an application-level retry: same event id
        producer.send(OrderCreated(order_id="o-2", customer_id="c"))
    handled: list[str] = []
    store = InMemoryIdempotencyStore(ttl=60)
    with Consumer(spec, kafka_config, registry, group_id="dedup", idempotency=store) as consumer:
        stats = consumer.run(
            lambda e: handled.append(e.payload.order_id), max_messages=3, idle_timeout=10
        )
    assert sorted(handled) == ["o-1", "o-2"]
    assert (stats.handled, stats.duplicates) == (2, 1)
    assert store.seen(envelope.event_id)


def test_consumer_started_before_the_topic_exists(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    """An unknown topic is a transient error: the consumer waits for the first message."""
    register(registry, spec)
    received: list[Any] = []
    with Consumer(spec, kafka_config, registry, group_id="early") as consumer:
        run = threading.Thread(
            target=consumer.run,
            args=(lambda event: received.append(event.payload),),
            kwargs={"max_messages": 1, "idle_timeout": 20},
        )
        run.start()
        time.sleep(1)
        produce(spec, kafka_config, registry, ["o-1"])
        run.join(30)
    assert received == [OrderCancelled(order_id="o-1")]


def test_dead_lettered_events_are_not_marked_so_a_replay_is_handled(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    """Only a handler's success marks an event id: a DLQ replayed after the fix is handled."""
    register(registry, spec)
    produce(spec, kafka_config, registry, ["ok", "bad"])
    store = InMemoryIdempotencyStore(ttl=60)
    bootstrap = kafka_config["bootstrap.servers"]
    handled: list[str] = []
    with Consumer(spec, kafka_config, registry, group_id="replay", idempotency=store) as consumer:
        stats = consumer.run(fail_on("bad"), max_messages=2, idle_timeout=10)
        assert (stats.handled, stats.dead_lettered) == (1, 1)
        [dead] = read_topic(bootstrap, f"{spec.name}-dlq", 1)
        # the bug is fixed: the DLQ goes back onto the topic, bytes and key unchanged
        replayer = confluent_kafka.Producer(kafka_config)
        replayer.produce(spec.name, value=dead.value(), key=dead.key())
        assert replayer.flush(10) == 0
        stats = consumer.run(
            lambda e: handled.append(e.payload.order_id), max_messages=1, idle_timeout=10
        )
    assert handled == ["bad"] and stats.duplicates == 0


@pytest.mark.slow
def test_handler_past_max_poll_interval_redelivers_instead_of_crashing(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    """A batch that outlives max.poll.interval.ms loses its partitions: the commit fails with
    UNKNOWN_MEMBER_ID. That used to escape from run() as a KafkaException; now the consumer
    rejoins, the batch comes again and the idempotency store skips what was handled."""
    register(registry, spec)
    with Producer(spec, kafka_config, registry) as producer:
        for order_id in ["o-0", "o-1", "o-2", "o-3"]:
            producer.send(OrderCancelled(order_id=order_id), key="same")
    # the mock cluster accepts timeouts under real brokers' 6 s minimum: the test waits less
    config = {
        **kafka_config,
        "session.timeout.ms": 3000,
        "heartbeat.interval.ms": 500,
        "max.poll.interval.ms": 3000,
    }
    calls: list[str] = []

    def slow_once(event: ConsumedEvent[Any]) -> None:
        calls.append(event.payload.order_id)
        if len(calls) == 2:
            time.sleep(4.5)

    store = InMemoryIdempotencyStore()
    with Consumer(spec, config, registry, group_id="slow", idempotency=store) as consumer:
        stats = consumer.run(slow_once, max_messages=8, idle_timeout=20)
    assert calls == ["o-0", "o-1", "o-2", "o-3"]
    assert (stats.handled, stats.duplicates) == (4, 4)
    assert list(committed(kafka_config["bootstrap.servers"], "slow", spec.name).values()) == [4]
