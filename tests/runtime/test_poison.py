"""No message can stall a partition: every kind of undecodable message among valid ones ends in
the dead-letter topic with its reason, every valid one is handled once, and the group commits
past all of them. A transient registry failure is retried, not dead-lettered."""

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import confluent_kafka
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import (
    AsyncConsumer,
    ConsumedEvent,
    Consumer,
    ConsumerStats,
    Producer,
    TopicSpec,
)
from contractgen.runtime import dead_letter as dlq
from contractgen.runtime import metrics as m
from contractgen.runtime.errors import Reason
from contractgen.runtime.framing import frame
from contractgen.runtime.registry import RegistryRetry

from .kafka_helpers import committed, header_map, read_topic, register
from .models import OrderCancelled
from .recorder import Recorder
from .registry_front import RegistryFront, registry_front

pytestmark = pytest.mark.kafka

_NAMES_A_MISSING_TYPE = json.dumps(
    {
        "type": "record",
        "name": "Order",
        "namespace": "com.acme",
        "fields": [{"name": "customer", "type": "com.acme.Customer"}],
    }
)
# schema id -> what the registry answers for it, and the reason the message is dead-lettered
SERVED: dict[int, tuple[dict[str, Any], Reason]] = {
    900001: (
        {
            "schemaType": "PROTOBUF",
            "schema": 'syntax = "proto3";\nmessage Order { string id = 1; }',
        },
        Reason.SCHEMA_TYPE,
    ),
    900002: (
        {"schemaType": "JSON", "schema": '{"type":"object","properties":{"id":{"type":"string"}}}'},
        Reason.SCHEMA_TYPE,
    ),
    900003: ({"schema": '{"type": "record", "name": "Order", "fields": ['}, Reason.SCHEMA_INVALID),
    900004: ({"schema": _NAMES_A_MISSING_TYPE}, Reason.SCHEMA_INVALID),
    900005: (
        {
            "schema": _NAMES_A_MISSING_TYPE,
            "references": [{"name": "com.acme.Customer", "subject": "customer", "version": 1}],
        },
        Reason.SCHEMA_REFERENCES,
    ),
}
NOT_REGISTERED = 900006  # the embedded registry answers 404 for it itself


class Mix:
    """Valid and poison messages on one topic, and where each landed."""

    def __init__(self) -> None:
        self.valid: list[str] = []
        self.poison: dict[bytes, Reason] = {}  # value -> expected reason
        self.ends: dict[int, int] = {}  # partition -> last offset + 1

    def landed(self, partition: int, offset: int) -> None:
        self.ends[partition] = max(self.ends.get(partition, 0), offset + 1)


def produce_mix(spec: TopicSpec[Any], config: dict[str, Any], registry: Any) -> Mix:
    mix = Mix()
    value_id = registry.get_latest_version(spec.value_subject).schema_id
    poison = {frame(schema_id, b"\x02\x04ab"): reason for schema_id, (_, reason) in SERVED.items()}
    poison[frame(NOT_REGISTERED, b"\x02")] = Reason.SCHEMA_NOT_FOUND
    poison[b'{"order_id": "o-1"}'] = Reason.NOT_FRAMED
    poison[frame(value_id, b"\xff\xff\xff\xff")] = Reason.UNDECODABLE
    raw = confluent_kafka.Producer(config)
    with Producer(spec, config, registry) as producer:
        for batch in range(3):  # valid messages before, between and after the poison ones
            futures = [
                producer.send(OrderCancelled(order_id=f"o-{batch}-{i}"), key=f"k{i}")
                for i in range(8)
            ]
            mix.valid += [f"o-{batch}-{i}" for i in range(8)]
            producer.flush(10)
            for future in futures:
                report = future.result(10)
                mix.landed(report.partition, report.offset)
            if batch < 2:
                for i, value in enumerate(list(poison)[batch::2]):
                    raw.produce(
                        spec.name,
                        value=value,
                        key=f"k{i}".encode(),
                        on_delivery=lambda _err, msg: mix.landed(msg.partition(), msg.offset()),
                    )
                assert raw.flush(10) == 0
    mix.poison = poison
    return mix


Poisoned = tuple[Mix, SchemaRegistryClient, RegistryFront]


