"""The exit codes of every command (DESIGN.md §9), in one place."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    """Findings (incompatible, lint errors), stale generated code, lagging, a refused plan."""
    USAGE = 2
    """A usage, config or schema error (also click's own exit code for bad options)."""
    INFRASTRUCTURE = 3
    """The registry, a broker or a git ref could not be reached, or refused the request."""
    INTERNAL = 4
    """An unexpected error: a bug in contractgen (`--debug` shows the traceback to report)."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C): 128 + SIGINT, as shells report it; nothing half-written is left."""
