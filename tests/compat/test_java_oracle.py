"""The engine against Apache Avro Java 1.12.1 on 20,000 generated schema pairs.

`data/java-oracle-vectors.jsonl.gz` is a committed copy of the shared `java-oracle` file: each line
holds an (old, new) pair of schema texts and what Avro Java (called the way Confluent Schema
Registry calls it) answered. Every category must agree on every vector:

- lenient / strict parse: accept or refuse, for both texts;
- canonical: `Schema.toString()` of the lenient parse;
- verdict, triples (type, location, message in Java's order, or the exception's message) and
  Confluent's formatted messages, per direction.

Print the score table while working on the engine:
`.venv/bin/python tests/compat/test_java_oracle.py [N]` (scores the first N pairs, default all).
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from contractgen.compat import JavaFormatError, api

DATA = Path(__file__).parent / "data" / "java-oracle-vectors.jsonl.gz"
CATEGORIES = (
    "lenient_parse",
    "strict_parse",
    "canonical",
    "verdicts",
    "triples",
    "confluent_messages",
)
SHOWN = 8


@dataclass
class Score:
    agree: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    by_profile: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    crashes: list[str] = field(default_factory=list)

    def add(self, category: str, profile: str, ok: bool, where: str, detail: object) -> None:
        self.total[category] += 1
        self.by_profile[profile][f"{category} total"] += 1
        if ok:
            self.agree[category] += 1
            return
        self.by_profile[profile][f"{category} miss"] += 1
        self.misses[category].append(f"{where}: {detail}")


def _parse(text: str, *, strict: bool) -> api.ParsedSchema | None:
    try:
        return api.parse(text, strict=strict)
    except api.SchemaError:
        return None


def _direction(
    score: Score, vector: dict[str, Any], d: str, reader: api.ParsedSchema, writer: api.ParsedSchema
) -> None:
    java = vector["java"][d]
    profile, where = vector["profile"], f"{vector['id']} {d}"
    result = api.check_pair(reader, writer, d)
    score.add("verdicts", profile, result.is_compatible == java["compatible"], where, "")
    want = [(i["type"], i["location"], i["message"]) for i in java["incompatibilities"]]
    got = [(f.type, f.location, f.message) for f in result.findings]
    error = (java["exception"] or {}).get("message")
    same = got == want and result.error == error
    score.add("triples", profile, same, where, f"got {got} {result.error!r} want {want} {error!r}")
    expected = java["confluent_messages"]
    try:
        messages: object = list(result.confluent_messages(strict_format=True))
    except JavaFormatError as failure:
        messages = {"error": failure.java_class, "message": failure.message}
    score.add("confluent_messages", profile, messages == expected, where, f"{messages!r}")


def _score_vector(score: Score, vector: dict[str, Any]) -> None:
    java, profile = vector["java"], vector["profile"]
    parsed: dict[str, api.ParsedSchema | None] = {}
    for side in ("old", "new"):
        where = f"{vector['id']} {side}"
        for mode in ("lenient_parse", "strict_parse"):
            schema = _parse(vector[side], strict=mode == "strict_parse")
            if mode == "lenient_parse":
                parsed[side] = schema
            ok = (schema is not None) == (java[side][mode] == "ok")
            score.add(mode, profile, ok, where, f"java: {java[side][mode]}")
        if java[side]["canonical"] is not None:
            schema = parsed[side]
            got = schema.canonical if schema is not None else None
            same = got == java[side]["canonical"]
            score.add(
                "canonical", profile, same, where, f"got {got} want {java[side]['canonical']}"
            )
    old, new = parsed["old"], parsed["new"]
    for d, reader, writer in (("backward", new, old), ("forward", old, new)):
        if java[d] is None:
            continue
        if reader is None or writer is None:
            for category in ("verdicts", "triples", "confluent_messages"):
                score.add(category, profile, False, f"{vector['id']} {d}", "not parsed")
            continue
        _direction(score, vector, d, reader, writer)


def vectors(limit: int | None = None) -> list[dict[str, Any]]:
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for n, line in enumerate(lines) if limit is None or n < limit]


def score_all(limit: int | None = None) -> Score:
    score = Score()
    for vector in vectors(limit):
        try:
            _score_vector(score, vector)
        except Exception as error:  # a crash is a disagreement in every category it hides
            score.crashes.append(f"{vector['id']}: {type(error).__name__}: {error}")
    return score


@cache
def _full_score() -> Score:
    return score_all()


def table(score: Score) -> str:
    lines = [f"{'category':<20} {'agree':>7} / {'total':<7} {'%':>7}"]
    for category in CATEGORIES:
        agree, total = score.agree[category], score.total[category]
        lines.append(f"{category:<20} {agree:>7} / {total:<7} {100 * agree / max(total, 1):>7.3f}")
    lines.append(f"crashes: {len(score.crashes)}")
    lines.append("")
    lines.append("misses per profile: " + ", ".join(CATEGORIES))
    for profile, counts in sorted(score.by_profile.items()):
        misses = " ".join(f"{counts[f'{c} miss']:>5}" for c in CATEGORIES)
        lines.append(f"  {profile:<10} {misses}")
    return "\n".join(lines)


@pytest.mark.slow
def test_the_copy_is_the_whole_public_file() -> None:
    assert len(vectors()) == 20_000


@pytest.mark.slow
def test_no_vector_crashes_the_engine() -> None:
    assert _full_score().crashes[:SHOWN] == []


@pytest.mark.slow
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_vector_agrees_with_java(category: str) -> None:
    score = _full_score()
    assert score.total[category] > 0
    assert score.misses[category][:SHOWN] == [], (
        f"{len(score.misses[category])} disagreements in {category}"
    )


if __name__ == "__main__":
    result = score_all(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(table(result))
    for category in CATEGORIES:
        for miss in result.misses[category][:3]:
            print(f"{category}: {miss[:400]}")
    for crash in result.crashes[:5]:
        print("crash:", crash[:400])
