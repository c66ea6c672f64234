"""`contractgen validate`: load the config and every schema file, and report every problem."""

from __future__ import annotations

import click

from contractgen.project import load_project


@click.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check the config and every schema; print each problem as file:line:col: CODE message."""
    project = load_project(ctx.find_root().params.get("config"))
    contracts = project.contracts
    counts = (
        _count(len(contracts.topics), "topic"),
        _count(len(contracts.contracts()), "subject"),
        _count(len(set(contracts.type_files.values())), "schema file"),
        _count(len(contracts.types), "named type"),
    )
    click.echo(f"ok: {', '.join(counts)}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
