"""The paths a service runs, with the repository's generated `orders` code, against Confluent's
serializing clients and raw fastavro on the same mock cluster and registry. (Reports only.)

Every variant handles the same events (the three `orders` events in turn, from the generated
models in generated/) and does the same work, on librdkafka's mock cluster and the embedded
registry served over HTTP (schema ids resolved once, at start):

- produce, whole `send` per message, until the last delivery is reported: model -> new
  envelope (uuid, time, producer) -> key and value bytes -> librdkafka, with a delivery
  callback. `OrdersProducer.send`; Confluent's `SerializingProducer` (AvroSerializer key and
  value, TOPIC strategy) from the model's `to_avro()` in an envelope dict; raw:
  `Producer.produce` of `schemaless_writer` bytes after the 5-byte header (the floor). The
  three producers are `producers.py`'s, which bench_throughput.py times by the wall clock.
- consume, whole path per message, fetch to handler: `OrdersConsumer.run` (typed
  `ConsumedEvent`, commit after the handler); Confluent's `DeserializingConsumer` (AvroDeserializer
  to dicts); raw: `Consumer.consume` (500 at a time) + `schemaless_reader` (return_record_name)
  + key decode.
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
import dataclasses
import io
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import confluent_kafka
import fastavro
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from measure import interleaved
from producers import HEADER, TOPIC, Producers, cluster_and_registry

from contractgen.runtime import Consumer

DIFFERENCES = """\
Not the same work, so read the ratios with this in mind:
- consume: the typed path commits offsets synchronously after each batch of 100 (at least once);
  raw and Confluent leave librdkafka's auto-commit on (in the background, every 5 s). It also
  reads each record's topic, partition, offset, timestamp and headers into the event and checks
  the payload is one of the topic's events; raw keeps only key and value. Raw decodes key and
  value with fastavro's schemaless_reader, which also converts the envelope's uuid and
  timestamp; the typed path reads the same datum from the same bytes with a reader compiled
  per schema (contractgen.runtime.record_reader) and converts those two itself, cheaper.
- produce: the typed `send` also looks for a current OpenTelemetry span (traceparent) and
  returns a Delivery per message; all three build a new envelope (uuid4, time) per message."""


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
        self.producers = Producers(bootstrap, self.client, self.on_delivery, self.on_report)
        self.old_id = self.client.register_schema("bench-old", Schema(older_writer(), "AVRO"))
        self.old_schema = fastavro.parse_schema(json.loads(older_writer()))
        self.delivered = 0
        self.topics = 0
        self.end_to_end: dict[str, list[float]] = {}
        self.fill("current", self.producers.value_id, self.producers.value_schema)
        self.fill("older", self.old_id, self.old_schema)

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
        return self.send_cpu("typed", self.producers.send_typed, self.producers.typed.flush)

    def produce_confluent(self) -> float:
        producers = self.producers
        return self.send_cpu("confluent", producers.send_confluent, producers.confluent.flush)

    def produce_raw(self) -> float:
        return self.send_cpu("raw", self.producers.send_raw, self.producers.raw.flush)

    # -- consume ----------------------------------------------------------------------------

    def fill(self, topic: str, schema_id: int, schema: Any) -> None:
        """`messages` framed envelopes with `schema_id`, written with `schema`, on `topic`."""
        header = HEADER + schema_id.to_bytes(4, "big")
        producers = self.producers
        for n in range(self.messages):
            older = topic == "older" and n % 3 == 0
            value = producers.raw_value(
                n, header, schema, ("coupon", "attributes") if older else ()
            )
            key = producers.raw_key(producers.events[n % 3].order_id)
            producers.raw.produce(f"bench-{topic}", key=key, value=value)
        producers.raw.flush()

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
        value_schema, key_schema = self.producers.value_schema, self.producers.key_schema
        writers = {self.producers.value_id: value_schema, self.old_id: self.old_schema}
        handled: list[object] = []

        def run() -> None:
            while len(handled) < self.messages:
                for msg in consumer.consume(500, 1.0):
                    value = msg.value()
                    writer = writers[int.from_bytes(value[1:5], "big")]
                    record = fastavro.schemaless_reader(
                        io.BytesIO(value[5:]),
                        writer,
                        value_schema if writer is not value_schema else None,
                        return_record_name=True,
                    )
                    key = fastavro.schemaless_reader(io.BytesIO(msg.key()[5:]), key_schema, None)
                    handled.append((key, record))

        try:
            return self.cpu(run)
        finally:
            consumer.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with cluster_and_registry() as (bootstrap, url):
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
        bench.producers.close()
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
