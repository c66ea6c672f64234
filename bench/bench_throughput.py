"""End to end by the wall clock: events per second from the first `send` until librdkafka has
reported every delivery, on librdkafka's mock cluster. (Reports only.)

The same N events (the three generated `orders` events in turn) produced three ways, each with a
delivery callback and the same delivery settings (idempotent, acks=all, murmur2_random,
linger.ms=5), then `flush()`: the generated `OrdersProducer.send`; Confluent's
`SerializingProducer` (AvroSerializer key and value) from the model's `to_avro()` in an envelope
dict; raw `schemaless_writer` bytes after the 5-byte header into `confluent_kafka.Producer`.
The cluster runs in its own process and the embedded registry serves the schema ids (resolved
once, at start), as in `bench_paths.py`: both take the producers from `producers.py`.

Wall time on a shared two-core machine moves with the other work on it: the rounds are
interleaved, the medians reported, and the load average printed next to them; the producing
process's CPU per event is printed too (the steadier figure). Goal (issue 16): the generated
producer's throughput at least 1.5x Confluent's. About half a minute with the defaults.

    .venv/bin/python bench/bench_throughput.py [--events 20000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from confluent_kafka.schema_registry import SchemaRegistryClient
from producers import Producers, cluster_and_registry


class Throughput:
    def __init__(self, bootstrap: str, url: str, count: int) -> None:
        self.count = count
        client = SchemaRegistryClient({"url": url})
        self.producers = Producers(bootstrap, client, self.on_delivery, self.on_report)
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
        return self.timed("typed", self.producers.send_typed, self.producers.typed.flush)

    def confluent_producer(self) -> float:
        producers = self.producers
        return self.timed("confluent", producers.send_confluent, producers.confluent.flush)

    def raw_producer(self) -> float:
        return self.timed("raw", self.producers.send_raw, self.producers.raw.flush)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    with cluster_and_registry() as (bootstrap, url):
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
        bench.producers.close()
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
