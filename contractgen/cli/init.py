"""`contractgen init [DIR]`: scaffold a contracts repository that passes every check at once."""

from __future__ import annotations

import importlib.metadata
import json
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
              help="Git URL of contractgen for its pinned pre-commit hooks (default: "
              "local hooks for which pre-commit installs what --install names).")  # fmt: skip
@click.option("--hooks-rev", default="main", show_default=True,
              help="Tag or commit of --hooks-repo.")  # fmt: skip
@click.option("--install", "install_spec", default=None,
              help="What the CI workflow and the pre-commit hooks install with pip, e.g. "
              "'contractgen @ git+<URL>@<tag>' (default: where this contractgen was installed "
              "from).")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite files the scaffold would write.")
@click.pass_context
def init(
    ctx: click.Context,
    *,
    directory: Path,
    package: str,
    hooks_repo: str | None,
    hooks_rev: str,
    install_spec: str | None,
    force: bool,
) -> None:
    """Create a new contracts repository in DIRECTORY (default: here).

    It writes a config, one example schema and topic, pre-commit hooks, a CI workflow, a README
    and the generated package, and passes validate, check and generate --check immediately.
    """
    install_spec = install_spec or installed_from()
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
    _make_directory(ctx, directory)
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
    if ctx.get_parameter_source("install_spec") is ParameterSource.DEFAULT and (
        install_spec == "contractgen" or "file:" in install_spec
    ):
        where = "from PyPI" if install_spec == "contractgen" else "from this machine's copy"
        click.echo(
            f"warning: CI and the pre-commit hooks install {install_spec!r} {where}; pass "
            "--install 'contractgen @ git+<URL>@<tag>' so that every clone can install it",
            err=True,
        )
    click.echo("next: git init -b main && git add -A && git commit -m Contracts")
    click.echo("      pre-commit install")


def _make_directory(ctx: click.Context, directory: Path) -> None:
    """Create DIRECTORY, or exit 2 saying why it cannot hold a repository."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass  # an existing directory may still refuse writes
    except OSError as error:
        blocker = next((p for p in (directory, *directory.parents) if p.is_file()), None)
        reason = f"{blocker} is a file" if blocker else (error.strerror or str(error))
        click.echo(
            f"error: cannot create the repository in {directory}: {reason}; "
            "choose a directory you can write to",
            err=True,
        )
        ctx.exit(ExitCode.USAGE)


def installed_from() -> str:
    """A pip requirement for the contractgen running now (PEP 610's direct_url.json): the git URL
    and commit it was installed from, a local directory, or just the name (from an index)."""
    # A source checkout's own egg-info (no direct_url.json) may shadow the installed metadata.
    texts = (
        d.read_text("direct_url.json") for d in importlib.metadata.distributions(name="contractgen")
    )
    text = next((t for t in texts if t), None)
    try:
        origin = json.loads(text) if text else {}
    except ValueError:
        origin = {}
    url = origin.get("url")
    if not isinstance(url, str):
        return "contractgen"
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"contractgen @ git+{url}@{vcs['commit_id']}"
    return f"contractgen @ {url}"
