"""Code generation and generated-model costs.

    .venv/bin/python bench/bench_generate.py [--schemas 500] [--messages 50000]

1. generation time per schema (in process, the repository's schemas);
2. 500 synthetic schemas through `contractgen generate` in a cold process (load + generate + write);
3. per-message cost of the generated `to_avro`/`from_avro` next to fastavro's own encode/decode,
   on the repository's `generated` package (OrderCreated: decimal, enum, array of records, map).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastavro

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Best wall time of `repeat` runs, in seconds (the least disturbed by the shared machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def per_schema() -> None:
    from contractgen.codegen.package import generate
    from contractgen.codegen.render import Options
    from contractgen.project import load_project

    contracts = load_project(REPO / "pyproject.toml", cwd=REPO).contracts
    count = len(contracts.types)
    seconds = best_of(20, lambda: generate(contracts, Options()))
    print(
        f"generate, repository schemas: {count} named types, {seconds * 1000:.1f} ms per run, "
        f"{seconds / count * 1000:.2f} ms per named type"
    )


def _synthetic(index: int) -> dict[str, Any]:
    namespace = f"bench.ns{index % 25}"
    return {
        "type": "record",
        "name": f"Event{index}",
        "namespace": namespace,
        "doc": f"Synthetic event {index}.",
        "fields": [
            {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {
                "name": "amount",
                "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2},
            },
            {"name": "count", "type": "int", "default": 0},
            {"name": "label", "type": ["null", "string"], "default": None},
            {
                "name": "state",
                "type": {
                    "type": "enum",
                    "name": f"State{index}",
                    "symbols": ["A", "B", "C"],
                    "default": "A",
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
                        ],
                    },
                },
                "default": [],
            },
            {"name": "attributes", "type": {"type": "map", "values": "string"}, "default": {}},
            {"name": "choice", "type": ["null", f"Line{index}", "long", "string"], "default": None},
        ],
    }


def cold_process(count: int) -> None:
    from contractgen.avro.loader import SchemaFile, load_schema_files
    from contractgen.codegen.package import generate
    from contractgen.codegen.render import Options
    from contractgen.ir.model import ContractSet

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "schemas").mkdir()
        texts = [json.dumps(_synthetic(index)) for index in range(count)]
        for index, text in enumerate(texts):
            (root / "schemas" / f"event{index}.avsc").write_text(text, "utf-8")
        files = [SchemaFile(f"schemas/event{i}.avsc", t) for i, t in enumerate(texts)]
        start = time.perf_counter()
        loaded = load_schema_files(files)
        parsed = time.perf_counter() - start
        contracts = ContractSet(topics=(), types=loaded.types, type_files=loaded.type_files)
        start = time.perf_counter()
        generate(contracts, Options(package="pkg"))
        generated = time.perf_counter() - start
        print(
            f"in process, {count} schemas: load+parse {parsed:.2f} s, generate {generated:.2f} s "
            f"({generated / count * 1000:.2f} ms per schema file)"
        )
        command = [
            str(Path(sys.executable).parent / "contractgen"),
            "generate",
            "--schemas",
            "schemas",
            "--output",
            "out/pkg",
            "--package",
            "pkg",
        ]
        start = time.perf_counter()
        subprocess.run(command, cwd=root, check=True, capture_output=True)
        first = time.perf_counter() - start
        unchanged = best_of(
            3, lambda: subprocess.run(command, cwd=root, check=True, capture_output=True)
        )
        check = best_of(
            3,
            lambda: subprocess.run(
                [*command, "--check"], cwd=root, check=True, capture_output=True
            ),
        )
        written = sum(1 for _ in (root / "out").rglob("*.py"))
        print(
            f"cold process, {count} schemas ({count * 3} named types, {written} files): "
            f"first write {first:.2f} s, re-run unchanged {unchanged:.2f} s, "
            f"--check {check:.2f} s"
        )


def per_message(messages: int) -> None:
    from generated.models.com.acme.orders import LineItem, OrderCreated, OrderStatus

    model = OrderCreated(
        order_id="o-123",
        customer_id="c-9",
        items=[
            LineItem(sku=f"sku-{i}", quantity=i + 1, unit_price=Decimal("9.99")) for i in range(3)
        ],
        amount=Decimal("29.97"),
        currency="EUR",
        status=OrderStatus.CONFIRMED,
        created_at=datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
        coupon=None,
        attributes={"channel": "web"},
    )
    schema = fastavro.parse_schema(json.loads(OrderCreated.AVRO_SCHEMA))
    datum = model.to_avro()
    out = io.BytesIO()
    fastavro.schemaless_writer(out, schema, datum)
    encoded = out.getvalue()
    decoded: Any = fastavro.schemaless_reader(
        io.BytesIO(encoded), schema, schema, return_record_name=True
    )

    def encode(d: Any) -> bytes:
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, schema, d)
        return buffer.getvalue()

    def decode() -> Any:
        return fastavro.schemaless_reader(
            io.BytesIO(encoded), schema, schema, return_record_name=True
        )

    cases: dict[str, Callable[[], object]] = {
        "fastavro encode (dict)": lambda: encode(datum),
        "to_avro": model.to_avro,
        "to_avro + fastavro encode": lambda: encode(model.to_avro()),
        "fastavro decode (dict)": decode,
        "from_avro": lambda: OrderCreated.from_avro(decoded),
        "fastavro decode + from_avro": lambda: OrderCreated.from_avro(decode()),
    }
    results = {}
    for name, run in cases.items():

        def loop(run: Callable[[], object] = run) -> None:
            for _ in range(messages):
                run()

        results[name] = best_of(5, loop) / messages * 1e6
        print(f"  {name:<30} {results[name]:7.2f} us/message")
    print(
        f"  typed produce / raw encode: "
        f"{results['to_avro + fastavro encode'] / results['fastavro encode (dict)']:.2f}x; "
        f"typed consume / raw decode: "
        f"{results['fastavro decode + from_avro'] / results['fastavro decode (dict)']:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", type=int, default=500)
    parser.add_argument("--messages", type=int, default=50_000)
    arguments = parser.parse_args()
    per_schema()
    cold_process(arguments.schemas)
    print(f"per message (OrderCreated, {arguments.messages} messages, best of 5):")
    per_message(arguments.messages)


if __name__ == "__main__":
    main()
