"""One subject's candidate against its history: the level check, explained as findings, plus lint.

This is where the engine's (type, location, message) triples become findings people can act on:
Confluent's sentence, the rule, the version and direction, `file:line:col` in the candidate (and
in the previous version's file), and a fix hint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from contractgen.compat.explain import branch_reasons
from contractgen.compat.findings import Finding, Severity
from contractgen.compat.levels import (
    Direction,
    DirectionResult,
    HistoryVersion,
    LevelResult,
    check_level,
)
from contractgen.compat.lint import LintInput
from contractgen.compat.locate import follow, locate
from contractgen.compat.messages import UNEXPECTED, description
from contractgen.compat.resolution import Incompatibility
from contractgen.compat.rules import RULES, hint_for, wire_rule
from contractgen.ir.model import AvroSchema, Level

LintLevels = Mapping[str, str]
"""Lint rule id → `off`, `warn` or `error` (the config's `[lint]` table)."""

_SEVERITIES = {"warn": Severity.WARNING, "error": Severity.ERROR}


def _wire_finding(
    subject: str,
    candidate: AvroSchema,
    previous: HistoryVersion,
    direction: Direction,
    incompatibility: Incompatibility,
) -> Finding:
    reader = candidate if direction is Direction.BACKWARD else previous.schema
    rule = wire_rule(incompatibility)
    found = locate(reader, incompatibility.location)
    if direction is Direction.BACKWARD:
        here, there = found.location, follow(previous.schema, found.steps)
    else:
        here, there = follow(candidate, found.steps), found.location
    return Finding(
        rule.id,
        rule.severity,
        subject,
        description(incompatibility, direction),
        previous.name,
        direction,
        incompatibility.location,
        here,
        there,
        hint_for(incompatibility, direction),
    )


def _wire_findings(
    subject: str, candidate: AvroSchema, previous: HistoryVersion, result: DirectionResult
) -> list[Finding]:
    direction = result.direction
    reader = candidate if direction is Direction.BACKWARD else previous.schema
    resolution = result.resolution
    if resolution.error is not None:
        rule = wire_rule(None)
        return [
            Finding(
                rule.id,
                rule.severity,
                subject,
                UNEXPECTED + resolution.error,
                previous.name,
                direction,
                "/",
                candidate.root.location,
                previous.schema.root.location,
                hint_for(None, direction),
            )
        ]
    writer = previous.schema if direction is Direction.BACKWARD else candidate
    findings = []
    for incompatibility in resolution.incompatibilities:
        finding = _wire_finding(subject, candidate, previous, direction, incompatibility)
        reasons = branch_reasons(incompatibility, reader, writer)
        if reasons:
            hint = f"the {reasons[0][0]} branch changed incompatibly: fix the causes noted below"
            finding = replace(finding, hint=hint)
        findings.append(finding)
        for branch, cause, explained in reasons:
            finding = _wire_finding(subject, candidate, previous, direction, cause)
            findings.append(
                replace(
                    finding,
                    severity=Severity.NOTE,
                    message=f"(why the {branch} branch is unreadable) {finding.message}",
                    explains=explained,
                )
            )
    return findings


def lint_findings(
    subject: str, candidate: AvroSchema, previous: HistoryVersion | None, levels: LintLevels
) -> list[Finding]:
    """Every enabled lint rule over the candidate, in the rule table's order."""
    findings = []
    given = LintInput(candidate, previous.schema if previous else None)
    for rule in RULES.values():
        if rule.lint is None:
            continue
        setting = levels.get(rule.id)
        if setting == "off" or (setting is None and not rule.enabled):
            continue
        severity = _SEVERITIES.get(setting or "", rule.severity)
        for issue in rule.lint(given):
            findings.append(
                Finding(
                    rule.id,
                    severity,
                    subject,
                    issue.message,
                    previous.name if previous else "",
                    None,
                    issue.pointer,
                    issue.location,
                    None,
                    issue.hint,
                )
            )
    return findings


def check_subject(
    subject: str,
    candidate: AvroSchema,
    history: Sequence[HistoryVersion],
    level: Level,
    lint: LintLevels | None = None,
) -> tuple[LevelResult, list[Finding]]:
    """The level check against `history` (oldest first) and the findings that explain it."""
    result = check_level(candidate, history, level)
    findings: list[Finding] = []
    failing = result.failing
    if failing is not None:
        for half in failing.results:
            findings += _wire_findings(subject, candidate, failing.against, half)
    if lint is not None:
        findings += lint_findings(subject, candidate, history[-1] if history else None, lint)
    return result, findings
