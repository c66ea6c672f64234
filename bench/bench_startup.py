"""Start-up: what `contractgen --help` and `import contractgen.runtime` cost. (Reports only.)

Each measurement is a fresh interpreter (CPU seconds from the kernel, medians of interleaved
rounds), next to its baseline in the same run:
- `contractgen --help` against the interpreter with click imported (what any click CLI pays);
  goal: at most 0.15 s of CPU;
- `import contractgen.runtime` against importing its dependencies (confluent_kafka and fastavro,
  what a service using the runtime loads anyway); goal: at most 20 ms over them. Also which of
  asyncio, importlib.metadata and confluent_kafka.admin it loads (none, unless used).

    .venv/bin/python bench/bench_startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

from measure import CONTRACTGEN, check_exit, interleaved, run

PYTHON = [sys.executable, "-c"]
RUNTIME_DEPENDENCIES = "import confluent_kafka, fastavro"
OPTIONAL = ("asyncio", "importlib.metadata", "confluent_kafka.admin")


def cpu(label: str, argv: list[str]) -> float:
    return check_exit(label, run(argv, Path.cwd())).cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    commands = {
        "python -c pass": [*PYTHON, "pass"],
        "python -c 'import click'": [*PYTHON, "import click"],
        "contractgen --help": [*CONTRACTGEN, "--help"],
        f"python -c '{RUNTIME_DEPENDENCIES}'": [*PYTHON, RUNTIME_DEPENDENCIES],
        "python -c 'import contractgen.runtime'": [*PYTHON, "import contractgen.runtime"],
    }
    tasks = {label: functools.partial(cpu, label, argv) for label, argv in commands.items()}
    interleaved(tasks, 1)  # a warm-up: bytecode written, files in the page cache
    medians = interleaved(tasks, rounds)
    print(f"CPU ms, median of {rounds} interleaved rounds")
    for label, seconds in medians.items():
        print(f"  {label:<48} {seconds * 1000:7.1f}")
    help_cpu = medians["contractgen --help"]
    over_click = help_cpu - medians["python -c 'import click'"]
    print(f"contractgen --help: {help_cpu:.3f} s CPU (goal <= 0.15 s), {over_click * 1000:.0f} ms")
    print("  over importing click")
    over = (
        medians["python -c 'import contractgen.runtime'"]
        - medians[f"python -c '{RUNTIME_DEPENDENCIES}'"]
    )
    print(f"import contractgen.runtime: {over * 1000:.1f} ms over its dependencies (goal <= 20 ms)")
    probe = "import contractgen.runtime, json, sys; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(check_exit("probe", run([*PYTHON, probe], Path.cwd())).output))
    found = ", ".join(m for m in OPTIONAL if m in loaded) or "none"
    print(f"  loads: {found} (of {', '.join(OPTIONAL)})")


if __name__ == "__main__":
    main()
