"""`contractgen generate`: typed models and topic clients from the contracts, into `output`.

Options override the config, and with `--schemas` no config is needed (models only: topics are
declared in the config). `--check` writes nothing: it prints a unified diff of what would change
and exits 1 when the committed code is stale.
"""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.avro.loader import SchemaFile, load_schema_files
from contractgen.cli.exit_codes import ExitCode
from contractgen.codegen.output import compare, write
from contractgen.codegen.package import stream
from contractgen.codegen.render import Options
from contractgen.config import Config, Flavour, find_config, load_config
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.build import build
from contractgen.ir.model import ContractSet
from contractgen.sources.worktree import read_avsc, read_schema_files


def _schema_files(paths: tuple[Path, ...]) -> list[SchemaFile]:
    """`.avsc` files given on the command line: files as they are, directories recursively."""
    problems: list[Diagnostic] = []
    files = read_avsc(paths, Path.cwd(), problems)
    if problems:
        raise ContractError(problems)
    return list(files)


def _contracts(config: Config | None, schemas: tuple[Path, ...]) -> ContractSet:
    """From `--schemas` (with the config's topics, if there is a config), else the project."""
    if not schemas:
        assert config is not None
        return build(config, load_schema_files(read_schema_files(config)))
    schema_set = load_schema_files(_schema_files(schemas))
    if config is None:
        return ContractSet(topics=(), types=schema_set.types, type_files=schema_set.type_files)
    return build(config, schema_set)


@click.command()
@click.option(
    "--schemas",
    "schemas",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="An .avsc file or a directory of them (repeatable); replaces the configured roots.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="The generated package's directory (default: config `output`, else the package's path).",
)
@click.option("--package", help="The generated package's import name (default: config `package`).")
@click.option(
    "--flavour",
    type=click.Choice([f.value for f in Flavour]),
    help="Model classes: stdlib dataclasses (default) or pydantic v2.",
)
@click.option("--frozen/--no-frozen", default=None, help="Generate immutable models.")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; print a diff and exit 1 if the generated code is stale.",
)
@click.pass_context
def generate(
    ctx: click.Context,
    *,
    schemas: tuple[Path, ...],
    output: Path | None,
    package: str | None,
    flavour: str | None,
    frozen: bool | None,
    check: bool,
) -> None:
    """Generate typed models, producers and consumers from the Avro contracts."""
    config_path = ctx.find_root().params.get("config")
    config: Config | None = None
    if config_path is not None or not schemas or find_config(Path.cwd()) is not None:
        config = load_config(config_path)
    options = Options(
        package=package or (config.package if config else "generated"),
        flavour=Flavour(flavour or (config.flavour if config else Flavour.DATACLASSES)),
        frozen=bool(frozen) if frozen is not None else bool(config and config.frozen),
        distribution=config.distribution if config else None,
    )
    # without a config the package is written where its name says, relative to here
    target = output or (config.output if config else Path(*options.package.split(".")))
    files = stream(_contracts(config, schemas), options)
    if check:
        drift = compare(target, files)
        if drift.stale:
            click.echo(drift.diff, nl=False)
            click.echo(
                f"stale: {len(drift.modified)} modified, {len(drift.missing)} missing, "
                f"{len(drift.orphaned)} orphaned in {target}: run `contractgen generate`",
                err=True,
            )
            ctx.exit(ExitCode.FINDINGS)
        click.echo(f"up to date: {drift.files} files in {target}", err=True)
        return
    drift = write(target, files)
    # Without a config there are no topics: say so, or "no producers" looks like a bug.
    what = "models only (no config: no topics)" if config is None else "models and topic clients"
    click.echo(
        f"wrote package {options.package} to {target}/, {what}: {len(drift.missing)} new, "
        f"{len(drift.modified)} updated, {len(drift.orphaned)} removed, "
        f"{drift.files - len(drift.missing) - len(drift.modified)} unchanged",
        err=True,
    )
