"""Output-format snapshots: one report (a wire break with its cause, lint, an accepted break, an
allowlist problem, a new and a removed subject) in every format.

Regenerate with `CONTRACTGEN_REGEN=1 python -m pytest tests/compat/test_formats.py` and review.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from contractgen import __version__
from contractgen.avro.canonical import canonical_string
from contractgen.avro.parse import parse_schema
from contractgen.compat.allowlist import Allowlist, Entry, apply_allowlist
from contractgen.compat.checker import check_subject
from contractgen.compat.findings import Finding, Report, Severity, SubjectReport
from contractgen.compat.formats import FORMATS, RENDERERS
from contractgen.compat.levels import HistoryVersion
from contractgen.ir.model import Level, Location

SNAPSHOTS = Path(__file__).parent / "snapshots"
EXTENSIONS = {"text": "txt", "json": "json", "github": "txt", "junit": "xml", "sarif": "json"}


def sample_report() -> Report:
    case = Path(__file__).parent / "cases" / "union-member-changed"
    before = parse_schema((case / "previous.avsc").read_text("utf-8"), file="previous.avsc")
    after = parse_schema((case / "current.avsc").read_text("utf-8"), file="current.avsc")
    history = [HistoryVersion(before, canonical_string(before), 1, "git:main@1a2b3c4")]
    _, found = check_subject("events-value", after, history, Level.BACKWARD, {})
    lint = Finding(
        "enum-without-default",
        Severity.WARNING,
        "events-key",
        "enum 'K' has no default symbol",
        location=Location("k.avsc", "", 3, 7),
        hint="add one",
    )
    where = Location("contract-breaks.toml", "/break/0", 2, 1)
    allowlist = Allowlist(
        "contract-breaks.toml",
        (
            Entry("events-key", "enum-without-default", "", "legacy key", None, where),
            Entry(
                "events-value",
                "TYPE_MISMATCH",
                "/fields/0",
                "gone",
                datetime.date(2020, 1, 1),
                Location("contract-breaks.toml", "/break/1", 8, 1),
            ),
        ),
    )
    marked, extra = apply_allowlist([*found, lint], allowlist, datetime.date(2026, 1, 1))
    return Report(
        (
            SubjectReport("events-key", "checked", "BACKWARD", "git:main@1a2b3c4", (marked[-1],)),
            SubjectReport(
                "events-value", "checked", "BACKWARD", "git:main@1a2b3c4", tuple(marked[:-1])
            ),
            SubjectReport(
                "audit-value",
                "new",
                "FULL",
                "",
                (Finding("subject-new", Severity.NOTE, "audit-value", "new subject audit-value"),),
            ),
            SubjectReport(
                "old-value",
                "removed",
                "",
                "git:main@1a2b3c4",
                (
                    Finding(
                        "subject-removed",
                        Severity.WARNING,
                        "old-value",
                        "subject old-value is gone",
                    ),
                ),
            ),
        ),
        tuple(extra),
        against="git:main@1a2b3c4",
    )


@pytest.mark.parametrize("output", FORMATS)
def test_snapshot(output: str) -> None:
    actual = RENDERERS[output](sample_report()).replace(__version__, "VERSION")
    snapshot = SNAPSHOTS / f"report.{output}.{EXTENSIONS[output]}"
    regenerate = os.environ.get("CONTRACTGEN_REGEN") == "1"
    if regenerate and (not snapshot.exists() or snapshot.read_text("utf-8") != actual):
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(actual, "utf-8")
        pytest.fail(f"regenerated {snapshot}: review the diff and run again without REGEN")
    assert actual == snapshot.read_text("utf-8")


def _summary(*findings: Finding, extra: tuple[Finding, ...] = ()) -> str:
    report = Report((SubjectReport("s-value", "checked", "BACKWARD", "v1", findings),), extra)
    return RENDERERS["text"](report).splitlines()[-1]


def test_the_summary_says_what_failed() -> None:
    wire = Finding("TYPE_MISMATCH", Severity.ERROR, "s-value", "type changed")
    lint = Finding("enum-without-default", Severity.ERROR, "s-value", "no default")
    unused = Finding("allowlist-unused", Severity.ERROR, "", "matches nothing")
    removed = Finding("subject-removed", Severity.ERROR, "s-value", "gone")
    disagrees = Finding("registry-disagrees", Severity.ERROR, "s-value", "the registry rejects")
    assert _summary().endswith(": compatible")
    assert _summary(wire, lint, extra=(unused,)).endswith(": INCOMPATIBLE")
    assert _summary(disagrees).endswith(": INCOMPATIBLE")
    # Compatible schemas whose allowlist (or lint) fails: not "INCOMPATIBLE".
    assert _summary(extra=(unused,)).endswith(": FAILED (allowlist)")
    assert _summary(lint).endswith(": FAILED (lint)")
    assert _summary(lint, removed, extra=(unused,)).endswith(": FAILED (lint, subjects, allowlist)")
    assert _summary(wire.accept("known"), extra=(unused,)).endswith(": FAILED (allowlist)")


def test_a_previous_version_from_a_registry_is_named_with_its_pointer() -> None:
    def previous(location: Location) -> str:
        finding = Finding(
            "TYPE_MISMATCH", Severity.ERROR, "orders-value", "type changed",
            previous_location=location,
        )  # fmt: skip
        report = Report((SubjectReport("orders-value", "checked", "BACKWARD", "v1", (finding,)),))
        [line] = [x for x in RENDERERS["text"](report).splitlines() if "previous:" in x]
        return line.strip()

    registered = Location("<orders-value version 1>", "/fields/2/type", 1, 855)
    assert previous(registered) == "previous: orders-value version 1, at /fields/2/type"
    in_a_file = Location("schemas/Order.avsc", "/fields/2/type", 9, 5)
    assert previous(in_a_file) == "previous: schemas/Order.avsc:9:5"
