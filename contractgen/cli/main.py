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

from contractgen.cli.commands import COMMANDS, LazyGroup
from contractgen.cli.exit_codes import ExitCode
from contractgen.diagnostics import ContractError
from contractgen.registry.errors import RegistryError, RegistryUnreachable
from contractgen.sources.git import GitError


class _ContractgenGroup(LazyGroup):
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


@click.group(cls=_ContractgenGroup, lazy_commands=COMMANDS)
@click.version_option(package_name="contractgen", prog_name="contractgen")
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


if __name__ == "__main__":
    main()
