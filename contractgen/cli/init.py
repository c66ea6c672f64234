"""`contractgen init [DIR]`: scaffold a contracts repository that passes every check at once."""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.codegen.output import write
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.project import load_project
from contractgen.scaffold import ScaffoldOptions, scaffold_files, title_for

EXIT_USAGE = 2


@click.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=Path(), required=False
)
@click.option("--package", default="generated", show_default=True,
              help="Import name of the generated package.")  # fmt: skip
@click.option("--hooks-repo", metavar="URL",
              help="Git URL of contractgen for pinned pre-commit hooks "
              "(default: hooks that run the installed contractgen).")  # fmt: skip
@click.option("--hooks-rev", default="main", show_default=True,
              help="Tag or commit of --hooks-repo.")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite files the scaffold would write.")
@click.pass_context
def init(
    ctx: click.Context,
    *,
    directory: Path,
    package: str,
    hooks_repo: str | None,
    hooks_rev: str,
    force: bool,
) -> None:
    """Create a new contracts repository in DIRECTORY (default: here).

    It writes a config, one example schema and topic, pre-commit hooks, a CI workflow, a README
    and the generated package, and passes validate, check and generate --check immediately.
    """
    options = ScaffoldOptions(
        title=title_for(directory.resolve().name),
        package=package,
        hooks_repo=hooks_repo,
        hooks_rev=hooks_rev,
    )
    files = scaffold_files(options)
    existing = sorted(p for p in files if (directory / p).exists())
    if existing and not force:
        # Checked before anything is written: a refused init leaves the directory as it was.
        click.echo(
            f"error: {directory} already has {', '.join(existing)}; "
            "choose an empty directory or pass --force to overwrite them",
            err=True,
        )
        ctx.exit(EXIT_USAGE)
    for relative, text in files.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    project = load_project(directory / "contractgen.toml")
    config = project.config
    generated = generate(
        project.contracts,
        Options(package=config.package, flavour=config.flavour, frozen=config.frozen),
    )
    write(config.output, generated)
    click.echo(f"created {len(files)} files and {config.output.name}/ in {directory}")
    click.echo("next: git init && git add -A && git commit -m 'Contracts' && pre-commit install")
