"""Progress lines for long commands: on a terminal only, never in CI or when stderr is redirected
(DESIGN.md §9), so logs and captured output stay exactly the report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click


def progress_reporter() -> Callable[[str], None] | None:
    """A callback printing `  <message>` to stderr, or None where progress must stay quiet."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def report(message: str) -> None:
        click.echo(f"  {message}", err=True)

    return report
