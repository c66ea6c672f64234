"""The paths a service runs, with the repository's generated `orders` code, against Confluent's
serializing clients and raw fastavro on the same mock cluster and registry. (Reports only.)

Every variant handles the same events (the three `orders` events in turn, from the generated
models in generated/) and does the same work, on librdkafka's mock cluster and the embedded
registry served over HTTP (schema ids resolved once, at start):

- produce, whole `send` per message, until the last delivery is reported: model -> new
  envelope (uuid, time, producer) -> key and value bytes -> librdkafka, with a delivery
  callback. `OrdersProducer.send`; Confluent's `SerializingProducer` (StringSerializer key,
  AvroSerializer value, TOPIC strategy) from the model's `to_avro()` in an envelope dict; raw:
  `Producer.produce` of `schemaless_writer` bytes after the 5-byte header (the floor).
- consume, whole path per message, fetch to handler: `OrdersConsumer.run` (typed
  `ConsumedEvent`, commit after the handler); Confluent's `DeserializingConsumer` (AvroDeserializer
  to dicts); raw: `Consumer.poll` + `schemaless_reader` (return_record_name) + key decode.
  Once for messages of the current schema, once for messages of an older writer (OrderCreated
  before `coupon` and `attributes`), which the readers resolve onto the current schema.

CPU of the whole process (librdkafka's threads included) per message, medians of interleaved
rounds. Goals: produce >= 2x Confluent and <= 1.25x raw; consume >= 3x Confluent and <= 1.3x raw,
and >= 3x Confluent for the older writer.
The same produce paths by the wall clock (events/s until delivered): `bench_throughput.py`.

    .venv/bin/python bench/bench_paths.py [--messages 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import confluent_kafka
import fastavro
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from measure import interleaved

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository's generated/

from contractgen.registry.embedded.server import serve_in_thread
from contractgen.runtime import Consumer
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


DIFFERENCES = """\
Not the same work, so read the ratios with this in mind:
- consume: the typed path commits offsets synchronously after each batch of 100 (at least once);
  raw and Confluent leave librdkafka's auto-commit on (in the background, every 5 s). It also
  reads each record's topic, partition, offset, timestamp and headers into the event and checks
  the payload is one of the topic's events; raw keeps only key and value. Raw lets fastavro
  convert the envelope's uuid and timestamp and decodes the key with fastavro (the typed path
  does both itself, cheaper).
