"""The orders events and the three ways the benchmarks produce them, shared by bench_paths.py
(CPU per message) and bench_throughput.py (events/s by the wall clock).

The same messages from each (the three generated `orders` events in turn, each in a new envelope
with a uuid4 and the time), the same delivery settings (idempotent, acks=all, murmur2_random,
linger.ms=5) and a delivery callback each:
- typed: the generated `OrdersProducer.send`;
- confluent: `SerializingProducer` (AvroSerializer key and value, TOPIC strategy) from the
  model's `to_avro()` in an envelope dict;
- raw: `schemaless_writer` bytes after the 5-byte header into `confluent_kafka.Producer` (the
  floor).
The mock cluster runs in its own process (`broker`), the embedded registry is served over HTTP
(`cluster_and_registry`), and schema ids are resolved once, at start.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import confluent_kafka
import fastavro
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository's generated/

from contractgen.registry.embedded.server import serve_in_thread
from generated.models.com.acme.common import Money
from generated.models.com.acme.orders import (
    CancellationReason,
    LineItem,
    OrderCancelled,
    OrderCreated,
    OrderPaid,
)
from generated.orders import TOPIC, OrdersEvent, OrdersProducer

HEADER = b"\x00"
SAME_DELIVERY = {"enable.idempotence": True, "acks": "all", "partitioner": "murmur2_random"}
"""The runtime producer's librdkafka defaults, given to the baselines so all do the same work."""


def events() -> list[OrdersEvent]:
    now = datetime.now(UTC)
    items = [LineItem(sku=f"SKU-{n}", quantity=n + 1, unit_price=Decimal("9.99")) for n in range(3)]
    return [
        OrderCreated(
            order_id="o-1",
            customer_id="c-1",
            items=items,
            amount=Decimal("29.97"),
            currency="EUR",
            created_at=now,
            attributes={"campaign": "spring"},
        ),
        OrderPaid(
            order_id="o-1",
            payment_id="p-1",
            paid=Money(amount=Decimal("29.97"), currency="EUR"),
            paid_at=now,
        ),
        OrderCancelled(order_id="o-2", reason=CancellationReason.FRAUD_SUSPECTED, cancelled_at=now),
    ]


def envelope_dict(event: OrdersEvent, name: str) -> dict[str, Any]:
    """The envelope as a Confluent user builds it from the model, payload in tuple form."""
    return {
        "event_id": str(uuid4()),
        "event_type": name,
        "occurred_at": datetime.now(UTC),
        "producer": "bench",
        "correlation_id": None,
        "trace_id": None,
        "payload": (name, event.to_avro()),
    }


class Producers:
    """The three producers and their `send` of message number n (the events in turn)."""

    def __init__(
        self,
        bootstrap: str,
        client: SchemaRegistryClient,
        on_delivery: Callable[[Any, Any], None],
        on_report: Callable[[object], None],
    ) -> None:
        """`on_delivery(err, msg)`: librdkafka's callback (confluent, raw); `on_report(report)`:
        OrdersProducer's (the report, or the error)."""
        self.on_delivery, self.on_report = on_delivery, on_report
        self.events = events()
        self.names = [f"com.acme.orders.{type(e).__name__}" for e in self.events]
        self.config = {"bootstrap.servers": bootstrap, "linger.ms": 5}
        self.typed = OrdersProducer(self.config, client, auto_register=True)
        self.value_id = client.lookup_schema(
            TOPIC.value_subject, Schema(TOPIC.value_schema, "AVRO")
        ).schema_id
        key_id = client.lookup_schema(TOPIC.key_subject, Schema(TOPIC.key_schema, "AVRO")).schema_id
        self.value_header = HEADER + self.value_id.to_bytes(4, "big")
        self.key_header = HEADER + key_id.to_bytes(4, "big")
        self.value_schema = fastavro.parse_schema(json.loads(TOPIC.value_schema))
        self.key_schema = fastavro.parse_schema(json.loads(TOPIC.key_schema))
        strategy = {"auto.register.schemas": False, "use.latest.version": False}
        self.confluent = confluent_kafka.SerializingProducer(
            {
                **self.config,
                **SAME_DELIVERY,
                "key.serializer": AvroSerializer(
                    client,
                    TOPIC.key_schema,
                    conf={**strategy, "subject.name.strategy": _key_strategy},
                ),
                "value.serializer": AvroSerializer(
                    client,
                    TOPIC.value_schema,
                    conf={**strategy, "subject.name.strategy": _topic_strategy},
                ),
            }
        )
        self.raw = confluent_kafka.Producer({**self.config, **SAME_DELIVERY})

    def send_typed(self, n: int) -> None:
        self.typed.send(self.events[n % 3], on_delivery=self.on_report)

    def send_confluent(self, n: int) -> None:
        event = self.events[n % 3]
        value = envelope_dict(event, self.names[n % 3])
        self.confluent.produce(
            "orders", key=event.order_id, value=value, on_delivery=self.on_delivery
        )

    def send_raw(self, n: int) -> None:
        event = self.events[n % 3]
        self.raw.produce(
            "orders",
            key=self.raw_key(event.order_id),
            value=self.raw_value(n, self.value_header, self.value_schema),
            on_delivery=self.on_delivery,
        )

    def raw_value(self, n: int, header: bytes, schema: Any, drop: tuple[str, ...] = ()) -> bytes:
        """Message n's envelope, new, framed with `header` and written with fastavro under
        `schema`, without the payload fields `drop` (an older writer's)."""
        value = envelope_dict(self.events[n % 3], self.names[n % 3])
        value["occurred_at"] = int(value["occurred_at"].timestamp() * 1000)
        if drop:
            for name in drop:
                del value["payload"][1][name]
        out = io.BytesIO()
        out.write(header)
        fastavro.schemaless_writer(out, schema, value)
        return out.getvalue()

    def raw_key(self, key: str) -> bytes:
        out = io.BytesIO()
        out.write(self.key_header)
        fastavro.schemaless_writer(out, self.key_schema, key)
        return out.getvalue()

    def close(self) -> None:
        self.typed.close()


def _topic_strategy(ctx: Any, record_name: str | None) -> str:
    return TOPIC.value_subject


def _key_strategy(ctx: Any, record_name: str | None) -> str:
    return TOPIC.key_subject


@contextlib.contextmanager
def broker() -> Iterator[str]:
    """librdkafka's mock cluster in its own process, so its CPU is not the clients'."""
    script = (
        "import sys\n"
        "from contractgen.dev import MockKafkaCluster\n"
        "with MockKafkaCluster() as cluster:\n"
        "    print(cluster.bootstrap_servers, flush=True)\n"
        "    sys.stdin.read()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.stdin.close()
        process.wait()


@contextlib.contextmanager
def cluster_and_registry() -> Iterator[tuple[str, str]]:
    """The mock cluster's bootstrap servers and the embedded registry's URL, for one run."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        broker() as bootstrap,
        serve_in_thread(Path(tmp) / "registry.db") as url,
    ):
        yield bootstrap, url
