"""One reference run of issue 16's goals: every benchmark of a real path, one after the other.

The goal table in bench/README.md (and the README's performance section) quotes one such run, so
that the figures beside each other were measured on the same code, the same machine and the same
afternoon. Each benchmark prints its own baseline (Confluent, raw fastavro, `--help`, `GET
/schemas/ids`) measured in the same run; this script adds the machine's state (cores, load
average, versions) and keeps the whole output in one file.

    .venv/bin/python bench/reference_run.py [--output bench-reference.txt] [--quick]

`--quick` runs the small sizes only (50/500 topics, 50,000 fields), for a check of the script
itself; the reference run is without it (about 30 minutes on two cores, most of it the 2,000-topic
repositories and the 45 MB schema).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent

FULL: list[tuple[str, list[str]]] = [
    ("start-up", ["bench_startup.py"]),
    ("produce and consume paths", ["bench_paths.py"]),
    ("end-to-end throughput on the mock cluster", ["bench_throughput.py"]),
    ("registry server under load", ["bench_registry_load.py"]),
    (
        "CLI at 50, 500 and 2,000 topics",
        ["bench_cli.py", "--sizes", "50,500,2000", "--rounds", "5"],
    ),
    ("schema size: long docs and many fields", ["bench_size.py"]),
    # the case: 1.2 million fields of a plain long are a 45 MB text
    (
        "schema size: 1.2 million fields, 45 MB",
        ["bench_size.py", "--fields", "100000,1200000", "--shape", "plain"],
    ),
    ("compatibility against record width", ["bench_compat_width.py"]),
]
QUICK: dict[tuple[str, ...], list[str]] = {
    ("bench_cli.py", "--sizes", "50,500,2000", "--rounds", "5"): [
        "bench_cli.py",
        "--sizes",
        "50,500",
    ],
    ("bench_size.py", "--fields", "100000,1200000", "--shape", "plain"): [
        "bench_size.py",
        "--fields",
        "100000",
        "--shape",
        "plain",
    ],
}


def _machine() -> str:
    versions = subprocess.run(
        [sys.executable, "-c", "import confluent_kafka, fastavro; "
         "print('confluent-kafka', confluent_kafka.version(), 'librdkafka', "
         "confluent_kafka.libversion()[0], 'fastavro', fastavro.__version__)"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, "
        f"{os.cpu_count()} cores, load average {load}\n"
        f"Python {platform.python_version()}, {versions}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, default=Path("bench-reference.txt"))
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    with options.output.open("w") as report:

        def say(text: str) -> None:
            print(text, flush=True)
            report.write(text + "\n")
            report.flush()

        say(f"# Reference run\n{_machine()}")
        for title, full in FULL:
            argv = QUICK.get(tuple(full), full) if options.quick else full
            say(f"\n## {title}: {' '.join(argv)} (load average before: {os.getloadavg()[0]:.2f})")
            done = subprocess.run(
                [sys.executable, str(BENCH / argv[0]), *argv[1:]],
                capture_output=True, text=True, check=False, cwd=BENCH.parent,
            )  # fmt: skip
            say(done.stdout.rstrip())
            if done.returncode != 0:
                say(f"(exit {done.returncode})\n{done.stderr.rstrip()}")
        say(f"\nfinished {datetime.datetime.now(datetime.UTC):%H:%M} UTC, load {os.getloadavg()}")


if __name__ == "__main__":
    main()
