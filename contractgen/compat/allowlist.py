"""Intentional breaks: findings a team has decided to accept, each with a reason and an expiry.

    # contract-breaks.toml
    [[break]]
    subject = "orders-value"
    rule = "READER_FIELD_MISSING_DEFAULT_VALUE"
    location = "/fields/3"          # the finding's JSON pointer, as reports print it
    reason = "qty was never produced; consumers agreed in #123"
    expires = 2026-12-31            # optional

An accepted finding is still reported, as accepted, and no longer fails the check. A
MISSING_UNION_BRANCH whose cause notes (the breaks inside the event record) are all accepted is
accepted too, so an entry may name the cause's location rather than the union branch. An entry
that has expired, or that matches no finding any more, fails the check: the list must not rot.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractgen.compat.findings import Finding, Severity
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Location

ALLOWLIST_FILE = "contract-breaks.toml"
BAD_ALLOWLIST = "CHK002"
_KEYS = ("subject", "rule", "location", "reason")


@dataclass(frozen=True, slots=True)
class Entry:
    subject: str
    rule: str
    location: str
    reason: str
    expires: datetime.date | None
    where: Location


@dataclass(frozen=True, slots=True)
class Allowlist:
    path: str
    entries: tuple[Entry, ...]


def _entry_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[break]]"]


def _entry(raw: Any, where: Location) -> Entry:
    if not isinstance(raw, dict):
        raise ContractError([Diagnostic(BAD_ALLOWLIST, "each [[break]] must be a table", where)])
    missing = [k for k in _KEYS if not isinstance(raw.get(k), str) or not raw[k]]
    unknown = sorted(set(raw) - {*_KEYS, "expires"})
    problems = []
    if missing:
        problems.append(f"needs {', '.join(missing)} (non-empty strings)")
    if unknown:
        problems.append(f"has unknown key(s) {', '.join(unknown)}")
    written = raw.get("expires")
    expires: datetime.date | None = None
    if isinstance(written, datetime.date) and not isinstance(written, datetime.datetime):
        expires = written
    elif written is not None:
        try:
            expires = datetime.date.fromisoformat(str(written))
        except ValueError:
            problems.append(f"expires {written!r} is not a date (YYYY-MM-DD)")
    if problems:
        raise ContractError([Diagnostic(BAD_ALLOWLIST, f"this break {p}", where) for p in problems])
    return Entry(raw["subject"], raw["rule"], raw["location"], raw["reason"], expires, where)


def load_allowlist(path: Path, shown: str) -> Allowlist:
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ContractError(
            [
                Diagnostic(
                    BAD_ALLOWLIST,
                    f"cannot read the allowlist {shown}: {error}",
                    Location(shown, "", 1, 1),
                )
            ]
        ) from None
    raw = data.get("break", [])
    lines = _entry_lines(text)
    entries = [
        _entry(item, Location(shown, f"/break/{i}", lines[i] if i < len(lines) else 1, 1))
        for i, item in enumerate(raw if isinstance(raw, list) else [raw])
    ]
    return Allowlist(shown, tuple(entries))


def _matches(entry: Entry, finding: Finding) -> bool:
    return (entry.subject, entry.rule, entry.location) == (
        finding.subject,
        finding.rule,
        finding.pointer,
    )


ALL_CAUSES = "all causes accepted"


def _accept_explained(findings: list[Finding]) -> list[Finding]:
    """Accept each union-branch finding whose cause notes are all accepted.

    Avro reports a changed event record as one MISSING_UNION_BRANCH; the notes under it are the
    real breaks, and accepting those is the natural way to accept the branch.
    """
    causes: dict[tuple[str, str, str | None, str], list[int]] = {}
    for index, finding in enumerate(findings):
        if finding.explains:
            key = (finding.subject, finding.against, finding.direction, finding.explains)
            causes.setdefault(key, []).append(index)
    result = list(findings)
    # A cause comes after the finding it explains: walking backwards settles nested causes first.
    for index in range(len(result) - 1, -1, -1):
        finding = result[index]
        if finding.accepted is not None:
            continue
        key = (finding.subject, finding.against, finding.direction, finding.pointer)
        mine = causes.get(key, [])
        if mine and all(result[i].accepted is not None for i in mine):
            result[index] = finding.accept(ALL_CAUSES)
    return result


def apply_allowlist(
    findings: Sequence[Finding], allowlist: Allowlist, today: datetime.date
) -> tuple[list[Finding], list[Finding]]:
    """(findings with accepted ones marked, findings about the allowlist itself)."""
    used: set[int] = set()
    marked = []
    for finding in findings:
        accepted = finding
        for index, entry in enumerate(allowlist.entries):
            if _matches(entry, finding):
                used.add(index)
                if entry.expires is None or entry.expires >= today:
                    accepted = finding.accept(entry.reason)
                    break
        marked.append(accepted)
    marked = _accept_explained(marked)
    problems = []
    for index, entry in enumerate(allowlist.entries):
        target = f"{entry.rule} at {entry.subject}{entry.location}"
        if entry.expires is not None and entry.expires < today:
            problems.append(
                Finding(
                    "allowlist-expired",
                    Severity.ERROR,
                    entry.subject,
                    f"the accepted break {target} expired on {entry.expires.isoformat()}",
                    pointer=entry.location,
                    location=entry.where,
                    hint="fix the break, or extend `expires` with a reason",
                )
            )
        elif index not in used:
            problems.append(
                Finding(
                    "allowlist-unused",
                    Severity.ERROR,
                    entry.subject,
                    f"the accepted break {target} matches no finding",
                    pointer=entry.location,
                    location=entry.where,
                    hint="delete this entry: the break it accepted is gone",
                )
            )
    return marked, problems
