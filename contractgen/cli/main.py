"""The `contractgen` command: a click group, one module per command in this package.

What every command shares lives here: the global `--config` option and the mapping of library
errors to exit codes (DESIGN.md §9), so commands just raise and a user never sees a traceback for
a problem in their input or their infrastructure. Commands read the config path with
`ctx.find_root().params.get("config")` (None when a test invokes a command on its own: the config
is then found upward from the working directory).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from contractgen import __version__
from contractgen.cli.asyncapi import asyncapi
from contractgen.cli.check import check
from contractgen.cli.compat import compat
from contractgen.cli.dev import dev
from contractgen.cli.diff import diff
from contractgen.cli.docs import docs
from contractgen.cli.exit_codes import ExitCode
from contractgen.cli.generate import generate
from contractgen.cli.init import init
from contractgen.cli.lag import lag
from contractgen.cli.ls import ls
from contractgen.cli.register import register
from contractgen.cli.registry import registry
from contractgen.cli.validate import validate
from contractgen.diagnostics import ContractError
from contractgen.registry.errors import RegistryError, RegistryUnreachable
from contractgen.sources.git import GitError


class _ContractgenGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ContractError as error:
            for diagnostic in error.diagnostics:
                click.echo(str(diagnostic), err=True)
            ctx.exit(ExitCode.USAGE)
        except (RegistryUnreachable, RegistryError) as error:
            # Both say what to check (URL, credentials); their messages never carry secrets.
            click.echo(f"error: registry: {error}", err=True)
            ctx.exit(ExitCode.INFRASTRUCTURE)
        except GitError as error:
            # A missing ref (a shallow CI clone, say): the message names the git command to run.
            click.echo(f"error: {error}", err=True)
            ctx.exit(ExitCode.INFRASTRUCTURE)


@click.group(cls=_ContractgenGroup)
@click.version_option(__version__, prog_name="contractgen")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CONTRACTGEN_CONFIG",
    help="contractgen.toml or pyproject.toml to use, instead of the nearest one found upward "
    "from the working directory.",
)
def main(config: Path | None) -> None:
    """Typed, compatibility-checked Kafka event contracts from Avro schemas.

    Exit codes: 0 clean, 1 findings or stale generated code, 2 usage, config or schema error,
    3 infrastructure (registry unreachable, git ref missing).
    """


for _command in (init, validate, ls, compat, check, generate, register, registry, lag, dev,
                 asyncapi, docs, diff):  # fmt: skip
    main.add_command(_command)

if __name__ == "__main__":
    main()
