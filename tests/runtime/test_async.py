"""The aiokafka twins in the sync clients' scenarios (aiokafka reaches the mock brokers by TCP)."""

import asyncio
import gc
import threading
import time
import warnings
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import (
    AsyncConsumer,
    AsyncProducer,
    ConsumedEvent,
    DeadLetterLimitExceeded,
    DeadLetterPolicy,
    DeadLetterWriteError,
    DeliveryReport,
    Envelope,
    InMemoryIdempotencyStore,
    Producer,
    SchemaNotRegisteredError,
    TopicSpec,
)
from contractgen.runtime import dead_letter as dlq

from .kafka_helpers import committed, header_map, read_topic, register
from .models import OrderCancelled, OrderCreated, OrderCreatedV2, orders_spec

pytestmark = pytest.mark.kafka


class HandlerError(Exception):
    pass


@pytest.fixture
def aio_config(bootstrap_servers: str) -> dict[str, Any]:
    return {"bootstrap_servers": bootstrap_servers}


async def produce(
    spec: TopicSpec[Any], config: dict[str, Any], registry: Any, order_ids: list[str], **kw: Any
) -> list[DeliveryReport]:
    async with AsyncProducer(spec, config, registry, producer_name="async-test") as producer:
        futures = [
            await producer.send(OrderCancelled(order_id=o), headers={"origin": "aio"}, **kw)
            for o in order_ids
        ]
        return list(await asyncio.gather(*futures))


async def test_round_trip_and_partitioning_match_the_sync_client(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    aio_config: dict[str, Any],
    kafka_config: dict[str, Any],
) -> None:
    register(registry, spec)
    order_ids = [f"o-{i}" for i in range(12)]
    reports = await produce(spec, aio_config, registry, order_ids, correlation_id="c")
    with Producer(spec, kafka_config, registry) as sync_producer:  # same keys, same partitions
        sync_reports = [sync_producer.send(OrderCancelled(order_id=o)) for o in order_ids]
    assert [r.partition for r in reports] == [f.result().partition for f in sync_reports]

    received: list[ConsumedEvent[Any]] = []

    async def handler(event: ConsumedEvent[Any]) -> None:
        received.append(event)

    async with AsyncConsumer(spec, aio_config, registry, group_id="aio-rt") as consumer:
        stats = await consumer.run(handler, max_messages=24, idle_timeout=10)
    assert stats.handled == 24
    by_id = {e.envelope.event_id: e for e in received}
    for report in reports:
        event = by_id[report.event_id]
        assert (event.partition, event.offset) == (report.partition, report.offset)
        assert event.envelope.producer == "async-test" and event.envelope.correlation_id == "c"
        assert event.key == event.payload.order_id and ("origin", b"aio") in event.headers
    assert sum(committed(kafka_config["bootstrap.servers"], "aio-rt", spec.name).values()) == 24


class SlowRoundRobin(RoundRobinPartitionAssignor):  # type: ignore[misc]
    """librdkafka's mock coordinator answers the group's SyncGroups as soon as the leader's
    arrives and rejects any later one (a real broker waits for them all); delaying the leader's
    assignment lets the follower's request come first, as it does against real brokers."""

    @classmethod
    def assign(cls, cluster: Any, members: Any) -> Any:
        time.sleep(0.5)
        return super().assign(cluster, members)


