"""`contractgen compat`: is a candidate schema compatible with earlier versions given as files?"""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.avro.jresolve import UNKNOWN_TYPE
from contractgen.cli.exit_codes import ExitCode
from contractgen.compat.formats import FORMATS, RENDERERS
from contractgen.compat.offline import check_files
from contractgen.diagnostics import ContractError
from contractgen.ir.model import Level

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("compat")
@click.option(
    "--level",
    required=True,
    type=click.Choice([level.value for level in Level], case_sensitive=False),
    help="Compatibility level, as a Confluent registry names it.",
)
@click.option("--format", "output", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--schemas",
    "schema_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of .avsc files whose named types the schemas may use (repeatable).",
)
@click.argument("candidate", type=_FILE)
@click.argument("previous", nargs=-1, required=True, type=_FILE)
def compat(
    level: str,
    output: str,
    schema_dirs: tuple[Path, ...],
    candidate: Path,
    previous: tuple[Path, ...],
) -> None:
    """Check CANDIDATE against PREVIOUS versions (oldest first: versions 1..n).

    Exit status: 0 compatible, 1 incompatible, 2 bad input.
    """
    try:
        report = check_files(candidate, previous, Level(level.upper()), schema_dirs=schema_dirs)
    except ContractError as error:
        # The candidate and a previous version often share a broken type: say it once.
        for line in dict.fromkeys(str(d) for d in error.diagnostics):
            click.echo(line, err=True)
        if not schema_dirs and any(d.code == UNKNOWN_TYPE for d in error.diagnostics):
            click.echo(
                "hint: types defined in other files are found with --schemas DIR (the directory "
                "holding their .avsc files, e.g. --schemas schemas)",
                err=True,
            )
        raise SystemExit(ExitCode.USAGE) from None
    click.echo(RENDERERS[output](report), nl=False)
    raise SystemExit(ExitCode.OK if report.is_compatible else ExitCode.FINDINGS)
