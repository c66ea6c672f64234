"""`contractgen diff OLD NEW`: per subject, the semantic changes and the verdict (text, markdown).

The verdict is the compatibility engine's, NEW's schema against OLD's at the subject's configured
level; its findings name the Avro rule (READER_FIELD_MISSING_DEFAULT_VALUE, ...) and the changes
name the field, so a reviewer sees what changed and why it breaks. Markdown is meant for a pull
request comment or a CI job summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contractgen.catalog.semdiff import KINDS, Change, semantic_diff
from contractgen.compat.checker import check_subject
from contractgen.compat.findings import Finding, Severity
from contractgen.compat.levels import HistoryVersion
from contractgen.ir.model import Level


@dataclass(frozen=True, slots=True)
class SubjectDiff:
    subject: str
    status: str
    """`changed`, `added`, `removed`."""
    level: Level
    changes: tuple[Change, ...] = ()
    verdict: str = ""
    """`compatible` or `incompatible` for a changed subject; empty otherwise."""
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class DiffReport:
    old: str
    new: str
    subjects: tuple[SubjectDiff, ...]

    @property
    def is_compatible(self) -> bool:
        return all(s.verdict != "incompatible" for s in self.subjects)


def diff_states(
    old: tuple[str, Mapping[str, HistoryVersion]],
    new: tuple[str, Mapping[str, HistoryVersion]],
    levels: Mapping[str, Level],
    default_level: Level,
) -> DiffReport:
    """The subjects that differ between two states, in subject order."""
    (old_label, before), (new_label, after) = old, new
    subjects: list[SubjectDiff] = []
    for subject in sorted(set(before) | set(after)):
        level = levels.get(subject, default_level)
        if subject not in before:
            subjects.append(SubjectDiff(subject, "added", level))
        elif subject not in after:
            subjects.append(SubjectDiff(subject, "removed", level))
        elif before[subject].canonical != after[subject].canonical:
            changes = semantic_diff(before[subject].schema, after[subject].schema)
            result, findings = check_subject(
                subject, after[subject].schema, [before[subject]], level
            )
            verdict = "compatible" if result.is_compatible else "incompatible"
            wire = tuple(f for f in findings if f.severity is not Severity.WARNING)
            subjects.append(SubjectDiff(subject, "changed", level, changes, verdict, wire))
    return DiffReport(old_label, new_label, tuple(subjects))


def _finding(finding: Finding) -> str:
    where = f" ({finding.location})" if finding.location is not None else ""
    return f"{finding.rule}{where}: {finding.message}"


def render_text(report: DiffReport) -> str:
    lines = [f"diff {report.old} -> {report.new}"]
    for s in report.subjects:
        if s.status != "changed":
            lines.append(f"{s.subject}: subject {s.status}")
            continue
        lines.append(f"{s.subject} ({s.level}): {s.verdict.upper()}")
        lines.extend(f"  {c.kind}: {c.path}: {c.detail}" for c in s.changes)
        lines.extend(f"  breaks {_finding(f)}" for f in s.findings)
    if not report.subjects:
        lines.append("no subject changed")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell: pipes escaped, no line breaks."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: DiffReport) -> str:
    lines = [f"### Contract changes: `{report.old}` → `{report.new}`", ""]
    if not report.subjects:
        lines.append("No subject changed.")
    for s in report.subjects:
        if s.status != "changed":
            lines += [f"**{s.subject}**: subject {s.status}", ""]
            continue
        mark = "✅ compatible" if s.verdict == "compatible" else "❌ **incompatible**"
        lines += [f"#### `{s.subject}` ({s.level}): {mark}", ""]
        if s.changes:
            lines += ["| change | where | detail |", "|---|---|---|"]
            lines += [f"| {KINDS[c.kind]} (`{c.kind}`) | `{_cell(c.path)}` | `{_cell(c.detail)}` |"
                      for c in s.changes]  # fmt: skip
            lines.append("")
        lines += [f"- breaks: `{f.rule}`: {_cell(f.message)}" for f in s.findings]
        if s.findings:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