@pytest.fixture
def poisoned(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    kafka_config: dict[str, Any],
    schema_registry_url: str,
) -> Iterator[Poisoned]:
    """The mix on the topic, and a registry client for the consumer that reaches the registry
    through the front; the topic's own schema fetch answers 503 twice first."""
    register(registry, spec)
    mix = produce_mix(spec, kafka_config, registry)
    served = {schema_id: body for schema_id, (body, _) in SERVED.items()}
    with registry_front(schema_registry_url, served) as (url, front):
        front.fail_next(registry.get_latest_version(spec.value_subject).schema_id, 2)
        # the client's own retries off, so the runtime's retries are what the test sees
        yield mix, SchemaRegistryClient({"url": url, "max.retries": 0}), front


def observed(consumer: Consumer[Any] | AsyncConsumer[Any]) -> Recorder:
    consumer.metrics = recorder = Recorder()
    consumer.registry_retry = RegistryRetry(initial_backoff=0.05, deadline=10)
    return recorder


def check(
    spec: TopicSpec[Any],
    config: dict[str, Any],
    *,
    group: str,
    mix: Mix,
    handled: list[str],
    stats: ConsumerStats,
    recorder: Recorder,
) -> None:
    bootstrap = config["bootstrap.servers"]
    assert Counter(handled) == Counter(mix.valid)  # every valid message, once
    dead = read_topic(bootstrap, spec.dead_letter_topic, len(mix.poison) + 1, timeout=3)
    reasons = {msg.value(): header_map(msg) for msg in dead}
    assert {value: Reason(h[dlq.REASON].decode()) for value, h in reasons.items()} == mix.poison
    for headers in reasons.values():
        assert headers[dlq.ERROR_STACKTRACE].startswith(b"Traceback (most recent call last)")
    assert committed(bootstrap, group, spec.name) == mix.ends  # past every message
    expected = Counter(r.value for r in mix.poison.values())
    assert stats.decode_failures == stats.dead_lettered == len(mix.poison)
    assert stats.handled == len(mix.valid)
    assert recorder.by_reason(m.DEAD_LETTERED) == recorder.by_reason(m.DECODE_FAILURES) == expected
    # the topic's schema was fetched through two 503s
    assert stats.registry_retries == 2
    assert recorder.total(m.REGISTRY_RETRIES, spec.name) == 2
    assert recorder.total(m.HANDLED, spec.name) == len(mix.valid)
    assert recorder.observed and all(name == m.COMMIT_SECONDS for name, _ in recorder.observed)


def test_poison_messages_go_to_the_dlq_and_never_stall_the_partition(
    spec: TopicSpec[Any], kafka_config: dict[str, Any], poisoned: Poisoned
) -> None:
    mix, registry, front = poisoned
    handled: list[str] = []
    with Consumer(spec, kafka_config, registry, group_id="poison") as consumer:
        recorder = observed(consumer)
        stats = consumer.run(
            lambda event: handled.append(event.payload.order_id),
            max_messages=len(mix.valid) + len(mix.poison),
            idle_timeout=10,
        )
    check(
        spec, kafka_config, group="poison", mix=mix, handled=handled, stats=stats, recorder=recorder
    )
    # a schema that can never be read is asked for once, whatever the number of its messages
    assert Counter(front.fetches)[900001] == 1


def test_poison_messages_async_with_the_same_config(
    spec: TopicSpec[Any], kafka_config: dict[str, Any], poisoned: Poisoned
) -> None:
    mix, registry, _ = poisoned
    handled: list[str] = []

    async def handle(event: ConsumedEvent[Any]) -> None:
        handled.append(event.payload.order_id)

    async def consume() -> tuple[ConsumerStats, Recorder]:
        # the sync consumer's librdkafka-style dict, as is
        consumer = AsyncConsumer(spec, kafka_config, registry, group_id="poison-async")
        recorder = observed(consumer)
        async with consumer:
            stats = await consumer.run(
                handle, max_messages=len(mix.valid) + len(mix.poison), idle_timeout=10
            )
        return stats, recorder

    stats, recorder = asyncio.run(consume())
    check(
        spec,
        kafka_config,
        group="poison-async",
        mix=mix,
        handled=handled,
        stats=stats,
        recorder=recorder,
    )
