"""`contractgen docs`: the browsable HTML catalog of topics, events and their history."""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.catalog.history import histories
from contractgen.catalog.html import render_catalog
from contractgen.catalog.output import write_directory
from contractgen.catalog.sources import all_versions
from contractgen.catalog.view import build_catalog
from contractgen.project import load_project
from contractgen.sources.git import Git, GitError


def _in_repository(root: Path) -> bool:
    try:
        Git(root).ensure_repository()
    except GitError:
        return False
    return True


@click.command("docs")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".contractgen/catalog"),
    show_default=True,
    help="Directory to write the catalog to (replaced as a whole).",
)
@click.option(
    "--history",
    help="Where earlier versions come from: git:REF (its first-parent history), dir:PATH, "
    "registry, or none. Default: git:HEAD in a git repository, else none. The work tree is the "
    "newest version when it differs.",
)
@click.pass_context
def docs(ctx: click.Context, output: Path, history: str | None) -> None:
    """Write a self-contained HTML catalog: topics, events with fields and examples, the
    history of every subject with a semantic diff and a verdict per version, and search.

    Exit status: 0 written, 2 config or schema error, 3 git ref missing or registry unreachable.
    """
    project = load_project(ctx.find_root().params.get("config"))
    if history is None:
        history = "git:HEAD" if _in_repository(project.config.root) else "none"
    label, versions = ("the work tree only", {}) if history == "none" else all_versions(
        history, project, Path.cwd())  # fmt: skip
    catalog = build_catalog(project.contracts, histories(project.contracts, versions), label)
    pages = render_catalog(catalog)
    write_directory(output, pages)
    click.echo(f"wrote {len(pages)} page(s) to {output}/ (open {output / 'index.html'})")
