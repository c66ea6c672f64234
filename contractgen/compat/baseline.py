"""What `check` compares with: a baseline yields, per subject, the history of its versions.

A baseline is anything with a label and `histories(full=...)`: a directory holding another copy of
the project (`dir:PATH`), the repository at a git ref (`git:REF`), and, with the registry work, a
live registry. Every baseline builds its subjects with the same pipeline as the work tree
(config → schema files → ContractSet), so a subject means the same thing on both sides. Earlier
versions are parsed leniently, as a registry reads what it stores.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from contractgen.avro.loader import ParseMemo, load_schema_files
from contractgen.compat.levels import HistoryVersion
from contractgen.config import Config, load_config
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.build import build
from contractgen.ir.model import Contract
from contractgen.sources.git import Git, GitError
from contractgen.sources.worktree import read_schema_files

BASELINE_BROKEN = "CHK001"

Histories = Mapping[str, tuple[HistoryVersion, ...]]
"""Subject → its versions, oldest first."""


class Baseline(Protocol):
    @property
    def label(self) -> str:
        """What the report says was compared with: `git:main@1a2b3c4`, `dir:../prod`."""
        ...

    def histories(self, *, full: bool) -> Histories:
        """Each subject's versions, oldest first: all when `full`, else at least the latest."""
        ...


def contracts_at(
    config_path: Path, label: str, memo: ParseMemo | None = None
) -> dict[str, Contract]:
    """The subjects of the project whose config is `config_path`, by subject name."""
    try:
        config = load_config(config_path, cwd=config_path.parent, env={})
        files = read_schema_files(config)
        contracts = build(config, load_schema_files(files, strict=False, memo=memo))
    except ContractError as error:
        head = Diagnostic(BASELINE_BROKEN, f"the baseline {label} does not load:")
        raise ContractError([head, *error.diagnostics]) from None
    return {c.subject: c for c in contracts.contracts()}


def _version(contract: Contract, label: str, number: int | None = None) -> HistoryVersion:
    return HistoryVersion(contract.schema, contract.identity.canonical, number, label)


@dataclass(frozen=True, slots=True)
class DirBaseline:
    """Another copy of the project (a checkout of main, an unpacked release): one version each."""

    root: Path
    config_name: str

    @property
    def label(self) -> str:
        return f"dir:{self.root}"

    def histories(self, *, full: bool) -> Histories:
        config = self.root / self.config_name
        if not config.is_file():
            raise ContractError(
                [
                    Diagnostic(
                        BASELINE_BROKEN,
                        f"{self.label} has no {self.config_name}: point dir: at a copy "
                        "of the project",
                    )
                ]
            )
        return {s: (_version(c, self.label),) for s, c in contracts_at(config, self.label).items()}


class GitBaseline:
    """The repository at a ref; with `full`, every distinct version along its first-parent line."""

    def __init__(self, git: Git, config: Config, ref: str | None = None) -> None:
        """`ref` None: the merge base of HEAD with the default branch.

        Before the repository's first commit there is no previous version: every subject is new
        (so a pre-commit hook works on the very first commit).
        """
        self.git = git
        git.ensure_repository()
        self._commit: str | None
        if ref is None:
            if git.has_commits():
                self._name, self._commit = git.merge_base()
            else:
                self._name, self._commit = "merge-base", None
        elif git.unborn(ref):
            self._name, self._commit = ref, None
        else:
            self._name, self._commit = ref, git.resolve(ref)
        top = git.toplevel().resolve()
        # The states of a history share most files: each distinct file is parsed once.
        self._memo = ParseMemo()
        self._config_path = config.source.path.relative_to(top).as_posix()
        self._roots = [
            r.relative_to(top).as_posix() for r in config.schemas if r.is_relative_to(top)
        ]

    @property
    def label(self) -> str:
        """`git:REF@commit`: the commit the ref resolves to, whichever commit last changed the
        schemas."""
        if self._commit is None:
            return f"git:{self._name} (no commits yet)"
        return f"git:{self._name}@{self._commit[:7]}"

    def _at(self, commit: str) -> str:
        """A version's label: the ref's, and where the version comes from when that is an
        earlier commit (`git:HEAD@b163d41 (version from c53a4b7)`)."""
        if commit == self._commit:
            return self.label
        return f"{self.label} (version from {commit[:7]})"

    def histories(self, *, full: bool) -> Histories:
        if self._commit is None:
            return {}
        if not full:
            state = self.state(self._commit)
            return {s: (_version(c, self.label),) for s, c in (state or {}).items()}
        if self.git.is_shallow():
            raise GitError(
                "a transitive level needs the full history, and this clone is shallow",
                "git fetch --unshallow",
            )
        commits = self.git.first_parent_commits(self._commit, [self._config_path, *self._roots])
        versions: dict[str, list[HistoryVersion]] = {}
        for commit in reversed(commits):
            # Only the ref itself must load; older states that do not were never contracts.
            state = self.state(commit, strict=commit == commits[0])
            for subject, contract in (state or {}).items():
                seen = versions.setdefault(subject, [])
                if all(v.canonical != contract.identity.canonical for v in seen):
                    seen.append(_version(contract, self._at(commit), len(seen) + 1))
        return {s: tuple(v) for s, v in versions.items()}

    def state(self, commit: str, *, strict: bool = True) -> dict[str, Contract] | None:
        """The subjects at `commit` (None when the config did not exist there yet)."""
        config_text = self.git.read_files(commit, [self._config_path])[self._config_path]
        if config_text is None:
            return None
        files = [p for p in self.git.list_files(commit, self._roots) if p.endswith(".avsc")]
        with tempfile.TemporaryDirectory(prefix="contractgen-baseline-") as tmp:
            _materialize(
                Path(tmp), {self._config_path: config_text, **self.git.read_files(commit, files)}
            )
            for root in self._roots:  # a root with no file yet is an empty root, not an error
                (Path(tmp) / root).mkdir(parents=True, exist_ok=True)
            try:
                return contracts_at(Path(tmp) / self._config_path, self._at(commit), self._memo)
            except ContractError:
                if strict:
                    raise
                return None


def _materialize(root: Path, texts: Mapping[str, str | None]) -> None:
    for path, text in texts.items():
        if text is not None:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")


def parse_against(spec: str, config: Config, cwd: Path) -> Baseline:
    """`git:REF`, `git:` (merge base with the default branch) or `dir:PATH`."""
    kind, _, value = spec.partition(":")
    if kind == "git":
        return GitBaseline(Git(config.root), config, value or None)
    if kind == "dir" and value:
        return DirBaseline((cwd / value).resolve(), config.source.path.name)
    raise ContractError(
        [
            Diagnostic(
                BASELINE_BROKEN, f"--against {spec!r}: use git:REF, git: (merge base) or dir:PATH"
            )
        ]
    )


def needs_full_history(levels: Sequence[str]) -> bool:
    return any(level.endswith("_TRANSITIVE") for level in levels)