def test_group_members_split_partitions(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], aio_config: dict[str, Any]
) -> None:
    register(registry, spec)
    order_ids = [f"o-{i}" for i in range(40)]
    asyncio.run(produce(spec, aio_config, registry, order_ids))
    config = {**aio_config, "partition_assignment_strategy": (SlowRoundRobin,)}
    handled: list[tuple[int, str, int]] = []
    lock = threading.Lock()
    consumers: list[AsyncConsumer[Any]] = []

    async def member(index: int) -> None:
        async def handle(event: ConsumedEvent[Any]) -> None:
            with lock:
                handled.append((index, event.payload.order_id, event.partition))
                if len(handled) == len(order_ids):
                    for consumer in consumers:
                        consumer.stop()

        consumer = AsyncConsumer(spec, config, registry, group_id="aio-split")
        consumers.append(consumer)
        async with consumer:
            await consumer.run(handle, idle_timeout=20)

    # one event loop per member, like two service instances
    threads = [threading.Thread(target=asyncio.run, args=(member(i),)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(40)
    assert not any(t.is_alive() for t in threads), "a group member hung (see the test's log)"
    assert Counter(order_id for _, order_id, _ in handled) == Counter(order_ids)
    partitions = [{p for m, _, p in handled if m == index} for index in (0, 1)]
    assert all(partitions) and not partitions[0] & partitions[1]


async def test_failures_go_to_dead_letter_topic_then_commit(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    aio_config: dict[str, Any],
    kafka_config: dict[str, Any],
) -> None:
    register(registry, spec)
    reports = await produce(spec, aio_config, registry, ["ok", "bad"], key="same")

    async def handler(event: ConsumedEvent[Any]) -> None:
        if event.payload.order_id == "bad":
            raise HandlerError("cannot handle bad")

    async with AsyncConsumer(spec, aio_config, registry, group_id="aio-dlq") as consumer:
        stats = await consumer.run(handler, max_messages=2, idle_timeout=10)
    assert (stats.handled, stats.dead_lettered) == (1, 1)
    [dead] = read_topic(kafka_config["bootstrap.servers"], f"{spec.name}-dlq", 1)
    [original] = [
        m
        for m in read_topic(kafka_config["bootstrap.servers"], spec.name, 2)
        if m.offset() == reports[1].offset
    ]
    headers = header_map(dead)
    assert (dead.key(), dead.value()) == (original.key(), original.value())
    assert headers[dlq.ERROR_TYPE] == b"HandlerError"
    assert headers[dlq.ERROR_MESSAGE] == b"cannot handle bad"
    assert headers[dlq.ORIGINAL_TOPIC] == spec.name.encode()
    assert headers[dlq.ORIGINAL_PARTITION] == str(reports[1].partition).encode()
    assert headers[dlq.ORIGINAL_OFFSET] == str(reports[1].offset).encode()
    assert headers[dlq.ORIGINAL_TIMESTAMP] == str(original.timestamp()[1]).encode()
    assert headers[dlq.SCHEMA_ID] == b"1" and headers["origin"] == b"aio"
    assert headers[dlq.REASON] == b"handler-error"
    assert headers[dlq.EVENT_ID] == str(reports[1].event_id).encode()
    stack = headers[dlq.ERROR_STACKTRACE].decode()
    assert f'{__file__}", line' in stack and stack.endswith("HandlerError: cannot handle bad\n")
    assert committed(kafka_config["bootstrap.servers"], "aio-dlq", spec.name) == {
        reports[1].partition: reports[1].offset + 1
    }


async def test_failed_dead_letter_write_does_not_commit(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    aio_config: dict[str, Any],
    kafka_config: dict[str, Any],
) -> None:
    register(registry, spec)
    reports = await produce(spec, aio_config, registry, ["ok", "bad", "later"], key="same")
    down = DeadLetterPolicy(producer_config={"bootstrap_servers": "127.0.0.1:1"}, timeout=2)

    async def handler(event: ConsumedEvent[Any]) -> None:
        if event.payload.order_id == "bad":
            raise HandlerError("cannot handle bad")

    consumer = AsyncConsumer(spec, aio_config, registry, group_id="aio-dlq-down", dead_letter=down)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        async with consumer:
            with pytest.raises(DeadLetterWriteError, match="was not committed"):
                await consumer.run(handler, idle_timeout=10)
        gc.collect()
    # the DLQ producer that could not start was stopped, not left behind with its client
    assert not [w for w in caught if "Unclosed AIOKafkaProducer" in str(w.message)]
    assert committed(kafka_config["bootstrap.servers"], "aio-dlq-down", spec.name) == {
        reports[0].partition: reports[1].offset
    }


async def test_dead_letter_limit_stops_the_consumer(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    aio_config: dict[str, Any],
    kafka_config: dict[str, Any],
) -> None:
    register(registry, spec)
    await produce(spec, aio_config, registry, [f"bad-{i}" for i in range(8)], key="same")

    async def handler(event: ConsumedEvent[Any]) -> None:
        raise HandlerError(event.payload.order_id)

    policy = DeadLetterPolicy(max_consecutive=2, max_ratio=None)
    consumer = AsyncConsumer(spec, aio_config, registry, group_id="aio-lim", dead_letter=policy)
    async with consumer:
        with pytest.raises(DeadLetterLimitExceeded, match="3 consecutive failures"):
            await consumer.run(handler, idle_timeout=10)
    assert list(committed(kafka_config["bootstrap.servers"], "aio-lim", spec.name).values()) == [2]


async def test_duplicates_skipped_and_evolution(
    registry: SchemaRegistryClient, topic: str, aio_config: dict[str, Any]
) -> None:
    """A v1 producer's retried event reaches a v2 consumer once, with the new field defaulted."""
    v1, v2 = orders_spec(topic, version=1), orders_spec(topic, version=2)
    register(registry, v1)
    register(registry, v2)
    envelope = Envelope(
        event_id=uuid4(),
        event_type=OrderCreated.AVRO_NAME,
        occurred_at=datetime.now(UTC),
        producer="v1",
        payload=OrderCreated(order_id="o-1", customer_id="c"),
    )
    async with AsyncProducer(v1, aio_config, registry) as producer:
        for _ in range(2):
            await (await producer.send_envelope(envelope))
    received: list[Any] = []

    async def handler(event: ConsumedEvent[Any]) -> None:
        received.append(event.payload)

    store = InMemoryIdempotencyStore()
    async with AsyncConsumer(v2, aio_config, registry, group_id="aio-v2", idempotency=store) as c:
        stats = await c.run(handler, max_messages=2, idle_timeout=10)
    assert received == [OrderCreatedV2(order_id="o-1", customer_id="c", coupon=None)]
    assert stats.duplicates == 1


@pytest.mark.slow
async def test_async_for_commits_what_the_loop_body_finished(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    aio_config: dict[str, Any],
    kafka_config: dict[str, Any],
) -> None:
    register(registry, spec)
    reports = await produce(spec, aio_config, registry, ["o-1", "o-2", "o-3"], key="same")
    seen: list[str] = []
    with pytest.raises(HandlerError):
        async with AsyncConsumer(spec, aio_config, registry, group_id="aio-iter") as consumer:
            async for event in consumer:
                seen.append(event.payload.order_id)
                if event.payload.order_id == "o-2":
                    raise HandlerError("o-2")
    assert seen == ["o-1", "o-2"]
    # o-1 finished; o-2 raised in the loop body, so it and everything after it come again
    assert committed(kafka_config["bootstrap.servers"], "aio-iter", spec.name) == {
        reports[0].partition: reports[1].offset
    }

    async with AsyncConsumer(spec, aio_config, registry, group_id="aio-iter") as consumer:
        async for event in consumer:
            seen.append(event.payload.order_id)
            if event.payload.order_id == "o-3":
                consumer.stop()  # finish after this event
    assert seen == ["o-1", "o-2", "o-2", "o-3"]
    assert committed(kafka_config["bootstrap.servers"], "aio-iter", spec.name) == {
        reports[0].partition: reports[2].offset + 1
    }


class AsyncStore:
    """An async idempotency store (the shape of one on redis.asyncio)."""

    def __init__(self) -> None:
        self.marked: set[Any] = set()

    async def seen(self, event_id: Any) -> bool:
        await asyncio.sleep(0)
        return event_id in self.marked

    async def mark(self, event_id: Any) -> None:
        await asyncio.sleep(0)
        self.marked.add(event_id)


class ThreadRecordingRegistry:
    """The registry, noting which thread asked it for writer schemas."""

    def __init__(self, registry: SchemaRegistryClient) -> None:
        self._registry = registry
        self.threads: list[int] = []

    def lookup_schema(self, subject_name: str, schema: Any) -> Any:
        return self._registry.lookup_schema(subject_name, schema)

    def register_schema(self, subject_name: str, schema: Any) -> int:
        return self._registry.register_schema(subject_name, schema)

    def get_schema(self, schema_id: int) -> Any:
        self.threads.append(threading.get_ident())
        return self._registry.get_schema(schema_id)


async def test_async_store_and_registry_lookups_off_the_loop(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], aio_config: dict[str, Any]
) -> None:
    register(registry, spec)
    reports = await produce(spec, aio_config, registry, ["ok", "bad"], key="same")

    async def handler(event: ConsumedEvent[Any]) -> None:
        if event.payload.order_id == "bad":
            raise HandlerError("cannot handle bad")

    store, recording = AsyncStore(), ThreadRecordingRegistry(registry)
    consumer = AsyncConsumer(spec, aio_config, recording, group_id="aio-st", idempotency=store)
    async with consumer:
        stats = await consumer.run(handler, max_messages=2, idle_timeout=10)
    assert (stats.handled, stats.dead_lettered) == (1, 1)
    assert store.marked == {reports[0].event_id}  # the dead-lettered one is not marked
    # the blocking registry call ran in a worker thread, not on the event loop's
    assert recording.threads and threading.get_ident() not in recording.threads


async def test_start_raises_when_the_schema_is_not_registered(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], aio_config: dict[str, Any]
) -> None:
    producer = AsyncProducer(spec, aio_config, registry)  # constructing asks the registry nothing
    with pytest.raises(SchemaNotRegisteredError, match="contractgen register"):
        async with producer:
            pass


