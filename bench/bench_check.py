"""How long does `contractgen check` take on a big repository? (Reports; asserts nothing.)

Generates a project of 500 event schemas (100 topics x 5 events, each with nested records, enums,
unions, arrays, maps and logical types) in a temporary git repository with three commits, then
times `check` against the merge base (one version per subject) and with every topic at
FULL_TRANSITIVE (every version along the history).

    .venv/bin/python bench/bench_check.py [--topics 100] [--events 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from contractgen.cli.main import main as contractgen


def event(topic: int, index: int, revision: int) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {
            "name": "amount",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2},
        },
        {
            "name": "status",
            "type": {
                "type": "enum",
                "name": f"Status{index}",
                "symbols": ["NEW", "DONE", "FAILED"],
                "default": "NEW",
            },
        },
        {
            "name": "lines",
            "type": {
                "type": "array",
                "items": {
                    "type": "record",
                    "name": f"Line{index}",
                    "fields": [
                        {"name": "sku", "type": "string"},
                        {"name": "qty", "type": "int"},
                        {"name": "tags", "type": {"type": "map", "values": "string"}},
                    ],
                },
            },
        },
        {"name": "note", "type": ["null", "string"], "default": None},
        {
            "name": "customer",
            "type": {
                "type": "record",
                "name": f"Customer{index}",
                "fields": [
                    {"name": "name", "type": "string"},
                    {"name": "email", "type": ["null", "string"], "default": None},
                ],
            },
        },
    ]
    fields += [{"name": f"extra{r}", "type": "int", "default": 0} for r in range(revision)]
    return {
        "type": "record",
        "name": f"Event{index}",
        "namespace": f"bench.t{topic}",
        "fields": fields,
    }


def config(topics: int, events: int, level: str) -> str:
    lines = [
        'schemas = ["schemas"]',
        'output = "generated"',
        'package = "generated"',
        f'compatibility = "{level}"',
        "",
    ]
    for t in range(topics):
        names = ", ".join(f'"bench.t{t}.Event{e}"' for e in range(events))
        lines += ["[[topics]]", f'name = "topic{t}"', 'key = "string"', f"events = [{names}]", ""]
    return "\n".join(lines)


def write_revision(root: Path, topics: int, events: int, revision: int, level: str) -> None:
    (root / "contractgen.toml").write_text(config(topics, events, level), "utf-8")
    for t in range(topics):
        directory = root / "schemas" / "bench" / f"t{t}"
        directory.mkdir(parents=True, exist_ok=True)
        for e in range(events):
            text = json.dumps(event(t, e, revision), indent=2)
            (directory / f"Event{e}.avsc").write_text(text, "utf-8")


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def timed(*args: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    result = CliRunner().invoke(contractgen, list(args))
    return time.perf_counter() - start, result.exit_code, result.stdout.splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--events", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        git(root, "init", "-q", "-b", "main")
        for revision, level in enumerate(("BACKWARD", "BACKWARD", "FULL_TRANSITIVE")):
            write_revision(root, options.topics, options.events, revision, level)
            git(root, "add", "-A")
            git(root, "commit", "-qm", f"revision {revision}")
        git(root, "checkout", "-qb", "feature")
        write_revision(root, options.topics, options.events, 3, "FULL_TRANSITIVE")
        schemas = options.topics * options.events
        os.chdir(root)
        # The baseline: loading the work tree alone (config, schemas, IR), which check also does.
        baseline, _, _ = timed("validate")
        print(f"{schemas} event schemas, validate (the baseline: load + IR): {baseline:.2f} s")
        seconds, code, summary = timed("check", "--against", "git:main")
        print(
            f"{schemas} event schemas, {options.topics * 2} subjects, FULL_TRANSITIVE over a "
            f"3-commit history (3 versions per value subject): {seconds:.2f} s = "
            f"{seconds / baseline:.1f}x validate (exit {code}: {summary})"
        )
        write_revision(root, options.topics, options.events, 3, "BACKWARD")
        seconds, code, summary = timed("check", "--against", "git:main")
        print(
            f"{schemas} event schemas, BACKWARD against the latest version: {seconds:.2f} s = "
            f"{seconds / baseline:.1f}x validate (exit {code}: {summary})"
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
