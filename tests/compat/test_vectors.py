"""The 402 compatibility vectors (Apache Avro's Java and Python suites, answers confirmed by Java).

Every verdict must agree, and every incompatibility Java reported must come out in the same order
with the same type, location and message. Level vectors also pin Confluent's verbose messages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contractgen.avro.canonical import canonical_string
from contractgen.avro.parse import parse_schema
from contractgen.compat.levels import Direction, HistoryVersion, check_level
from contractgen.compat.messages import verbose_messages
from contractgen.compat.resolution import Resolution, check_reader_writer
from contractgen.ir.model import AvroSchema, Level

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "vectors.json").read_text(encoding="utf-8")
)


def _parse(schema: Any) -> AvroSchema:
    # Vectors play stored schemas: some use names strict parsing rejects (`test-schema`).
    return parse_schema(json.dumps(schema), strict=False)


def _triples(resolution: Resolution) -> list[dict[str, str]]:
    assert resolution.error is None
    return [
        {"type": str(i.type), "location": i.location, "message": i.message}
        for i in resolution.incompatibilities
    ]


def _java_triples(java: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"type": i["type"], "location": i["location"], "message": i["message"]}
        for i in java["incompatibilities"]
    ]


def test_the_corpus_is_complete() -> None:
    assert len(VECTORS) == 402


@pytest.mark.parametrize(
    "vector", [v for v in VECTORS if v["kind"] == "reader_writer"], ids=lambda v: v["id"]
)
def test_reader_writer(vector: dict[str, Any]) -> None:
    resolution = check_reader_writer(_parse(vector["reader"]), _parse(vector["writer"]))
    assert resolution.compatible == (vector["expected"] == "compatible")
    assert _triples(resolution) == _java_triples(vector["java"])


@pytest.mark.parametrize(
    "vector", [v for v in VECTORS if v["kind"] == "level"], ids=lambda v: v["id"]
)
def test_level(vector: dict[str, Any]) -> None:
    history = [
        HistoryVersion(schema, canonical_string(schema), version=n)
        for n, schema in enumerate((_parse(s) for s in vector["history"]), start=1)
    ]
    result = check_level(_parse(vector["candidate"]), history, Level(vector["level"]))

    assert result.is_compatible == (vector["expected"] == "compatible")
    expected_checks = vector["java"]["checked"]
    assert [c.against.version for c in result.checks] == [
        c["history_index"] + 1 for c in expected_checks
    ]
    for check, expected in zip(result.checks, expected_checks, strict=True):
        got = {r.direction: _triples(r.resolution) for r in check.results}
        assert set(got) == {Direction(d) for d in ("backward", "forward") if d in expected}
        for direction, triples in got.items():
            assert triples == _java_triples(expected[direction.value])
    if "confluent_messages" in vector:
        assert verbose_messages(result) == vector["confluent_messages"]
