"""Where the catalog and `diff` get earlier versions: the same baselines `check` understands.

`git:REF`, `git:` and `dir:PATH` are parsed by `check`'s own `parse_against`; `registry` is the
configured registry. For the catalog a git ref gives every distinct version along its first-parent
history and a registry every live version; for `diff` each side is one state: the newest version
of each subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from contractgen.compat.baseline import GitBaseline, parse_against
from contractgen.compat.levels import HistoryVersion
from contractgen.project import Project
from contractgen.registry.connect import open_client
from contractgen.registry.history import fetch_history
from contractgen.registry.verify import RegistryBaseline

Versions = Mapping[str, tuple[HistoryVersion, ...]]
"""Subject → its versions, oldest first."""

WORK_TREE_SPEC = "."
"""How `diff` names the work tree (its default NEW side)."""


def all_versions(spec: str, project: Project, cwd: Path) -> tuple[str, Versions]:
    """(label, every version of every declared subject) from `registry` or a baseline spec."""
    if spec == "registry":
        client = open_client(project.config.registry)
        try:
            subjects = [c.subject for c in project.contracts.contracts()]
            found = {s: tuple(fetch_history(client, s, client.versions(s))) for s in subjects}
            return f"registry {client.display_url}", {s: v for s, v in found.items() if v}
        finally:
            client.close()
    baseline = parse_against(spec, project.config, cwd)
    # A directory holds one state; a git ref holds its whole first-parent history.
    return baseline.label, baseline.histories(full=isinstance(baseline, GitBaseline))


def state(spec: str, project: Project, cwd: Path) -> tuple[str, dict[str, HistoryVersion]]:
    histories: Versions
    """(label, the newest version of each subject) of one side of a `diff`."""
    if spec == WORK_TREE_SPEC:
        return "work tree", {
            c.subject: HistoryVersion(c.schema, c.identity.canonical, None, "work tree")
            for c in project.contracts.contracts()
        }
    if spec == "registry":
        client = open_client(project.config.registry)
        try:
            baseline = RegistryBaseline(client, project.contracts.contracts())
            label, histories = baseline.label, baseline.histories(full=False)
        finally:
            client.close()
    else:
        baseline_ = parse_against(spec, project.config, cwd)
        label, histories = baseline_.label, baseline_.histories(full=False)
    return label, {s: versions[-1] for s, versions in histories.items() if versions}
