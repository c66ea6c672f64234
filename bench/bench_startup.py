"""Start-up: what `contractgen --help` and `import contractgen.runtime` cost. (Reports only.)

Each measurement is a fresh interpreter (CPU seconds from the kernel, medians of interleaved
rounds: enough of them that one busy spell of the shared machine does not decide a median),
next to its baseline in the same run:
- `contractgen --help` against the interpreter with click imported (what any click CLI pays);
  goal: at most 0.15 s of CPU;
- `import contractgen.runtime` against importing its dependencies (confluent_kafka and fastavro,
  what a service using the runtime loads anyway; both commands import them first, since the
  package itself loads them only with the names that need them); goal: at most 20 ms over
  them. Also which of asyncio, importlib.metadata and confluent_kafka.admin it loads (none,
  unless used);
- what a generated topic module imports from the runtime (both clients, sync and async), over
  the same dependencies: no goal, so that the cost the package defers stays in sight;
- where the time goes: the modules each runtime import loads beyond its dependencies, the ten
  slowest by their own import time (`python -X importtime`, wall microseconds, medians of the
  same rounds), so a regression names its module.

    .venv/bin/python bench/bench_startup.py [--rounds 25]
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from measure import CONTRACTGEN, check_exit, interleaved, run

PYTHON = [sys.executable, "-c"]
RUNTIME_DEPENDENCIES = "import confluent_kafka, fastavro"
RUNTIME = "import contractgen.runtime"
TOPIC_MODULE = (  # the names generated/orders.py imports
    "from contractgen.runtime import AsyncConsumer, AsyncIdempotencyStore, AsyncProducer,"
    " Consumer, DeadLetterPolicy, IdempotencyStore, Producer, SchemaRegistry, TopicSpec"
)
OPTIONAL = ("asyncio", "importlib.metadata", "confluent_kafka.admin")
SLOWEST = 10


def cpu(label: str, argv: list[str]) -> float:
    return check_exit(label, run(argv, Path.cwd())).cpu


class ImportTimes:
    """Own import time of each module `statement` loads after the runtime's dependencies."""

    def __init__(self, statement: str) -> None:
        self.argv = [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            f"{RUNTIME_DEPENDENCIES}; {statement}",
        ]
        self.samples: dict[str, list[int]] = defaultdict(list)

    def __call__(self) -> float:
        done = subprocess.run(self.argv, capture_output=True, text=True, check=True)
        lines = [line.split("|") for line in done.stderr.splitlines() if line.count("|") == 2]
        # the report lists a module when its import ends: the dependencies end with `fastavro`
        start = max(i for i, line in enumerate(lines) if line[2].rstrip() == " fastavro")
        for own, _, name in lines[start + 1 :]:
            self.samples[name.strip()].append(int(own.split(":")[1]))
        return 0.0

    def report(self, title: str) -> None:
        medians = {name: statistics.median(us) for name, us in self.samples.items()}
        total = sum(medians.values())
        print(
            f"{title}: {len(medians)} modules, {total / 1000:.1f} ms of own import time; slowest:"
        )
        for name, us in sorted(medians.items(), key=lambda item: -item[1])[:SLOWEST]:
            print(f"  {us / 1000:6.2f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=25)
    rounds = parser.parse_args().rounds
    commands = {
        "python -c pass": [*PYTHON, "pass"],
        "python -c 'import click'": [*PYTHON, "import click"],
        "contractgen --help": [*CONTRACTGEN, "--help"],
        f"python -c '{RUNTIME_DEPENDENCIES}'": [*PYTHON, RUNTIME_DEPENDENCIES],
        f"python -c '{RUNTIME}'": [*PYTHON, f"{RUNTIME_DEPENDENCIES}; {RUNTIME}"],
        "python -c '<a topic module's import>'": [
            *PYTHON,
            f"{RUNTIME_DEPENDENCIES}; {TOPIC_MODULE}",
        ],
    }
    tasks = {label: functools.partial(cpu, label, argv) for label, argv in commands.items()}
    breakdowns = {RUNTIME: ImportTimes(RUNTIME), TOPIC_MODULE: ImportTimes(TOPIC_MODULE)}
    interleaved(tasks, 1)  # a warm-up: bytecode written, files in the page cache
    medians = interleaved({**tasks, **breakdowns}, rounds)
    print(f"CPU ms, median of {rounds} interleaved rounds")
    for label in tasks:
        print(f"  {label:<48} {medians[label] * 1000:7.1f}")
    help_cpu = medians["contractgen --help"]
    over_click = help_cpu - medians["python -c 'import click'"]
    print(f"contractgen --help: {help_cpu:.3f} s CPU (goal <= 0.15 s), {over_click * 1000:.0f} ms")
    print("  over importing click")
    dependencies = medians[f"python -c '{RUNTIME_DEPENDENCIES}'"]
    over = medians[f"python -c '{RUNTIME}'"] - dependencies
    print(f"import contractgen.runtime: {over * 1000:.1f} ms over its dependencies (goal <= 20 ms)")
    probe = f"{RUNTIME}, json, sys; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(check_exit("probe", run([*PYTHON, probe], Path.cwd())).output))
    found = ", ".join(m for m in OPTIONAL if m in loaded) or "none"
    print(f"  loads: {found} (of {', '.join(OPTIONAL)})")
    topic = medians["python -c '<a topic module's import>'"] - dependencies
    print(f"a topic module's runtime import (both clients, sync and async): {topic * 1000:.1f} ms")
    print(f"  over the same dependencies (no goal): {TOPIC_MODULE.split(' import ')[1]}")
    breakdowns[RUNTIME].report(f"`{RUNTIME}` beyond its dependencies")
    breakdowns[TOPIC_MODULE].report("a topic module's runtime import beyond the dependencies")


if __name__ == "__main__":
    main()
