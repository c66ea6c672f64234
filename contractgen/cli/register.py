"""`contractgen register`: plan per subject, then apply it to the configured registry."""

from __future__ import annotations

import click

from contractgen.cli.exit_codes import ExitCode
from contractgen.cli.progress import progress_reporter
from contractgen.cli.timeout import timeout_option
from contractgen.project import load_project
from contractgen.registry.connect import open_client
from contractgen.registry.errors import RegistryError, RegistryUnreachable
from contractgen.registry.plan import PlanRefused, apply, plan
from contractgen.registry.render import render_json, render_text
from contractgen.registry.targets import targets


@click.command("register")
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
@click.option(
    "--allow-revert",
    is_flag=True,
    help="Accept schemas that are older versions of their subject (nothing is written for them).",
)
@click.option(
    "--references/--inline",
    default=None,
    help="Register named types from other files as their own subjects (by full name), "
    "referenced, or inline them (default: the config's `[registry] references`, else inline).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the plan and what was applied, with the registry's messages for BLOCKED subjects.",
)
@timeout_option
@click.pass_context
def register(
    ctx: click.Context,
    *,
    dry_run: bool,
    allow_revert: bool,
    references: bool | None,
    output: str,
    timeout: float,
) -> None:
    """Register every subject's schema: NOOP, SET-LEVEL, REGISTER, BLOCKED or REVERT.

    Levels are set before schemas are registered. A plan with BLOCKED subjects (or REVERTs
    without --allow-revert) applies nothing. Exit status: 0 done, 1 blocked or refused,
    2 config or schema error, 3 registry unreachable or refusing the request.
    """
    project = load_project(ctx.find_root().params.get("config"))
    client = open_client(project.config.registry, command_timeout=timeout)
    progress = progress_reporter()
    render = render_json if output == "json" else render_text
    try:
        by_reference = project.config.registry.references if references is None else references
        sent = targets(project.contracts, references=by_reference)
        the_plan = plan(client, sent, progress=progress)
        outcomes, refused = None, None
        if not dry_run:
            try:
                outcomes = apply(client, the_plan, allow_revert=allow_revert, progress=progress)
            except PlanRefused as error:
                refused = str(error)
            except (RegistryError, RegistryUnreachable):
                # The plan as computed; the error (exit 3) says what, if anything, was applied.
                click.echo(render(the_plan, [], dry_run=False, allow_revert=allow_revert), nl=False)
                raise
    finally:
        client.close()
    click.echo(render(the_plan, outcomes, dry_run=dry_run, allow_revert=allow_revert), nl=False)
    if refused:
        click.echo(f"error: {refused}", err=True)
    failed = bool(the_plan.blocked) or (bool(the_plan.reverts) and not allow_revert)
    raise SystemExit(ExitCode.FINDINGS if failed else ExitCode.OK)
