import io
import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import fastavro
import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from contractgen.runtime import (
    DeserializationError,
    Envelope,
    FramingError,
    SchemaNotRegisteredError,
    TopicSerde,
    TopicSpec,
)
from contractgen.runtime.envelope import envelope_to_avro
from contractgen.runtime.framing import frame

from .kafka_helpers import register
from .models import LineItem, OrderCancelled, OrderCreated, OrderCreatedV2, OrderPaid, orders_spec


def envelope(payload: Any, **extra: Any) -> Envelope[Any]:
    return Envelope(
        event_id=uuid4(),
        event_type=payload.AVRO_NAME,
        occurred_at=datetime(2026, 11, 27, 13, 0, 0, 123000, tzinfo=UTC),
        producer="checkout",
        payload=payload,
        **extra,
    )


EVENTS = [
    OrderCreated(
        order_id="o-1", customer_id="c-1", items=[LineItem(sku="s", quantity=2, price_cents=150)]
    ),
    OrderPaid(
        order_id="o-1",
        payment_id="p-1",
        amount_cents=300,
        paid_at=datetime(2026, 1, 2, 3, 4, 5, 6000, tzinfo=UTC),
    ),
    OrderCancelled(order_id="o-1", reason=None),
]


@pytest.mark.parametrize("payload", EVENTS, ids=lambda e: type(e).__name__)
def test_round_trip(registry: SchemaRegistryClient, spec: TopicSpec[Any], payload: Any) -> None:
    register(registry, spec)
    serde = TopicSerde(spec, registry)
    original = envelope(payload, correlation_id="corr", trace_id="trace")
    schema_id, decoded = serde.deserialize_value(serde.serialize_value(original))
    assert decoded == original
    assert (
        schema_id
        == registry.lookup_schema(spec.value_subject, Schema(spec.value_schema, "AVRO")).schema_id
    )
    assert serde.deserialize_key(serde.serialize_key("o-1")) == "o-1"


def test_same_bytes_as_confluent_serializer(
    registry: SchemaRegistryClient, spec: TopicSpec[Any]
) -> None:
    register(registry, spec)
    serde = TopicSerde(spec, registry)
    original = envelope(EVENTS[0])
    conf = {"auto.register.schemas": False, "subject.name.strategy.type": "TOPIC"}
    confluent = AvroSerializer(registry, Schema(spec.value_schema, "AVRO"), conf=conf)
    ctx = SerializationContext(spec.name, MessageField.VALUE)
    datum = envelope_to_avro(original)
    assert serde.serialize_value(original) == confluent(datum, ctx)
    # Confluent's serializer can't take the registry's '"string"' form of a primitive schema
    # (it expects an object), so it registers its own spelling: compare what follows the header
    key_conf = {**conf, "auto.register.schemas": True}
    key_serializer = AvroSerializer(registry, '{"type": "string"}', conf=key_conf)
    key_ctx = SerializationContext(spec.name, MessageField.KEY)
    ours, theirs = serde.serialize_key("o-1"), key_serializer("o-1", key_ctx)
    assert ours is not None and theirs is not None
    assert ours[5:] == theirs[5:]
    # and Confluent's deserializer reads ours
    read = AvroDeserializer(registry, conf={"subject.name.strategy.type": "TOPIC"})(
        serde.serialize_value(original), ctx
    )
    assert read["event_id"] == original.event_id
    assert read["payload"]["order_id"] == "o-1"


def test_evolution_both_ways(registry: SchemaRegistryClient, topic: str) -> None:
    v1, v2 = orders_spec(topic, version=1), orders_spec(topic, version=2)
    register(registry, v1)
    register(registry, v2)
    old, new = TopicSerde(v1, registry), TopicSerde(v2, registry)
    created = OrderCreated(order_id="o-1", customer_id="c-1")
    assert new.deserialize_value(old.serialize_value(envelope(created)))[
        1
    ].payload == OrderCreatedV2(order_id="o-1", customer_id="c-1", coupon=None)
    created_v2 = OrderCreatedV2(order_id="o-2", customer_id="c-2", coupon="XMAS")
    assert old.deserialize_value(new.serialize_value(envelope(created_v2)))[
        1
    ].payload == OrderCreated(order_id="o-2", customer_id="c-2")


def test_unregistered_schema_fails_unless_auto_register(
    registry: SchemaRegistryClient, spec: TopicSpec[Any]
) -> None:
    with pytest.raises(SchemaNotRegisteredError, match="contractgen register"):
        TopicSerde(spec, registry).serialize_value(envelope(EVENTS[2]))
    data = TopicSerde(spec, registry, auto_register=True).serialize_value(envelope(EVENTS[2]))
    assert TopicSerde(spec, registry).deserialize_value(data)[1].payload == EVENTS[2]


def test_undecodable_values(registry: SchemaRegistryClient, spec: TopicSpec[Any]) -> None:
    register(registry, spec)
    serde = TopicSerde(spec, registry)
    with pytest.raises(FramingError):
        serde.deserialize_value(b"plain text")
    with pytest.raises(DeserializationError, match="schema id 999 is not in the schema registry"):
        serde.deserialize_value(frame(999, b""))
    good = serde.serialize_value(envelope(EVENTS[0]))
    with pytest.raises(DeserializationError, match="cannot decode"):
        serde.deserialize_value(good[:12])


def test_unknown_event_type(registry: SchemaRegistryClient, spec: TopicSpec[Any]) -> None:
    """A writer whose union has a record the reader lacks is rejected, not misread."""
    other = {"type": "record", "name": "OrderShipped", "namespace": "com.acme.orders", "fields": []}
    value_schema = json.loads(spec.value_schema)
    value_schema["fields"][-1]["type"].append(other)
    # Under a subject of its own: the registry would refuse it as the next version (a union
    # branch the reader lacks is not BACKWARD compatible), which is the point of this test.
    writer_id = registry.register_schema(
        f"{spec.value_subject}-newer-writer", Schema(json.dumps(value_schema), "AVRO")
    )
    register(registry, spec)
    body = io.BytesIO()
    datum = {
        **envelope_to_avro(envelope(EVENTS[2])),
        "payload": ("com.acme.orders.OrderShipped", {}),
    }
    fastavro.schemaless_writer(body, fastavro.parse_schema(value_schema), datum)
    with pytest.raises(DeserializationError):
        TopicSerde(spec, registry).deserialize_value(frame(writer_id, body.getvalue()))
