"""Typed serde vs confluent-kafka's Avro serde vs raw fastavro, plus producer throughput.

    .venv/bin/python bench/bench_serde.py [--messages N] [--repeat R] [--items K] [--no-kafka]

The value is the envelope of an `orders` topic whose payload is a union of three event records,
with models written in the shape the code generator produces (below). Every path handles the same
events, cycling through the three types:
- typed produce: Envelope(model) -> framed bytes (TopicSerde.serialize_value)
- typed consume: framed bytes -> Envelope(model) (TopicSerde.deserialize_value)
- confluent: AvroSerializer / AvroDeserializer (TOPIC strategy, schema registered), serializing the
  dicts Confluent users write (payload a plain dict, timestamps as datetime), prebuilt; also on
  the tuple-form dicts below (its best case), and from the models through a to_dict callable
  (model -> bytes, like typed produce)
- raw fastavro: schemaless_writer / schemaless_reader plus the 5-byte header, on tuple-form dicts
  with timestamps as ints (the cheapest input fastavro takes), reading with return_record_name
Times are the best of R interleaved runs, in µs per message; ratios come from the same run.
"""

import argparse
import enum
import io
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Self
from uuid import uuid4

import fastavro
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from contractgen.dev import MockKafkaCluster
from contractgen.runtime import Envelope, Producer, TopicSerde, TopicSpec
from contractgen.runtime.envelope import envelope_to_avro, to_millis
from contractgen.runtime.framing import HEADER_SIZE, frame_header

NS = "com.acme.orders"
MILLIS = {"type": "long", "logicalType": "timestamp-millis"}
OPTIONAL = ["null", "string"]


def record(name: str, *fields: tuple[str, Any]) -> dict[str, Any]:
    spec = [
        {"name": n, "type": t} | ({"default": None} if t == OPTIONAL else {}) for n, t in fields
    ]
    return {"type": "record", "name": name, "namespace": NS, "fields": spec}


ADDRESS = record(
    "Address",
    ("line1", "string"),
    ("line2", OPTIONAL),
    ("city", "string"),
    ("postal_code", "string"),
    ("country_code", "string"),
)
CUSTOMER = record(
    "Customer",
    ("customer_id", "string"),
    ("email", "string"),
    ("display_name", "string"),
    ("loyalty_tier", OPTIONAL),
)
LINE_ITEM = record(
    "LineItem",
    ("sku", "string"),
    ("name", "string"),
    ("quantity", "int"),
    ("unit_price_cents", "long"),
)
CHANNEL = {
    "type": "enum",
    "name": "SalesChannel",
    "namespace": NS,
    "symbols": ["WEB", "APP", "STORE"],
}
PLACED = record(
    "OrderPlaced",
    ("order_id", "string"),
    ("customer", CUSTOMER),
    ("shipping_address", ADDRESS),
    ("items", {"type": "array", "items": LINE_ITEM}),
    ("currency", "string"),
    ("total_cents", "long"),
    ("coupon_code", OPTIONAL),
    ("channel", CHANNEL),
    ("placed_at", MILLIS),
)
CAPTURED = record(
    "PaymentCaptured",
    ("order_id", "string"),
    ("payment_id", "string"),
    ("amount_cents", "long"),
    ("currency", "string"),
    ("processor_reference", "string"),
    ("card_last4", OPTIONAL),
    ("captured_at", MILLIS),
)
CANCELLED = record(
    "OrderCancelled",
    ("order_id", "string"),
    ("reason", "string"),
    ("cancelled_by", "string"),
    ("refund_cents", "long"),
    ("restock", "boolean"),
    ("cancelled_at", MILLIS),
)


class SalesChannel(enum.Enum):
    WEB = "WEB"
    APP = "APP"
    STORE = "STORE"


@dataclass(slots=True, kw_only=True)
class Address:
    AVRO_NAME: ClassVar[str] = f"{NS}.Address"
    AVRO_SCHEMA: ClassVar[str] = json.dumps(ADDRESS)
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    country_code: str

    def to_avro(self) -> dict[str, Any]:
        return {
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "postal_code": self.postal_code,
            "country_code": self.country_code,
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            line1=data["line1"],
            line2=data["line2"],
            city=data["city"],
            postal_code=data["postal_code"],
            country_code=data["country_code"],
        )


