"""`contractgen init [DIR]`: scaffold a contracts repository that passes every check at once."""

from __future__ import annotations

import keyword
import os
import tempfile
from pathlib import Path

import click
from click.core import ParameterSource

from contractgen.cli.exit_codes import ExitCode
from contractgen.codegen.output import write
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.project import load_project
from contractgen.scaffold import ScaffoldOptions, scaffold_files, title_for


def _package_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    parts = value.split(".")
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        raise click.BadParameter(f"{value!r} is not a dotted Python name, e.g. acme_contracts")
    return value


@click.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=Path(), required=False
)
@click.option("--package", default="generated", show_default=True, callback=_package_name,
              help="Import name of the generated package.")  # fmt: skip
@click.option("--hooks-repo", metavar="URL",
              help="Git URL of contractgen for pinned pre-commit hooks "
              "(default: hooks that run the installed contractgen).")  # fmt: skip
@click.option("--hooks-rev", default="main", show_default=True,
              help="Tag or commit of --hooks-repo.")  # fmt: skip
@click.option("--install", "install_spec", default="contractgen", show_default=True,
              help="What the CI workflow installs with pip, "
              "e.g. 'contractgen @ git+<URL>@<tag>'.")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite files the scaffold would write.")
@click.pass_context
def init(
    ctx: click.Context,
    *,
    directory: Path,
    package: str,
    hooks_repo: str | None,
    hooks_rev: str,
    install_spec: str,
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
        install_spec=install_spec,
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
        ctx.exit(ExitCode.USAGE)
    # Built and checked in a scratch directory first, then moved into place: a scaffold that
    # fails (a bad --package, say) leaves DIRECTORY as it was.
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".contractgen-init-") as scratch:
        root = Path(scratch)
        for relative, text in files.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text, "utf-8")
        project = load_project(root / "contractgen.toml")
        config = project.config
        flavour = Options(
            package=config.package,
            flavour=config.flavour,
            frozen=config.frozen,
            distribution=config.distribution,
        )
        write(config.output, generate(project.contracts, flavour))
        written = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
        for path in written:
            (directory / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(root / path, directory / path)
    click.echo(f"created {len(written)} files in {directory}")
    if ctx.get_parameter_source("install_spec") is ParameterSource.DEFAULT:
        click.echo(
            f"warning: the CI workflow installs {install_spec!r} from PyPI; pass --install "
            "'contractgen @ git+<URL>@<tag>' until it is published",
            err=True,
        )
    click.echo("next: git init -b main && git add -A && git commit -m Contracts")
    click.echo("      pre-commit install")
