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
        except click.NoSuchOption as error:
            raise _hint_global_option(self, error) from None
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
        except KeyboardInterrupt:
            # click would print "Aborted!" and exit 1, which a CI step reads as findings
            click.echo("interrupted", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own control flow: usage errors, ctx.exit
        except OSError as error:
            # A path the user named (or the working directory) cannot be read or written. A closed
            # pipe (`contractgen ls | head -1`) is click's to handle quietly.
            if ctx.params.get("debug") or isinstance(error, BrokenPipeError):
                raise
            click.echo(f"error: {_os_error(error)}", err=True)
            ctx.exit(ExitCode.USAGE)
        except Exception as error:
            # Never a traceback (unless asked for): what failed, where, and how to report it.
            if ctx.params.get("debug"):
                raise
            command = ctx.invoked_subcommand or ctx.info_name
            click.echo(
                f"error: internal error in `contractgen {command}`: {type(error).__name__}: "
                f"{error} (at {_where(error)}).\n  This is a bug in contractgen: please report "
                f"it with the output of the same command run as `contractgen --debug {command} …`.",
                err=True,
            )
            ctx.exit(ExitCode.INTERNAL)


def _hint_global_option(group: click.Group, error: click.NoSuchOption) -> click.NoSuchOption:
    """`contractgen validate --config X`: say that --config goes before the command."""
    name = error.option_name
    if not any(name in p.opts for p in group.params):
        return error
    return click.NoSuchOption(
        name,
        f"No such option: {name}. It is a global option: put it before the command, "
        f"e.g. `contractgen {name} … {error.ctx.info_name if error.ctx else 'COMMAND'}`",
        ctx=error.ctx,
    )


def _os_error(error: OSError) -> str:
    reason = error.strerror or str(error)
    names = [str(n) for n in (error.filename, error.filename2) if n is not None]
    return f"{reason}: {' -> '.join(names)}" if names else reason


def _where(error: BaseException) -> str:
    """The innermost frame of contractgen's own code, as file:line."""
    import traceback  # only on the error path (main.py's imports are kept for lazy loading)

    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "contractgen" in Path(f.filename).parts] or frames
    if not ours:
        return "unknown location"
    frame = ours[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


@click.group(cls=_ContractgenGroup, lazy_commands=COMMANDS)
@click.version_option(package_name="contractgen", prog_name="contractgen")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CONTRACTGEN_CONFIG",
    help="contractgen.toml or pyproject.toml to use, instead of the nearest one found upward "
    "from the working directory.",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="CONTRACTGEN_DEBUG",
    help="Show the traceback of an internal error (to report it) instead of a short message.",
)
def main(config: Path | None, debug: bool) -> None:
    """Typed, compatibility-checked Kafka event contracts from Avro schemas.

    Exit codes: 0 clean, 1 findings or stale generated code, 2 usage, config or schema error,
    3 infrastructure (registry unreachable, git ref missing), 4 internal error (a bug: run
    again with --debug and report the traceback).
    """


if __name__ == "__main__":
    main()