- produce: the typed `send` also looks for a current OpenTelemetry span (traceparent) and
  returns a Delivery per message; all three build a new envelope (uuid4, time) per message."""


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


def older_writer() -> str:
    """The value schema before OrderCreated had `coupon` and `attributes`."""
    schema = json.loads(TOPIC.value_schema)
    created = schema["fields"][-1]["type"][0]
    created["fields"] = [f for f in created["fields"] if f["name"] not in ("coupon", "attributes")]
    return json.dumps(schema)


class Bench:
    def __init__(self, bootstrap: str, url: str, messages: int) -> None:
        self.bootstrap, self.messages = bootstrap, messages
        self.client = SchemaRegistryClient({"url": url})
        self.events = events()
        self.names = [f"com.acme.orders.{type(e).__name__}" for e in self.events]
        self.typed = OrdersProducer(self.config(), self.client, auto_register=True)
        self.value_id = self.client.lookup_schema(
            TOPIC.value_subject, Schema(TOPIC.value_schema, "AVRO")
        ).schema_id
        self.key_id = self.client.lookup_schema(
            TOPIC.key_subject, Schema(TOPIC.key_schema, "AVRO")
        ).schema_id
        self.key_header = HEADER + self.key_id.to_bytes(4, "big")
        self.key_schema = fastavro.parse_schema(json.loads(TOPIC.key_schema))
        self.old_id = self.client.register_schema("bench-old", Schema(older_writer(), "AVRO"))
        self.value_schema = fastavro.parse_schema(json.loads(TOPIC.value_schema))
        self.old_schema = fastavro.parse_schema(json.loads(older_writer()))
        strategy = {"auto.register.schemas": False, "use.latest.version": False}
        self.confluent = confluent_kafka.SerializingProducer(
            {
                **self.config(),
                **SAME_DELIVERY,
                "key.serializer": AvroSerializer(
                    self.client,
                    TOPIC.key_schema,
                    conf={**strategy, "subject.name.strategy": _key_strategy},
                ),
                "value.serializer": AvroSerializer(
                    self.client,
                    TOPIC.value_schema,
                    conf={**strategy, "subject.name.strategy": _topic_strategy},
                ),
            }
        )
        self.raw = confluent_kafka.Producer({**self.config(), **SAME_DELIVERY})
        self.delivered = 0
        self.topics = 0
        self.end_to_end: dict[str, list[float]] = {}
        self.fill("current", self.value_id, self.value_schema)
        self.fill("older", self.old_id, self.old_schema)

    def config(self) -> dict[str, Any]:
        return {"bootstrap.servers": self.bootstrap, "linger.ms": 5}

    def on_delivery(self, err: Any, msg: Any) -> None:
        self.delivered += 1

    def on_report(self, report: object) -> None:
        """OrdersProducer's delivery callback: the report (or the error) only."""
        self.delivered += 1

    def cpu(self, run: Callable[[], None]) -> float:
        """µs of process CPU per message (librdkafka's threads included; the broker is not)."""
        start = time.process_time()
        run()
        return (time.process_time() - start) / self.messages * 1e6

    def send_cpu(
        self, label: str, send: Callable[[int], None], flush: Callable[[], object]
    ) -> float:
        """µs of the sending thread's CPU per `send` (message handed to librdkafka); the whole
        process's CPU per message until every delivery was reported goes to `end_to_end`."""
        start, thread_start = time.process_time(), time.thread_time()
        for n in range(self.messages):
            send(n)
        sending = time.thread_time() - thread_start
        flush()
        whole = time.process_time() - start
        self.end_to_end.setdefault(label, []).append(whole / self.messages * 1e6)
        return sending / self.messages * 1e6

    # -- produce ----------------------------------------------------------------------------

    def produce_typed(self) -> float:
        def send(n: int) -> None:
            self.typed.send(self.events[n % 3], on_delivery=self.on_report)

        return self.send_cpu("typed", send, self.typed.flush)

    def produce_confluent(self) -> float:
        def send(n: int) -> None:
            event = self.events[n % 3]
            value = envelope_dict(event, self.names[n % 3])
            self.confluent.produce(
                "orders", key=event.order_id, value=value, on_delivery=self.on_delivery
            )

        return self.send_cpu("confluent", send, self.confluent.flush)

    def produce_raw(self) -> float:
        header = HEADER + self.value_id.to_bytes(4, "big")

        def send(n: int) -> None:
            event = self.events[n % 3]
            value = envelope_dict(event, self.names[n % 3])
            value["occurred_at"] = int(value["occurred_at"].timestamp() * 1000)
            out = io.BytesIO()
            out.write(header)
            fastavro.schemaless_writer(out, self.value_schema, value)
            self.raw.produce(
                "orders",
                key=self.raw_key(event.order_id),
                value=out.getvalue(),
                on_delivery=self.on_delivery,
            )

        return self.send_cpu("raw", send, self.raw.flush)

    def raw_key(self, key: str) -> bytes:
        out = io.BytesIO()
        out.write(self.key_header)
        fastavro.schemaless_writer(out, self.key_schema, key)
        return out.getvalue()

    # -- consume ----------------------------------------------------------------------------

    def fill(self, topic: str, schema_id: int, schema: Any) -> None:
        """`messages` framed envelopes with `schema_id`, written with `schema`, on `topic`."""
        header = HEADER + schema_id.to_bytes(4, "big")
        for n in range(self.messages):
            event = self.events[n % 3]
            value = envelope_dict(event, self.names[n % 3])
            value["occurred_at"] = int(value["occurred_at"].timestamp() * 1000)
            if topic == "older" and n % 3 == 0:
                del value["payload"][1]["coupon"], value["payload"][1]["attributes"]
            out = io.BytesIO()
            out.write(header)
            fastavro.schemaless_writer(out, schema, value)
            self.raw.produce(
                f"bench-{topic}", key=self.raw_key(event.order_id), value=out.getvalue()
            )
        self.raw.flush()

    def group(self) -> dict[str, Any]:
        self.topics += 1
        return {
            "bootstrap.servers": self.bootstrap,
            "group.id": f"bench-{self.topics}",
            "auto.offset.reset": "earliest",
        }

    def consume_typed(self, topic: str) -> float:
        handled: list[object] = []
        # OrdersConsumer's contract on the prefilled topic (OrdersConsumer reads `orders`)
        spec = dataclasses.replace(TOPIC, name=f"bench-{topic}")
        group = self.group()
        consumer = Consumer(spec, group, self.client, group_id=group["group.id"])
        try:
            return self.cpu(lambda: consumer.run(handled.append, max_messages=self.messages))
        finally:
            consumer.close()

    def consume_confluent(self, topic: str) -> float:
        consumer = confluent_kafka.DeserializingConsumer(
            {
                **self.group(),
                "key.deserializer": AvroDeserializer(self.client, TOPIC.key_schema),
                "value.deserializer": AvroDeserializer(self.client, TOPIC.value_schema),
            }
        )
        consumer.subscribe([f"bench-{topic}"])
        handled: list[object] = []

        def run() -> None:
            while len(handled) < self.messages:
                msg = consumer.poll(1.0)
                if msg is not None and msg.error() is None:
                    handled.append((msg.key(), msg.value()))

        try:
            return self.cpu(run)
        finally:
            consumer.close()

    def consume_raw(self, topic: str) -> float:
        consumer = confluent_kafka.Consumer(self.group())
        consumer.subscribe([f"bench-{topic}"])
        writers = {self.value_id: self.value_schema, self.old_id: self.old_schema}
        handled: list[object] = []

        def run() -> None:
            while len(handled) < self.messages:
                for msg in consumer.consume(500, 1.0):
                    value = msg.value()
                    writer = writers[int.from_bytes(value[1:5], "big")]
                    record = fastavro.schemaless_reader(
                        io.BytesIO(value[5:]),
                        writer,
                        self.value_schema if writer is not self.value_schema else None,
                        return_record_name=True,
                    )
                    key = fastavro.schemaless_reader(
                        io.BytesIO(msg.key()[5:]), self.key_schema, None
                    )
                    handled.append((key, record))

        try:
            return self.cpu(run)
        finally:
            consumer.close()


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        broker() as bootstrap,
        serve_in_thread(Path(tmp) / "registry.db") as url,
    ):
        bench = Bench(bootstrap, url, options.messages)
        tasks: dict[str, Callable[[], float]] = {
            "produce: OrdersProducer.send": bench.produce_typed,
            "produce: Confluent SerializingProducer": bench.produce_confluent,
            "produce: raw fastavro + Producer": bench.produce_raw,
        }
        for topic in ("current", "older"):
            tasks[f"consume {topic}: Consumer.run (OrdersConsumer)"] = lambda t=topic: (
                bench.consume_typed(t)
            )  # type: ignore[misc]
            tasks[f"consume {topic}: Confluent DeserializingConsumer"] = (
                lambda t=topic: bench.consume_confluent(t)  # type: ignore[misc]
            )
            tasks[f"consume {topic}: raw fastavro + Consumer"] = lambda t=topic: bench.consume_raw(
                t
            )  # type: ignore[misc]
        medians = interleaved(tasks, options.rounds)
        bench.typed.close()
    print(f"µs of CPU per message, {options.messages} messages, median of {options.rounds} rounds")
    for label, value in medians.items():
        print(f"  {label:<52} {value:8.2f}")
    for label, samples in bench.end_to_end.items():
        median = statistics.median(samples)
        print(f"  produce, whole process until delivered: {label:<10} {median:8.2f}")
    groups = [("produce", "produce: ")] + [
        (f"consume {t}", f"consume {t}: ") for t in ("current", "older")
    ]
    for title, prefix in groups:
        ours, confluent, raw = (v for k, v in medians.items() if k.startswith(prefix))
        print(f"{title}: {confluent / ours:.2f}x faster than Confluent, {ours / raw:.2f}x raw")
    print(DIFFERENCES)


if __name__ == "__main__":
    main()
