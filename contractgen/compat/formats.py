"""One report, five formats: text (people), json (scripts), github (annotations), junit, sarif.

Every format prints the same findings; only the shape changes. Text groups findings per subject
and ends with a summary line; the others follow their format's conventions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import contractgen
from contractgen.compat.findings import Finding, Report, SubjectReport, count
from contractgen.compat.rules import RULES, Category

FORMATS = ("text", "json", "github", "junit", "sarif")


def _finding_line(finding: Finding) -> list[str]:
    status = f"accepted ({finding.accepted})" if finding.accepted is not None else finding.severity
    context = ", ".join(part for part in (finding.direction or "", finding.against) if part)
    line = f"  {finding.where}: {status} {finding.rule}: {finding.message}"
    lines = [f"{line} [{context}]" if context else line]
    if finding.previous_location is not None:
        lines.append(f"      previous: {finding.previous_location}")
    if finding.hint:
        lines.append(f"      hint: {finding.hint}")
    return lines


def _heading(subject: SubjectReport) -> str:
    detail = {
        "checked": f"{subject.level}, against {subject.against}",
        "new": "new subject, nothing to compare with",
        "removed": f"removed; was in {subject.against}",
        "unchanged": f"{subject.level}, unchanged since {subject.against}",
        "skipped": f"{subject.level}: nothing is checked",
    }.get(subject.status, subject.status)
    return f"{subject.subject} ({detail})"


def summary(report: Report) -> str:
    counts = count(report.findings)
    statuses = [s.status for s in report.subjects]
    checked = sum(1 for s in statuses if s in ("checked", "unchanged"))
    verdict = _verdict(report)
    against = f" against {report.against}" if report.against else ""
    return (
        f"{len(statuses)} subject(s){against}: {checked} checked, {statuses.count('new')} new, "
        f"{statuses.count('removed')} removed; {counts['errors']} error(s), "
        f"{counts['warnings']} warning(s), {counts['accepted']} accepted: {verdict}"
    )


_FAILED_AS = {Category.LINT: "lint", Category.CHECK: "subjects", Category.ALLOWLIST: "allowlist"}
"""How a failure that is not a wire incompatibility is named in the summary, in this order."""


def _verdict(report: Report) -> str:
    """`compatible`; `INCOMPATIBLE` when a wire rule failed (or the registry refused the schema);
    else `FAILED (...)` naming what failed: lint errors, subject rules, the allowlist."""
    failing = [f for f in report.findings if f.fails]
    if not failing:
        return "compatible"
    categories = {RULES[f.rule].category if f.rule in RULES else Category.CHECK for f in failing}
    if Category.WIRE in categories or any(f.rule == "registry-disagrees" for f in failing):
        return "INCOMPATIBLE"
    return f"FAILED ({', '.join(name for c, name in _FAILED_AS.items() if c in categories)})"


def render_text(report: Report) -> str:
    lines: list[str] = []
    for subject in report.subjects:
        lines.append(_heading(subject))
        for finding in subject.findings:
            lines += _finding_line(finding)
    if report.extra:
        lines.append("allowlist")
        for finding in report.extra:
            lines += _finding_line(finding)
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def finding_data(finding: Finding) -> dict[str, Any]:
    def where(location: Any) -> dict[str, Any] | None:
        if location is None:
            return None
        return {"file": location.file, "line": location.line, "column": location.column}

    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "subject": finding.subject,
        "against": finding.against,
        "direction": str(finding.direction) if finding.direction else None,
        "pointer": finding.pointer,
        "message": finding.message,
        "location": where(finding.location),
        "previous_location": where(finding.previous_location),
        "hint": finding.hint,
        "accepted": finding.accepted,
    }


def render_json(report: Report) -> str:
    data = {
        "is_compatible": report.is_compatible,
        "against": report.against,
        # one subject (`compat`): its messages; a whole check: every subject's, in order
        "messages": list(report.messages) or [m for s in report.subjects for m in s.messages],
        "findings": [finding_data(f) for f in report.findings],
        "subjects": [
            {
                "subject": s.subject,
                "status": s.status,
                "level": s.level,
                "against": s.against,
                "messages": list(s.messages),
            }
            for s in report.subjects
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then the summary."""
    lines = []
    for finding in report.findings:
        command = {"error": "error", "warning": "warning"}.get(finding.severity, "notice")
        if finding.accepted is not None:
            command = "notice"
        props = [f"title={_escape_property(f'{finding.subject}: {finding.rule}')}"]
        if finding.location is not None:
            props = [
                f"file={_escape_property(finding.location.file)}",
                f"line={finding.location.line}",
                f"col={finding.location.column}",
                *props,
            ]
        text = finding.message + (f" Hint: {finding.hint}" if finding.hint else "")
        lines.append(f"::{command} {','.join(props)}::{_escape_data(text)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def render_junit(report: Report) -> str:
    """One test case per subject; each failing finding is a failure of it."""
    from xml.etree import ElementTree  # only for this format: every command renders a report

    suites = ElementTree.Element("testsuites", name="contractgen")
    failures = sum(1 for s in report.subjects if any(f.fails for f in s.findings))
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="contractgen check",
        tests=str(len(report.subjects) + (1 if report.extra else 0)),
        failures=str(failures + (1 if any(f.fails for f in report.extra) else 0)),
    )
    groups = [(s.subject, s.findings) for s in report.subjects]
    if report.extra:
        groups.append(("allowlist", report.extra))
    for name, findings in groups:
        case = ElementTree.SubElement(suite, "testcase", classname="contractgen", name=name)
        for finding in findings:
            if finding.fails:
                failure = ElementTree.SubElement(
                    case, "failure", type=finding.rule, message=finding.message
                )
                failure.text = "\n".join(_finding_line(finding)).strip()
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def render_sarif(report: Report) -> str:
    """SARIF 2.1.0, for code-scanning dashboards."""
    used = sorted({f.rule for f in report.findings})
    results = []
    for finding in report.findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": str(finding.severity),
            "message": {
                "text": finding.message + (f" Hint: {finding.hint}" if finding.hint else "")
            },
            "properties": {"subject": finding.subject, "pointer": finding.pointer},
        }
        if finding.location is not None:
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": finding.location.file},
                        "region": {
                            "startLine": max(finding.location.line, 1),
                            "startColumn": max(finding.location.column, 1),
                        },
                    }
                }
            ]
        if finding.accepted is not None:
            result["suppressions"] = [{"kind": "external", "justification": finding.accepted}]
        results.append(result)
    rules = [
        {"id": rule_id, "shortDescription": {"text": RULES[rule_id].purpose}}
        for rule_id in used
        if rule_id in RULES
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "contractgen",
                        "version": contractgen.__version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "junit": render_junit,
    "sarif": render_sarif,
}