async def test_handler_past_max_poll_interval_redelivers_instead_of_crashing(
    registry: SchemaRegistryClient, topic: str, aio_config: dict[str, Any]
) -> None:
    """A batch that outlives max.poll.interval.ms loses its partitions: aiokafka's commit raises
    CommitFailedError. The consumer logs it and goes on (as the sync one does): the batch comes
    again and the idempotency store skips what was handled."""
    spec = orders_spec(topic)
    register(registry, spec)
    await produce(spec, aio_config, registry, ["o-0", "o-1", "o-2", "o-3"], key="same")
    # the mock cluster accepts timeouts under real brokers' 6 s minimum: the test waits less
    config = {
        **aio_config,
        "session.timeout.ms": 3000,
        "heartbeat.interval.ms": 500,
        "max.poll.interval.ms": 3000,
    }
    calls: list[str] = []

    async def slow_once(event: ConsumedEvent[Any]) -> None:
        calls.append(event.payload.order_id)
        if len(calls) == 2:
            await asyncio.sleep(4.5)

    store = InMemoryIdempotencyStore()
    async with AsyncConsumer(spec, config, registry, group_id="aio-slow", idempotency=store) as c:
        stats = await c.run(slow_once, max_messages=8, idle_timeout=20)
    assert calls == ["o-0", "o-1", "o-2", "o-3"]
    assert (stats.handled, stats.duplicates) == (4, 4)