@dataclass(slots=True, kw_only=True)
class Customer:
    AVRO_NAME: ClassVar[str] = f"{NS}.Customer"
    AVRO_SCHEMA: ClassVar[str] = json.dumps(CUSTOMER)
    customer_id: str
    email: str
    display_name: str
    loyalty_tier: str | None = None

    def to_avro(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "email": self.email,
            "display_name": self.display_name,
            "loyalty_tier": self.loyalty_tier,
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            customer_id=data["customer_id"],
            email=data["email"],
            display_name=data["display_name"],
            loyalty_tier=data["loyalty_tier"],
        )


@dataclass(slots=True, kw_only=True)
class LineItem:
    AVRO_NAME: ClassVar[str] = f"{NS}.LineItem"
    AVRO_SCHEMA: ClassVar[str] = json.dumps(LINE_ITEM)
    sku: str
    name: str
    quantity: int
    unit_price_cents: int

    def to_avro(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "unit_price_cents": self.unit_price_cents,
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            sku=data["sku"],
            name=data["name"],
            quantity=data["quantity"],
            unit_price_cents=data["unit_price_cents"],
        )


@dataclass(slots=True, kw_only=True)
class OrderPlaced:
    AVRO_NAME: ClassVar[str] = f"{NS}.OrderPlaced"
    AVRO_SCHEMA: ClassVar[str] = json.dumps(PLACED)
    order_id: str
    customer: Customer
    shipping_address: Address
    items: list[LineItem] = field(default_factory=list)
    currency: str
    total_cents: int
    coupon_code: str | None = None
    channel: SalesChannel
    placed_at: datetime

    def to_avro(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "customer": self.customer.to_avro(),
            "shipping_address": self.shipping_address.to_avro(),
            "items": [item.to_avro() for item in self.items],
            "currency": self.currency,
            "total_cents": self.total_cents,
            "coupon_code": self.coupon_code,
            "channel": self.channel.value,
            "placed_at": to_millis(self.placed_at),
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            order_id=data["order_id"],
            customer=Customer.from_avro(data["customer"]),
            shipping_address=Address.from_avro(data["shipping_address"]),
            items=[LineItem.from_avro(item) for item in data["items"]],
            currency=data["currency"],
            total_cents=data["total_cents"],
            coupon_code=data["coupon_code"],
            channel=SalesChannel(data["channel"]),
            placed_at=data["placed_at"],
        )


@dataclass(slots=True, kw_only=True)
class PaymentCaptured:
    AVRO_NAME: ClassVar[str] = f"{NS}.PaymentCaptured"
    AVRO_SCHEMA: ClassVar[str] = json.dumps(CAPTURED)
    order_id: str
    payment_id: str
    amount_cents: int
    currency: str
    processor_reference: str
    card_last4: str | None = None
    captured_at: datetime

    def to_avro(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "payment_id": self.payment_id,
            "amount_cents": self.amount_cents,
            "currency": self.currency,
            "processor_reference": self.processor_reference,
            "card_last4": self.card_last4,
            "captured_at": to_millis(self.captured_at),
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            order_id=data["order_id"],
            payment_id=data["payment_id"],
            amount_cents=data["amount_cents"],
            currency=data["currency"],
            processor_reference=data["processor_reference"],
            card_last4=data["card_last4"],
            captured_at=data["captured_at"],
        )


@dataclass(slots=True, kw_only=True)
class OrderCancelled:
    AVRO_NAME: ClassVar[str] = f"{NS}.OrderCancelled"
    AVRO_SCHEMA: ClassVar[str] = json.dumps(CANCELLED)
    order_id: str
    reason: str
    cancelled_by: str
    refund_cents: int
    restock: bool
    cancelled_at: datetime

    def to_avro(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "reason": self.reason,
            "cancelled_by": self.cancelled_by,
            "refund_cents": self.refund_cents,
            "restock": self.restock,
            "cancelled_at": to_millis(self.cancelled_at),
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            order_id=data["order_id"],
            reason=data["reason"],
            cancelled_by=data["cancelled_by"],
            refund_cents=data["refund_cents"],
            restock=data["restock"],
            cancelled_at=data["cancelled_at"],
        )


