"""Big schemas through `contractgen validate`: time and memory against the size of the text.
(Reports only.)

Two shapes of big, each at two sizes so growth shows (linear: twice the text, twice the time):
- a record whose doc is one long string (the issue's case: a 50 MB doc);
- a record of many fields (the issue's case: 45 MB, 1.2 million fields), in nested records of
  1,000 fields.
Each runs `validate` (and, on the larger size, `generate`, `compat` of the schema against
itself and `check --against dir:.`) in its own process: CPU seconds from the kernel, peak
memory (ru_maxrss) over that of `validate` on a one-field schema (the interpreter and the
imports: the baseline of the run); with `--fields`, also over the same command's own run on a
one-field schema ("over own": what the schema's size adds, without a command's fixed imports,
e.g. jinja for generate).
Goals: memory at most 10x the schema text, time linear in it. The default sizes keep the run
to a few minutes on two shared cores; `--scale 10` approaches the issue's sizes.

`--fields N[,M...]` runs instead the many-field schema of each size through every command (or
those of `--commands`): the issue's case is `--fields 1200000` (a 78 MB text in this shape, every
field a nullable long with a default; validate or compat: ~40 s of CPU and ~0.5 GB); `--shape
plain` makes every field a plain long, 37 bytes a field: 1.2 million fields are then the issue's
45 MB (validate, compat, check: ~17 s and ~0.4 GB each).

    .venv/bin/python bench/bench_size.py [--scale 1]
    .venv/bin/python bench/bench_size.py --fields 50000,200000,1200000 [--commands validate,compat]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from measure import CONTRACTGEN, check_exit, run

FIELDS_PER_RECORD = 1000


def doc_schema(megabytes: float) -> dict[str, Any]:
    doc = "All work and no play makes Jack a dull boy. " * int(megabytes * 1e6 / 44)
    return {
        "type": "record",
        "name": "Big",
        "namespace": "bench.size",
        "doc": doc,
        "fields": [{"name": "id", "type": "string"}],
    }


FIELD_TYPES: dict[str, Any] = {
    # every field a nullable long with a default: 62 bytes a field (1.2 million: a 78 MB text)
    "nullable": {"type": ["null", "long"], "default": None},
    # every field a plain long: 37 bytes a field, the case (1.2 million fields, 45 MB)
    "plain": {"type": "long"},
}


def wide_schema(fields: int, shape: str = "nullable") -> dict[str, Any]:
    parts = [
        {
            "name": f"part{p}",
            "type": {
                "type": "record",
                "name": f"Part{p}",
                "fields": [
                    {"name": f"f{p}_{n}", **FIELD_TYPES[shape]}
                    for n in range(min(FIELDS_PER_RECORD, fields - p * FIELDS_PER_RECORD))
                ],
            },
        }
        for p in range(-(-fields // FIELDS_PER_RECORD))
    ]
    return {"type": "record", "name": "Big", "namespace": "bench.size", "fields": parts}


def project(root: Path, schema: dict[str, Any]) -> int:
    """A one-topic project around `schema`; the size of its text in bytes."""
    (root / "schemas").mkdir(parents=True)
    text = json.dumps(schema)
    (root / "schemas" / "Big.avsc").write_text(text, "utf-8")
    config = 'schemas = ["schemas"]\n[[topics]]\nname = "big"\nkey = "string"\n'
    config += 'events = ["bench.size.Big"]\n'
    (root / "contractgen.toml").write_text(config, "utf-8")
    return len(text.encode())


COMMANDS = {"validate": ("validate",)}
OTHER_COMMANDS = {
    "generate": ("generate",),
    "compat": ("compat", "--level", "full", "schemas/Big.avsc", "schemas/Big.avsc"),
    "check": ("check", "--against", "dir:."),
}
"""Run on the larger schema of each shape only, to keep the run to a few minutes."""


def other_commands(root: Path, size: float) -> None:
    for label, argv in OTHER_COMMANDS.items():
        result = check_exit(label, run([*CONTRACTGEN, *argv], root))
        print(
            f"  {'  ' + label:<20} {'':>8} {result.cpu:7.2f} {result.cpu / size:6.2f} "
            f"{result.max_rss_mb:8.0f}"
        )


def by_fields(sizes: list[int], commands: list[str], shape: str) -> None:
    """Each command on the many-field schema of each size: CPU, peak memory, memory ÷ text."""
    table = {**COMMANDS, **OTHER_COMMANDS}
    unknown = set(commands) - table.keys()
    if unknown:
        raise SystemExit(f"unknown commands {sorted(unknown)}; known: {sorted(table)}")
    print(f"many-field schema ({shape} fields) through each command, one process each")
    print(
        f"  {'fields':>10} {'command':<9} {'text MB':>8} {'CPU s':>8} {'s/MB':>6} "
        f"{'peak MB':>8} {'peak÷text':>9} {'over base÷text':>14} {'over own÷text':>13}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-size-") as tmp:
        tiny = Path(tmp) / "tiny"
        project(tiny, doc_schema(0))
        # Each command's own cost on a one-field schema (its imports: jinja for generate), so
        # that "over own" is what the schema's size adds; "over base" is over validate's.
        own = {
            label: check_exit(label, run([*CONTRACTGEN, *table[label]], tiny)).max_rss_mb
            for label in dict.fromkeys(["validate", *commands])
        }
        base = own["validate"]
        for label, mb in own.items():
            print(f"  {'(one field)':>10} {label:<9} {'':>8} {'':>8} {'':>6} {mb:8.0f}")
        for fields in sizes:
            root = Path(tmp) / str(fields)
            size = project(root, wide_schema(fields, shape)) / 1e6
            for label in commands:
                result = check_exit(label, run([*CONTRACTGEN, *table[label]], root))
                mb = result.max_rss_mb
                print(
                    f"  {fields:>10,} {label:<9} {size:8.2f} {result.cpu:8.2f} "
                    f"{result.cpu / size:6.2f} {mb:8.0f} {mb * 1.048576 / size:8.1f}x "
                    f"{(mb - base) * 1.048576 / size:13.1f}x "
                    f"{(mb - own[label]) * 1.048576 / size:12.1f}x",
                    flush=True,
                )
            shutil.rmtree(root)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--fields", help="comma-separated field counts: every command on each")
    parser.add_argument("--commands", default=",".join([*COMMANDS, *OTHER_COMMANDS]))
    parser.add_argument("--shape", choices=sorted(FIELD_TYPES), default="nullable")
    args = parser.parse_args()
    if args.fields:
        by_fields([int(n) for n in args.fields.split(",")], args.commands.split(","), args.shape)
        return
    scale = args.scale
    cases = {
        "tiny (baseline)": doc_schema(0),
        f"doc {2.5 * scale:g} MB": doc_schema(2.5 * scale),
        f"doc {5 * scale:g} MB": doc_schema(5 * scale),
        f"{int(25_000 * scale):,} fields": wide_schema(int(25_000 * scale)),
        f"{int(50_000 * scale):,} fields": wide_schema(int(50_000 * scale)),
    }
    print("contractgen validate, one process each (and generate, compat, check on the larger)")
    print(
        f"  {'schema':<20} {'text MB':>8} {'CPU s':>7} {'s/MB':>6} {'peak MB':>8} {'over base':>9}"
    )
    base = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-size-") as tmp:
        for n, (label, schema) in enumerate(cases.items()):
            root = Path(tmp) / str(n)
            size = project(root, schema) / 1e6
            result = check_exit(label, run([*CONTRACTGEN, "validate"], root))
            base = base or result.max_rss_mb
            over = result.max_rss_mb - base
            if n == 0:
                print(f"  {label:<20} {size:8.2f} {result.cpu:7.2f} {'':>6} {base:8.0f}")
                continue
            print(
                f"  {label:<20} {size:8.2f} {result.cpu:7.2f} {result.cpu / size:6.2f} "
                f"{result.max_rss_mb:8.0f} {over / size:8.1f}x"
            )
            if n in (2, 4):
                other_commands(root, size)


if __name__ == "__main__":
    main()
