"""`contractgen validate`: load the config and every schema file, report every problem, and lint.

Lint here is the rules that need no baseline (a previous version): each subject's schema alone.
`check` runs the same rules again with the baseline, plus the compatibility check itself.
"""

from __future__ import annotations

import click

from contractgen.cli.exit_codes import ExitCode
from contractgen.compat.checker import lint_findings
from contractgen.compat.findings import Finding, Severity
from contractgen.project import load_project


@click.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check the config and every schema, and lint each subject's schema.

    Problems print as file:line:col: CODE message (exit 2); lint findings as
    file:line:col: severity rule: message (exit 1 when a rule set to "error" fires).
    """
    project = load_project(ctx.find_root().params.get("config"))
    contracts = project.contracts
    levels = {rule: severity.value for rule, severity in project.config.lint.items()}
    findings: list[Finding] = []
    for contract in contracts.contracts():
        findings += lint_findings(contract.subject, contract.schema, None, levels)
    for finding in findings:
        click.echo(f"{finding.where}: {finding.severity} {finding.rule}: {finding.message}")
        if finding.hint:
            click.echo(f"    hint: {finding.hint}")
    counts = [
        _count(len(contracts.topics), "topic"),
        _count(len(contracts.contracts()), "subject"),
        _count(len(set(contracts.type_files.values())), "schema file"),
        _count(len(contracts.types), "named type"),
    ]
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    if warnings:
        counts.append(_count(warnings, "lint warning"))
    if errors:
        click.echo(f"failed: {_count(errors, 'lint error')}; {', '.join(counts)}")
        raise SystemExit(ExitCode.FINDINGS)
    click.echo(f"ok: {', '.join(counts)}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
