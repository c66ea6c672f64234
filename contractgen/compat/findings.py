"""What `compat` and `check` report: one `Finding` type, printed by every output format.

A finding is data, no I/O: the rule that produced it, the subject and the version (or ref) it was
compared with, the direction, the JSON pointer Avro Java reports, the message, where to look in the
candidate (and in the previous file when that helps), and what to do about it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from contractgen.compat.levels import Direction
from contractgen.ir.model import Location


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    """A rule id from `contractgen.compat.rules.RULES`."""
    severity: Severity
    subject: str
    message: str
    against: str = ""
    """The version or ref compared with: `version 3`, `git:main@1a2b3c4`; empty for lint."""
    direction: Direction | None = None
    pointer: str = ""
    """JSON pointer: into the reader schema for wire rules (Java's location), else the candidate."""
    location: Location | None = None
    """Where to look in the candidate's `.avsc`."""
    previous_location: Location | None = None
    """Where the same element is in the previous version's file, when that helps."""
    hint: str = ""
    accepted: str | None = field(default=None)
    explains: str = ""
    """For a note giving a cause of a MISSING_UNION_BRANCH: that finding's pointer (same subject,
    version and direction). Accepting every cause accepts the union-branch finding too."""
    """Why this break is intentional (from the allowlist); an accepted finding does not fail."""

    @property
    def fails(self) -> bool:
        return self.severity is Severity.ERROR and self.accepted is None

    def accept(self, reason: str) -> Finding:
        return replace(self, accepted=reason)

    @property
    def where(self) -> str:
        """`file:line:col` when known, else the subject and pointer."""
        if self.location is not None:
            return str(self.location)
        return f"{self.subject}{self.pointer}" if self.pointer else self.subject


@dataclass(frozen=True, slots=True)
class SubjectReport:
    """Everything found for one subject, for grouping in the text output."""

    subject: str
    status: str
    """`checked`, `new`, `removed`, `unchanged` or `skipped` (level NONE)."""
    level: str
    against: str
    findings: tuple[Finding, ...] = ()
    messages: tuple[str, ...] = ()
    """Confluent's verbose messages for this subject (empty when compatible): the registry's own
    when checked against one, else what a Confluent registry would answer."""


@dataclass(frozen=True, slots=True)
class Report:
    subjects: tuple[SubjectReport, ...]
    extra: tuple[Finding, ...] = ()
    """Findings that belong to no subject (allowlist entries that are expired or unused)."""
    messages: tuple[str, ...] = ()
    """Confluent's verbose messages, when one subject was checked (`compat`)."""
    against: str = ""
    """The baseline's label (`check`: `git:main@1a2b3c4`, `registry https://...`); empty for
    `compat`, whose subject names the version compared."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for s in self.subjects for f in s.findings) + self.extra

    @property
    def is_compatible(self) -> bool:
        return not any(f.fails for f in self.findings)


def count(findings: Sequence[Finding]) -> dict[str, int]:
    """Counts for summary lines: errors, warnings, notes and accepted findings."""
    counts = {"errors": 0, "warnings": 0, "notes": 0, "accepted": 0}
    for finding in findings:
        if finding.accepted is not None:
            counts["accepted"] += 1
        else:
            counts[
                {"error": "errors", "warning": "warnings", "note": "notes"}[finding.severity]
            ] += 1
    return counts
