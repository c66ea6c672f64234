"""`contractgen asyncapi`: the contracts as an AsyncAPI 3.0 document (YAML or JSON)."""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.catalog.asyncapi import asyncapi_document, render_document
from contractgen.catalog.output import write_file
from contractgen.project import load_project


@click.command("asyncapi")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output).",
)
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True)  # fmt: skip
@click.pass_context
def asyncapi(ctx: click.Context, output: Path | None, output_format: str) -> None:
    """Write an AsyncAPI 3.0 document of the topics, events and generated clients.

    Exit status: 0 written, 2 config or schema error.
    """
    project = load_project(ctx.find_root().params.get("config"))
    text = render_document(asyncapi_document(project.config, project.contracts), output_format)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_file(output, text)
