"""Our clients and confluent-kafka's Schema Registry serde clients, through the mock cluster."""

from concurrent.futures import wait
from typing import Any
from uuid import UUID

import pytest
from confluent_kafka import DeserializingConsumer, SerializingProducer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer

from contractgen.runtime import ConsumedEvent, Consumer, DeliveryReport, Producer, TopicSpec
from contractgen.runtime.envelope import envelope_to_avro

from .kafka_helpers import header_map, register
from .models import OrderCancelled, OrderCreated, OrderCreatedV2, orders_spec
from .test_serde import envelope

pytestmark = pytest.mark.kafka
TOPIC_STRATEGY = {"subject.name.strategy.type": "TOPIC"}


def test_producer_to_confluent_deserializing_consumer(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    reports: list[object] = []
    with Producer(spec, kafka_config, registry, producer_name="checkout") as producer:
        futures = [
            producer.send(
                OrderCreated(order_id=f"o-{i}", customer_id="c"),
                headers={"source": "test"},
                correlation_id=f"corr-{i}",
                on_delivery=reports.append,
            )
            for i in range(10)
        ]
        producer.flush(10)
    done, _ = wait([f.as_future() for f in futures], timeout=10)
    assert len(done) == 10
    delivered = [f.result() for f in futures]
    assert all(isinstance(r, DeliveryReport) and r.topic == spec.name for r in delivered)
    assert sorted(reports, key=id) == sorted(delivered, key=id)  # callback got the same reports

    consumer = DeserializingConsumer(
        {
            **kafka_config,
            "group.id": "confluent-reader",
            "auto.offset.reset": "earliest",
            "value.deserializer": AvroDeserializer(registry, conf=TOPIC_STRATEGY),
            "key.deserializer": AvroDeserializer(registry, conf=TOPIC_STRATEGY),
        }
    )
    consumer.subscribe([spec.name])
    seen: dict[str, Any] = {}
    try:
        while len(seen) < 10:
            msg = consumer.poll(5)
            assert msg is not None, "timed out waiting for messages"
            value: Any = msg.value()  # the value deserializer's dict
            assert msg.key() == value["payload"]["order_id"]
            assert header_map(msg)["source"] == b"test"
            seen[value["payload"]["order_id"]] = value
    finally:
        consumer.close()
    by_id = {r.event_id: r for r in delivered}
    for i in range(10):
        value = seen[f"o-{i}"]
        assert value["event_type"] == "com.acme.orders.OrderCreated"
        assert value["correlation_id"] == f"corr-{i}" and value["producer"] == "checkout"
        assert isinstance(value["event_id"], UUID) and value["event_id"] in by_id


def test_confluent_serializing_producer_to_consumer(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    """Also checks the bytes after the 5-byte header are what Confluent's serializer writes."""
    register(registry, spec)
    producer = SerializingProducer(
        {
            **kafka_config,
            "value.serializer": AvroSerializer(
                registry,
                Schema(spec.value_schema, "AVRO"),
                conf={**TOPIC_STRATEGY, "auto.register.schemas": False},
            ),
        }
    )
    sent = [envelope(OrderCancelled(order_id=f"o-{i}", reason="r")) for i in range(6)]
    for env in sent:
        producer.produce(spec.name, value=envelope_to_avro(env))
    assert producer.flush(10) == 0

    received: list[ConsumedEvent[Any]] = []
    with Consumer(spec, kafka_config, registry, group_id="ours") as consumer:
        consumer.run(received.append, max_messages=6, idle_timeout=10)
    assert sorted((e.envelope for e in received), key=lambda e: e.payload.order_id) == sent
    assert all(e.key is None for e in received)


@pytest.mark.parametrize(("writer", "reader"), [(1, 2), (2, 1)], ids=["v1-to-v2", "v2-to-v1"])
def test_evolution_on_the_wire(
    registry: SchemaRegistryClient,
    topic: str,
    kafka_config: dict[str, Any],
    writer: int,
    reader: int,
) -> None:
    writer_spec, reader_spec = (
        orders_spec(topic, version=writer),
        orders_spec(topic, version=reader),
    )
    register(registry, orders_spec(topic, version=1))
    register(registry, orders_spec(topic, version=2))
    payload = (
        OrderCreated(order_id="o-1", customer_id="c")
        if writer == 1
        else OrderCreatedV2(order_id="o-1", customer_id="c", coupon="XMAS")
    )
    with Producer(writer_spec, kafka_config, registry) as producer:
        delivery = producer.send(payload)
    assert delivery.result(timeout=0).topic == topic
    received: list[Any] = []
    with Consumer(reader_spec, kafka_config, registry, group_id=f"evolve-{writer}") as consumer:
        consumer.run(lambda event: received.append(event.payload), max_messages=1, idle_timeout=10)
    expected = (
        OrderCreatedV2(order_id="o-1", customer_id="c", coupon=None)
        if reader == 2
        else OrderCreated(order_id="o-1", customer_id="c")
    )
    assert received == [expected]
