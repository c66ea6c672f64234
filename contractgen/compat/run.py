"""`contractgen check`: every subject of the work tree against its history in a baseline.

Each subject is checked at its topic's level against the baseline's versions (the latest, or all
of them for `*_TRANSITIVE`), the envelope and its payload union like any schema. Subjects the
baseline lacks are reported as new, subjects it has and the work tree dropped as removed, and
event records that left a topic's payload union as removed events. Lint rules run on every
subject; the allowlist then marks intentional breaks as accepted.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace

from contractgen.avro.canonical import canonical_string
from contractgen.compat.allowlist import Allowlist, apply_allowlist
from contractgen.compat.baseline import Baseline, needs_full_history
from contractgen.compat.checker import LintLevels, check_subject, lint_findings
from contractgen.compat.findings import Finding, Report, Severity, SubjectReport
from contractgen.compat.levels import HistoryVersion, LevelResult
from contractgen.compat.messages import verbose_messages
from contractgen.compat.rules import RULES
from contractgen.ir.model import AvroSchema, Contract, ContractSet, Level, Location, Record, Union

_SEVERITIES = {"warn": Severity.WARNING, "error": Severity.ERROR}


@dataclass(frozen=True, slots=True)
class CheckOptions:
    lint: LintLevels
    allowlist: Allowlist | None = None
    today: datetime.date | None = None


def payload_events(schema: AvroSchema) -> tuple[str, ...]:
    """Full names of the records in an envelope's `payload` union (empty for other schemas)."""
    root = schema.resolve(schema.root)
    if not isinstance(root, Record):
        return ()
    payload = next((f.type for f in root.fields if f.name == "payload"), None)
    if not isinstance(payload, Union):
        return ()
    branches = (schema.resolve(b) for b in payload.branches)
    return tuple(b.fullname for b in branches if isinstance(b, Record))


def _meta(
    rule_id: str,
    subject: str,
    message: str,
    levels: LintLevels,
    *,
    against: str = "",
    location: Location | None = None,
    hint: str = "",
) -> list[Finding]:
    """A `check` rule's finding, at the severity the config's `[lint]` table gives it."""
    setting = levels.get(rule_id)
    if setting == "off":
        return []
    severity = _SEVERITIES.get(setting or "", RULES[rule_id].severity)
    return [Finding(rule_id, severity, subject, message, against, location=location, hint=hint)]


def _subject(
    contract: Contract,
    history: tuple[HistoryVersion, ...],
    options: CheckOptions,
    results: dict[str, LevelResult] | None,
) -> SubjectReport:
    subject, level = contract.subject, contract.level
    if not history:
        findings = _meta(
            "subject-new",
            subject,
            f"new subject {subject}: nothing to compare with",
            options.lint,
            location=contract.schema.root.location,
        )
        findings += lint_findings(subject, contract.schema, None, options.lint)
        return SubjectReport(subject, "new", str(level), "", tuple(findings))
    latest = history[-1]
    if level is Level.NONE:
        findings = lint_findings(subject, contract.schema, latest, options.lint)
        return SubjectReport(subject, "skipped", str(level), latest.name, tuple(findings))
    result, findings = check_subject(subject, contract.schema, history, level, options.lint)
    if results is not None:
        results[subject] = result
    for event in payload_events(latest.schema):
        if event not in payload_events(contract.schema):
            findings += _meta(
                "event-removed",
                subject,
                f"event {event} is no longer in the payload union",
                options.lint,
                against=latest.name,
                location=contract.schema.root.location,
                hint="keep the event while consumers may still receive it",
            )
    compared = result.compared
    against = compared.name if compared is not None else latest.name
    # Compared fully inlined: a registry stores a schema with references with those types by name.
    # The very same schema (a baseline sharing the work tree's parse) needs no second string.
    unchanged = latest.schema is contract.schema or (
        canonical_string(latest.schema) == contract.identity.canonical
    )
    status = "unchanged" if unchanged else "checked"
    messages = tuple(verbose_messages(result))
    return SubjectReport(subject, status, str(level), against, tuple(findings), messages)


def run_check(
    current: ContractSet,
    baseline: Baseline,
    options: CheckOptions,
    *,
    results: dict[str, LevelResult] | None = None,
) -> Report:
    """Every subject against `baseline`; `results`, when given, receives each subject's level
    check (those checked at a level other than NONE), so a caller can reuse it."""
    contracts = current.contracts()
    histories: Mapping[str, tuple[HistoryVersion, ...]] = baseline.histories(
        full=needs_full_history([c.level.value for c in contracts])
    )
    reports = [_subject(c, histories.get(c.subject, ()), options, results) for c in contracts]
    declared = {c.subject for c in contracts}
    for subject in sorted(set(histories) - declared):
        findings = _meta(
            "subject-removed",
            subject,
            f"subject {subject} is in {baseline.label} and no longer declared",
            options.lint,
            against=baseline.label,
            hint="a registry keeps the subject: delete it there too, or restore it",
        )
        reports.append(SubjectReport(subject, "removed", "", baseline.label, tuple(findings)))
    extra: list[Finding] = []
    if options.allowlist is not None:
        today = options.today or datetime.date.today()
        flat = [f for r in reports for f in r.findings]
        marked, extra = apply_allowlist(flat, options.allowlist, today)
        at = 0
        for index, report in enumerate(reports):
            size = len(report.findings)
            reports[index] = replace(report, findings=tuple(marked[at : at + size]))
            at += size
    return Report(tuple(reports), tuple(extra), against=baseline.label)