EVENTS: tuple[type[Any], ...] = (OrderPlaced, PaymentCaptured, OrderCancelled)


def orders_spec(topic: str) -> TopicSpec[Any]:
    envelope = {
        "type": "record",
        "name": "OrdersEnvelope",
        "namespace": NS,
        "fields": [
            {"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "event_type", "type": "string"},
            {"name": "occurred_at", "type": MILLIS},
            {"name": "producer", "type": "string"},
            {"name": "correlation_id", "type": OPTIONAL, "default": None},
            {"name": "trace_id", "type": OPTIONAL, "default": None},
            {"name": "payload", "type": [PLACED, CAPTURED, CANCELLED]},
        ],
    }
    return TopicSpec(
        name=topic,
        value_subject=f"{topic}-value",
        key_subject=f"{topic}-key",
        value_schema=json.dumps(envelope, separators=(",", ":")),
        key_schema='"string"',
        events={cls.AVRO_NAME: cls for cls in EVENTS},
        key_field="order_id",
    )


def events(count: int, items: int) -> list[Envelope[Any]]:
    now = datetime.now(UTC).replace(microsecond=123000)
    payloads: list[Any] = [
        OrderPlaced(
            order_id="ord-000123",
            customer=Customer(
                customer_id="cust-42",
                email="ada@example.com",
                display_name="Ada Lovelace",
                loyalty_tier="gold",
            ),
            shipping_address=Address(
                line1="12 Analytical Row", city="London", postal_code="N1 9GU", country_code="GB"
            ),
            items=[
                LineItem(sku=f"sku-{i}", name=f"Widget {i}", quantity=i + 1, unit_price_cents=1999)
                for i in range(items)
            ],
            currency="EUR",
            total_cents=5997,
            channel=SalesChannel.WEB,
            placed_at=now,
        ),
        PaymentCaptured(
            order_id="ord-000123",
            payment_id="pay-987",
            amount_cents=5997,
            currency="EUR",
            processor_reference="psp-7f3a9c",
            card_last4="4242",
            captured_at=now,
        ),
        OrderCancelled(
            order_id="ord-000123",
            reason="customer request",
            cancelled_by="support",
            refund_cents=5997,
            restock=True,
            cancelled_at=now,
        ),
    ]
    return [
        Envelope(
            event_id=uuid4(),
            event_type=payloads[i % 3].AVRO_NAME,
            occurred_at=now + timedelta(milliseconds=i),
            producer="checkout-service",
            correlation_id=f"corr-{i}",
            payload=payloads[i % 3],
        )
        for i in range(count)
    ]


def best_us(runs: dict[str, Callable[[], object]], count: int, rounds: int) -> dict[str, float]:
    """Best time per message of each run; runs interleave so machine load hits all alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter_ns()
            run()
            best[name] = min(best[name], (time.perf_counter_ns() - start) / count / 1000)
    return best


def plain_dict(envelope: Envelope[Any]) -> dict[str, Any]:
    """What a Confluent user passes: nested plain dicts, datetimes for timestamps."""
    payload = envelope.payload.to_avro()
    for key in ("placed_at", "captured_at", "cancelled_at"):
        if key in payload:
            payload[key] = getattr(envelope.payload, key)
    datum = envelope_to_avro(envelope)
    return {**datum, "occurred_at": envelope.occurred_at, "payload": payload}


def serde_bench(count: int, repeat: int, items: int) -> dict[str, float]:
    spec = orders_spec("orders")
    registry = SchemaRegistryClient.new_client({"url": "mock://bench"})
    registry.register_schema(spec.value_subject, Schema(spec.value_schema, "AVRO"))
    serde = TopicSerde(spec, registry)
    envelopes = events(count, items)
    datums = [envelope_to_avro(e) for e in envelopes]
    plain = [plain_dict(e) for e in envelopes]
    framed = [serde.serialize_value(e) for e in envelopes]
    ctx = SerializationContext(spec.name, MessageField.VALUE)
    conf = {"subject.name.strategy.type": "TOPIC"}
    confluent_ser = AvroSerializer(
        registry, Schema(spec.value_schema, "AVRO"), conf={**conf, "auto.register.schemas": False}
    )
    confluent_de = AvroDeserializer(registry, conf=conf)
    confluent_models = AvroSerializer(
        registry,
        Schema(spec.value_schema, "AVRO"),
        to_dict=lambda envelope, _: plain_dict(envelope),
        conf={**conf, "auto.register.schemas": False},
    )
    parsed = fastavro.parse_schema(json.loads(spec.value_schema))
    header = frame_header(1)
    assert all(confluent_ser(d, ctx) == f for d, f in zip(plain, framed, strict=True))
    assert [serde.deserialize_value(f)[1] for f in framed] == envelopes

    def raw_write() -> None:
        for datum in datums:
            out = io.BytesIO()
            out.write(header)
            fastavro.schemaless_writer(out, parsed, datum)
            out.getvalue()

    def raw_read() -> None:
        for data in framed:
            source = io.BytesIO(data)
            source.seek(HEADER_SIZE)
            fastavro.schemaless_reader(source, parsed, None, return_record_name=True)

    def each(function: Callable[[Any], object], inputs: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for item in inputs:  # results dropped, as in the raw loops: no growing heap for GC
                function(item)

        return run

    runs: dict[str, Callable[[], object]] = {
        "typed produce": each(serde.serialize_value, envelopes),
        "confluent AvroSerializer": each(lambda d: confluent_ser(d, ctx), plain),
        "confluent AvroSerializer, tuple-form dicts": each(lambda d: confluent_ser(d, ctx), datums),
        "confluent AvroSerializer, to_dict from models": each(
            lambda e: confluent_models(e, ctx), envelopes
        ),
        "raw fastavro write": raw_write,
        "typed consume": each(serde.deserialize_value, framed),
        "confluent AvroDeserializer": each(lambda f: confluent_de(f, ctx), framed),
        "raw fastavro read": raw_read,
    }
    return best_us(runs, count, repeat)


def producer_bench(count: int, items: int) -> float:
    """Events per second through Producer.send + flush on a mock cluster."""
    spec = orders_spec("bench-orders")
    registry = SchemaRegistryClient.new_client({"url": "mock://bench-kafka"})
    registry.register_schema(spec.value_subject, Schema(spec.value_schema, "AVRO"))
    registry.register_schema(spec.key_subject, Schema(spec.key_schema, "AVRO"))
    payloads = [e.payload for e in events(count, items)]
    with MockKafkaCluster() as cluster:
        config = {"bootstrap.servers": cluster.bootstrap_servers, "linger.ms": 5}
        with Producer(spec, config, registry) as producer:
            producer.send(payloads[0]).result(timeout=10)  # connected, schema ids resolved
            start = time.perf_counter()
            for payload in payloads:
                producer.send(payload)
            assert producer.flush(60) == 0
            return count / (time.perf_counter() - start)


def report(results: dict[str, float]) -> list[str]:
    ser, cser, rser = (
        results[k] for k in ("typed produce", "confluent AvroSerializer", "raw fastavro write")
    )
    de, cde, rde = (
        results[k] for k in ("typed consume", "confluent AvroDeserializer", "raw fastavro read")
    )
    return [
        *(f"{name:<44} {us:8.2f} µs/msg" for name, us in results.items()),
        "",
        f"typed produce: {cser / ser:.2f}x faster than Confluent on dicts (target >= 2), "
        f"{results['confluent AvroSerializer, to_dict from models'] / ser:.2f}x than Confluent "
        f"from the same models, {ser / rser:.2f}x raw fastavro (target <= 1.25)",
        f"typed consume: {cde / de:.2f}x faster than Confluent (target >= 3), "
        f"{de / rde:.2f}x raw fastavro (target <= 1.3)",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--items", type=int, default=3, help="line items per OrderPlaced")
    parser.add_argument("--no-kafka", action="store_true", help="skip the producer throughput run")
    args = parser.parse_args(argv)
    print("\n".join(report(serde_bench(args.messages, args.repeat, args.items))))
    if not args.no_kafka:
        rate = producer_bench(args.messages, args.items)
        print(f"\nProducer.send + flush on the mock cluster: {rate:,.0f} events/s")


if __name__ == "__main__":
    main()
