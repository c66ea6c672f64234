"""A project's schema files as a git commit holds them, read in memory as `worktree` reads a tree.

A git state is never written to disk: its files live at paths under a virtual top level that
exists nowhere (nothing on disk can be met through it, so the config's `.resolve()` of its schema
roots stays lexical), and `schema_files` applies the work tree's rules to them: a schema root must
be a directory, `.avsc` files anywhere below it except under hidden names, each file once, shown
relative to the config's directory, sorted by that path. An absolute schema root inside the
work tree names the same directory of the commit (a checkout in a temporary directory read the
work tree's files there instead).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from contractgen.avro.loader import SchemaFile
from contractgen.config import Config
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.sources.worktree import missing_root, shown_path


def virtual_top(top: Path) -> Path:
    """Where a git state's files appear to be: a directory no one creates."""
    return Path(top.anchor or "/", ".contractgen-git-state")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The files of one commit under the schema roots (paths from the top level → text)."""

    top: Path
    """The virtual top level (see `virtual_top`)."""
    real_top: Path
    """The work tree's top level: an absolute schema root inside it means the same place."""
    files: Mapping[str, str]
    directories: frozenset[str]
    """Every directory that exists: those holding a file, and the roots compared, even empty."""

    @classmethod
    def of(
        cls, top: Path, real_top: Path, files: Mapping[str, str], roots: Iterable[str]
    ) -> Snapshot:
        directories = {""}
        for path in [*files, *(posixpath.join(r, "_") for r in roots)]:
            parent = posixpath.dirname(path)
            while parent not in directories:
                directories.add(parent)
                parent = posixpath.dirname(parent)
        return cls(top, real_top, files, frozenset(directories))

    def inside(self, path: Path) -> str | None:
        """`path` from the top level (`""` for the top itself), None when outside it."""
        top = next((t for t in (self.top, self.real_top) if path.is_relative_to(t)), None)
        if top is None:
            return None
        relative = PurePosixPath(path.relative_to(top).as_posix()).as_posix()
        return "" if relative == "." else relative

    def schema_files(self, config: Config) -> tuple[SchemaFile, ...]:
        """Every `.avsc` file under `config.schemas`, as `read_schema_files` finds them in a
        checkout of the commit. Raises ContractError naming every missing root."""
        problems: list[Diagnostic] = []
        found: dict[str, str] = {}  # path from the top level → shown path
        base = self.inside(config.root)
        for index, root in enumerate(config.schemas):
            relative = self.inside(root)
            if relative is None or relative not in self.directories:
                problems.append(missing_root(config, index))
                continue
            for path in self.files:
                below = _below(path, relative)
                if below is not None and _visible(below) and path.endswith(".avsc"):
                    shown = _shown_below(path, base) or shown_path(self.top / path, config.root)
                    found.setdefault(path, shown)
        if problems:
            raise ContractError(problems)
        ordered = sorted(found.items(), key=lambda item: item[1])
        return tuple(SchemaFile(shown, self.files[path]) for path, shown in ordered)


def _shown_below(path: str, base: str | None) -> str | None:
    """`path` as shown from the directory `base` when it lies below it (no `..` needed)."""
    return None if base is None else _below(path, base)


def _below(path: str, root: str) -> str | None:
    """`path` relative to the directory `root`, None when it is not under it."""
    if not root:
        return path
    return path[len(root) + 1 :] if path.startswith(root + "/") else None


def _visible(relative: str) -> bool:
    """A file the work tree's walk reaches: no hidden name (`.git`, `.venv`) on its way."""
    return not any(part.startswith(".") for part in relative.split("/"))
