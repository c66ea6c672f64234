"""`contractgen check`: is every subject in the work tree compatible with its baseline?"""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.cli.exit_codes import ExitCode
from contractgen.cli.progress import progress_reporter
from contractgen.cli.timeout import timeout_option
from contractgen.compat.allowlist import ALLOWLIST_FILE, Allowlist, load_allowlist
from contractgen.compat.baseline import Memos, parse_against
from contractgen.compat.findings import Report
from contractgen.compat.formats import FORMATS, RENDERERS
from contractgen.compat.run import CheckOptions, run_check
from contractgen.config import Config
from contractgen.project import load_project
from contractgen.registry.connect import open_client
from contractgen.registry.verify import check_against_registry


def _allowlist(config: Config, given: Path | None) -> Allowlist | None:
    path = given or config.allowlist or config.root / ALLOWLIST_FILE
    if given is None and config.allowlist is None and not path.is_file():
        return None
    shown = (
        path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)
    )
    return load_allowlist(path, shown)


def _run(
    config_path: Path | None, against: str | None, allowlist: Path | None, timeout: float
) -> Report:
    memos = Memos()
    project = load_project(config_path, parse_memo=memos.parse, build_memo=memos.build)
    config = project.config
    if against is None:
        # A team's own registry is the authority once one is configured; the embedded default
        # holds only what this clone registered, so the merge base says more.
        against = "git:" if config.registry.embedded_path is not None else "registry"
    options = CheckOptions(
        lint={rule: severity.value for rule, severity in config.lint.items()},
        allowlist=_allowlist(config, allowlist),
    )
    if against == "registry":
        client = open_client(config.registry, command_timeout=timeout)
        try:
            return check_against_registry(
                project.contracts, client, options, progress=progress_reporter()
            )
        finally:
            client.close()
    return run_check(project.contracts, parse_against(against, config, Path.cwd(), memos), options)


_AGAINST = "git:REF, git: (merge base of HEAD with the default branch), dir:PATH, or registry"


def _against(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    kind, colon, rest = (value or "").partition(":")
    if value is None or value == "registry" or (colon and kind == "git"):
        return value
    if colon and kind == "dir" and rest:
        return value
    suggestion = f" (did you mean git:{value}?)" if not colon else ""
    raise click.BadParameter(f"{value!r} is not a baseline; use {_AGAINST}{suggestion}")


@click.command("check")
@click.option(
    "--against",
    callback=_against,
    help="Baseline: git:REF, git: (merge base of HEAD with the default branch), dir:PATH, "
    "or registry (the configured registry, which also gives its own verdict). Default: "
    "registry when a remote registry is configured, else git:.",
)
@click.option("--format", "output", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--allowlist",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"Intentional breaks (default: the config's `allowlist`, else {ALLOWLIST_FILE}).",
)
@timeout_option
@click.pass_context
def check(
    ctx: click.Context, against: str | None, output: str, allowlist: Path | None, timeout: float
) -> None:
    """Check each subject's schema against its version(s) in a baseline, at its topic's level.

    Exit status: 0 clean, 1 findings, 2 config or schema error, 3 git ref missing or registry
    unreachable.
    """
    report = _run(ctx.find_root().params.get("config"), against, allowlist, timeout)
    click.echo(RENDERERS[output](report), nl=False)
    raise SystemExit(ExitCode.OK if report.is_compatible else ExitCode.FINDINGS)
