"""The hand-written envelope encoding is byte-for-byte fastavro's, or not used at all."""

import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import fastavro
from confluent_kafka.schema_registry import SchemaRegistryClient
from hypothesis import given
from hypothesis import strategies as st

from contractgen.runtime import TopicSerde
from contractgen.runtime.envelope import Envelope, envelope_to_avro, wire_schema
from contractgen.runtime.envelope_writer import EnvelopeWriter
from contractgen.runtime.record_writer import zigzag_varint

from .kafka_helpers import register
from .models import OrderCancelled, OrderCreated, OrderPaid, orders_spec

SCHEMA = json.loads(orders_spec("orders").value_schema)
WRITER = EnvelopeWriter.for_schema(SCHEMA)
FASTAVRO = fastavro.parse_schema(wire_schema(SCHEMA))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

texts = st.text(max_size=300)
moments = st.integers(min_value=-(10**13), max_value=10**14).map(
    lambda ms: EPOCH + timedelta(milliseconds=ms)
)
payloads = st.one_of(
    st.builds(OrderCreated, order_id=texts, customer_id=texts, currency=texts),
    st.builds(
        OrderPaid,
        order_id=texts,
        payment_id=texts,
        amount_cents=st.integers(-(2**63), 2**63 - 1),
        paid_at=moments,
    ),
    st.builds(OrderCancelled, order_id=texts, reason=st.none() | texts),
)


def fastavro_bytes(envelope: Envelope[Any]) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, FASTAVRO, envelope_to_avro(envelope))
    return out.getvalue()


@given(
    event_id=st.uuids(),
    event_type=texts,
    occurred_at=moments,
    producer=texts,
    correlation_id=st.none() | texts,
    trace_id=st.none() | texts,
    payload=payloads,
)
def test_same_bytes_as_fastavro(  # noqa: PLR0917 - one argument per envelope field
    event_id: UUID,
    event_type: str,
    occurred_at: datetime,
    producer: str,
    correlation_id: str | None,
    trace_id: str | None,
    payload: Any,
) -> None:
    envelope = Envelope(
        event_id=event_id,
        event_type=event_type,
        occurred_at=occurred_at,
        producer=producer,
        correlation_id=correlation_id,
        trace_id=trace_id,
        payload=payload,
    )
    assert WRITER is not None
    out = io.BytesIO()
    WRITER.write(out, envelope)
    assert out.getvalue() == fastavro_bytes(envelope)


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_zigzag_varint_is_avro_long(value: int) -> None:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, "long", value)
    assert zigzag_varint(value) == out.getvalue()


def test_other_layouts_use_the_generic_path() -> None:
    reordered = {
        **SCHEMA,
        "fields": [SCHEMA["fields"][1], SCHEMA["fields"][0], *SCHEMA["fields"][2:]],
    }
    assert EnvelopeWriter.for_schema(reordered) is None
    documented = {**SCHEMA, "fields": [{**f, "doc": "why"} for f in SCHEMA["fields"]]}
    assert EnvelopeWriter.for_schema(documented) is not None


def test_generic_path_round_trip(registry: SchemaRegistryClient, topic: str) -> None:
    spec = orders_spec(topic)
    fields = SCHEMA["fields"]
    reordered = json.dumps({**SCHEMA, "fields": [fields[1], fields[0], *fields[2:]]})
    spec = replace(spec, value_schema=reordered)
    register(registry, spec)
    envelope = Envelope(
        event_id=uuid4(),
        event_type=OrderCancelled.AVRO_NAME,
        occurred_at=datetime(2026, 11, 27, 12, 0, 0, 5000, tzinfo=UTC),
        producer="p",
        payload=OrderCancelled(order_id="o-1"),
    )
    serde = TopicSerde(spec, registry)
    assert serde.deserialize_value(serde.serialize_value(envelope))[1] == envelope
