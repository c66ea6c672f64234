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
    click.echo(
        f"ok: {len(contracts.topics)} topics, {len(contracts.contracts())} subjects, "
        f"{len(set(contracts.type_files.values()))} schema files, "
        f"{len(contracts.types)} named types"
    )
