"""End to end by the wall clock: events per second from the first `send` until librdkafka has
reported every delivery, on librdkafka's mock cluster. (Reports only.)

The same N events (the three generated `orders` events in turn) produced three ways, each with a
delivery callback and the same delivery settings (idempotent, acks=all, murmur2_random,
linger.ms=5), then `flush()`: the generated `OrdersProducer.send`; Confluent's
`SerializingProducer` (AvroSerializer key and value) from the model's `to_avro()` in an envelope
dict; raw `schemaless_writer` bytes after the 5-byte header into `confluent_kafka.Producer`.
The cluster runs in its own process and the embedded registry serves the schema ids (resolved
once, at start), as in `bench_paths.py`, whose helpers this reuses.

Wall time on a shared two-core machine moves with the other work on it: the rounds are
interleaved, the medians reported, and the load average printed next to them; the producing
process's CPU per event is printed too (the steadier figure). Goal (issue 16): the generated
producer's throughput at least 1.5x Confluent's. About half a minute with the defaults.

    .venv/bin/python bench/bench_throughput.py [--events 20000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import confluent_kafka
import fastavro
from bench_paths import (
    HEADER,
    SAME_DELIVERY,
    _key_strategy,
    _topic_strategy,
    broker,
    envelope_dict,
    events,
)
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer

from contractgen.registry.embedded.server import serve_in_thread
from generated.orders import TOPIC, OrdersProducer


class Throughput:
    def __init__(self, bootstrap: str, url: str, count: int) -> None:
        self.count = count
        self.events = events()
        self.names = [f"com.acme.orders.{type(e).__name__}" for e in self.events]
        self.client = SchemaRegistryClient({"url": url})
        config = {"bootstrap.servers": bootstrap, "linger.ms": 5}
        self.typed = OrdersProducer(config, self.client, auto_register=True)
        value_id = self.client.lookup_schema(
            TOPIC.value_subject, Schema(TOPIC.value_schema, "AVRO")
        ).schema_id
        key_id = self.client.lookup_schema(
            TOPIC.key_subject, Schema(TOPIC.key_schema, "AVRO")
        ).schema_id
        self.value_header = HEADER + value_id.to_bytes(4, "big")
        self.key_header = HEADER + key_id.to_bytes(4, "big")
        self.value_schema = fastavro.parse_schema(json.loads(TOPIC.value_schema))
        self.key_schema = fastavro.parse_schema(json.loads(TOPIC.key_schema))
        strategy = {"auto.register.schemas": False, "use.latest.version": False}
        self.confluent = confluent_kafka.SerializingProducer(
            {
                **config,
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
        self.raw = confluent_kafka.Producer({**config, **SAME_DELIVERY})
        self.delivered = self.failed = 0
        self.cpu: dict[str, list[float]] = {}

    def on_delivery(self, err: Any, msg: Any) -> None:
        self.delivered += 1
        self.failed += err is not None

    def on_report(self, report: object) -> None:
        self.delivered += 1
        self.failed += isinstance(report, BaseException)

    def timed(self, label: str, send: Callable[[int], None], flush: Callable[[], object]) -> float:
        """Events per second of wall time until every delivery was reported (all must be)."""
        self.delivered = self.failed = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(self.count):
            send(n)
        flush()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if self.delivered != self.count or self.failed:
            raise SystemExit(f"{label}: {self.delivered} reported, {self.failed} failed")
        self.cpu.setdefault(label, []).append(cpu / self.count * 1e6)
        return self.count / wall

    def typed_producer(self) -> float:
        def send(n: int) -> None:
            self.typed.send(self.events[n % 3], on_delivery=self.on_report)

        return self.timed("typed", send, self.typed.flush)

    def confluent_producer(self) -> float:
        def send(n: int) -> None:
            event = self.events[n % 3]
            value = envelope_dict(event, self.names[n % 3])
            self.confluent.produce(
                "orders", key=event.order_id, value=value, on_delivery=self.on_delivery
            )

        return self.timed("confluent", send, self.confluent.flush)

    def raw_producer(self) -> float:
        def send(n: int) -> None:
            event = self.events[n % 3]
            value = envelope_dict(event, self.names[n % 3])
            value["occurred_at"] = int(value["occurred_at"].timestamp() * 1000)
            out = io.BytesIO()
            out.write(self.value_header)
            fastavro.schemaless_writer(out, self.value_schema, value)
            key = io.BytesIO()
            key.write(self.key_header)
            fastavro.schemaless_writer(key, self.key_schema, event.order_id)
            self.raw.produce(
                "orders", key=key.getvalue(), value=out.getvalue(), on_delivery=self.on_delivery
            )

        return self.timed("raw", send, self.raw.flush)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        broker() as bootstrap,
        serve_in_thread(Path(tmp) / "registry.db") as url,
    ):
        bench = Throughput(bootstrap, url, options.events)
        tasks = {
            "OrdersProducer.send": bench.typed_producer,
            "Confluent SerializingProducer": bench.confluent_producer,
            "raw fastavro + Producer": bench.raw_producer,
        }
        load_before = os.getloadavg()
        samples: dict[str, list[float]] = {label: [] for label in tasks}
        for round_ in range(options.rounds + 1):  # round 0 warms up: connections, caches
            for label, task in tasks.items():
                rate = task()
                if round_:
                    samples[label].append(rate)
        load_after = os.getloadavg()
        bench.typed.close()
    loads = f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
    print(f"events/s until every delivery is reported, wall clock, {options.events} events,")
    print(f"median of {options.rounds} interleaved rounds (1-minute load average {loads})")
    medians = {label: statistics.median(rates) for label, rates in samples.items()}
    for (label, rate), cpu in zip(medians.items(), bench.cpu.values(), strict=True):
        spread = f"{min(samples[label]):,.0f}-{max(samples[label]):,.0f}"
        cpu_us = statistics.median(cpu[1:])
        print(f"  {label:<32} {rate:9,.0f}/s  (rounds {spread}; {cpu_us:.1f} µs CPU/event)")
    ours, confluent, raw = medians.values()
    print(f"throughput: {ours / confluent:.2f}x Confluent's (goal >= 1.5x), {ours / raw:.2f}x raw")
    print(f"  on {os.cpu_count()} cores shared with the mock cluster's process and other work")


if __name__ == "__main__":
    main()
