"""Per-rule fixture pairs: each directory under cases/ is one self-describing case.

    case.toml        level = "BACKWARD", and an optional [lint] table (lint is off otherwise)
    previous*.avsc   earlier versions, oldest first by file name
    current.avsc     the candidate
    expected.txt     the text report, then Confluent's verbose messages

Regenerate every expected.txt with `CONTRACTGEN_REGEN=1 python -m pytest tests/compat/test_cases.py`
and review the diff.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from contractgen.avro.canonical import canonical_string
from contractgen.avro.parse import parse_schema
from contractgen.compat.checker import check_subject
from contractgen.compat.findings import Report, SubjectReport
from contractgen.compat.formats import render_text
from contractgen.compat.levels import HistoryVersion
from contractgen.compat.messages import verbose_messages
from contractgen.ir.model import Level

CASES = Path(__file__).parent / "cases"
_ALL_LINT_OFF = {
    "logical-type-on-field": "off",
    "logical-type-ignored": "off",
    "field-added-without-default": "off",
    "enum-without-default": "off",
}


def run_case(case: Path) -> str:
    settings = tomllib.loads((case / "case.toml").read_text("utf-8"))
    level = Level(settings["level"])
    history = []
    for number, path in enumerate(sorted(case.glob("previous*.avsc")), start=1):
        schema = parse_schema(path.read_text("utf-8"), file=path.name, strict=False)
        history.append(
            HistoryVersion(schema, canonical_string(schema), number, f"version {number}")
        )
    current = parse_schema((case / "current.avsc").read_text("utf-8"), file="current.avsc")
    lint = {**_ALL_LINT_OFF, **settings.get("lint", {})}
    result, findings = check_subject(case.name, current, history, level, lint)
    compared = result.compared
    against = compared.name if compared is not None else ""
    report = Report((SubjectReport(case.name, "checked", level.value, against, tuple(findings)),))
    messages = "".join(f"{m}\n" for m in verbose_messages(result))
    return render_text(report) + "--- verbose messages\n" + messages


@pytest.mark.parametrize(
    "case", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_case(case: Path) -> None:
    actual = run_case(case)
    expected = case / "expected.txt"
    regenerate = os.environ.get("CONTRACTGEN_REGEN") == "1"
    if regenerate and (not expected.exists() or actual != expected.read_text("utf-8")):
        expected.write_text(actual, "utf-8")
        pytest.fail(f"regenerated {expected}: review the diff and run again without REGEN")
    assert actual == expected.read_text("utf-8")
