"""`contractgen diff OLD [NEW]`: what changed in each subject between two states, and verdicts."""

from __future__ import annotations

from pathlib import Path

import click

from contractgen.catalog.diffreport import diff_states, render_markdown, render_text
from contractgen.catalog.sources import WORK_TREE_SPEC, state
from contractgen.project import load_project


@click.command("diff")
@click.argument("old")
@click.argument("new", default=WORK_TREE_SPEC)
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]),
              default="text", show_default=True)  # fmt: skip
@click.option(
    "--append-to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the report to this file instead of printing it (in GitHub Actions: "
    '"$GITHUB_STEP_SUMMARY", which shows it on the run\'s summary page).',
)
@click.pass_context
def diff(
    ctx: click.Context, old: str, new: str, output_format: str, append_to: Path | None
) -> None:
    """Semantic diff of every subject from OLD to NEW, with the compatibility verdict.

    OLD and NEW are what `check --against` takes (git:REF, git: for the merge base, dir:PATH,
    registry); NEW defaults to the work tree (`.`). Verdicts use each subject's configured level,
    NEW against OLD. `--format markdown` suits a pull request comment or a CI job summary.

    Exit status: 0 (a report, whatever it says; `check` is the gate), 2 config or schema error,
    3 git ref missing or registry unreachable.
    """
    project = load_project(ctx.find_root().params.get("config"))
    cwd = Path.cwd()
    levels = {c.subject: c.level for c in project.contracts.contracts()}
    report = diff_states(
        state(old, project, cwd), state(new, project, cwd), levels, project.config.compatibility
    )
    text = (render_markdown if output_format == "markdown" else render_text)(report)
    if append_to is None:
        click.echo(text, nl=False)
    else:
        with append_to.open("a", encoding="utf-8") as summary:
            summary.write(text)
