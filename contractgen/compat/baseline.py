"""What `check` compares with: a baseline yields, per subject, the history of its versions.

A baseline is anything with a label and `histories(full=...)`: a directory holding another copy of
the project (`dir:PATH`), the repository at a git ref (`git:REF`), and, with the registry work, a
live registry. Every baseline builds its subjects with the same pipeline as the work tree
(config → schema files → ContractSet), so a subject means the same thing on both sides. Earlier
versions are parsed leniently, as a registry reads what it stores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from contractgen.avro.loader import ParseMemo, load_schema_files
from contractgen.compat.levels import HistoryVersion
from contractgen.config import Config, load_config
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.build import BuildMemo, build
from contractgen.ir.model import Contract
from contractgen.sources.git import Git, GitError
from contractgen.sources.snapshot import Snapshot, virtual_top
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


@dataclass(frozen=True, slots=True)
class Memos:
    """The work tree's parses and topics, kept for a baseline that holds the same files (a
    directory holding the same project, the merge base of an unchanged branch): an identical
    file is then parsed once, an identical topic built once, and both sides share the result."""

    parse: ParseMemo = field(default_factory=ParseMemo)
    build: BuildMemo = field(default_factory=BuildMemo)


def contracts_at(config_path: Path, label: str, memos: Memos | None = None) -> dict[str, Contract]:
    """The subjects of the project whose config is `config_path`, by subject name."""
    memos = memos or Memos()
    try:
        config = load_config(config_path, cwd=config_path.parent, env={})
        files = read_schema_files(config)
        schemas = load_schema_files(files, strict=False, memo=memos.parse)
        contracts = build(config, schemas, memos.build)
    except ContractError as error:
        raise _broken(label, error) from None
    return {c.subject: c for c in contracts.contracts()}


def _broken(label: str, error: ContractError) -> ContractError:
    head = Diagnostic(BASELINE_BROKEN, f"the baseline {label} does not load:")
    return ContractError([head, *error.diagnostics])


def _version(contract: Contract, label: str, number: int | None = None) -> HistoryVersion:
    # its canonical string when first read (a failed check's message): the same schema as the
    # work tree's, or a compatible one, never needs it
    return HistoryVersion(contract.schema, contract.identity.text, number, label)


@dataclass(frozen=True, slots=True)
class DirBaseline:
    """Another copy of the project (a checkout of main, an unpacked release): one version each."""

    root: Path
    config_name: str
    memos: Memos | None = field(default=None, compare=False)

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
        return {
            s: (_version(c, self.label),)
            for s, c in contracts_at(config, self.label, self.memos).items()
        }


class GitBaseline:
    """The repository at a ref; with `full`, every distinct version along its first-parent line."""

    def __init__(
        self, git: Git, config: Config, ref: str | None = None, parse_memo: ParseMemo | None = None
    ) -> None:
        """`ref` None: the merge base of HEAD with the default branch. `parse_memo`: the work
        tree's, so a file the states hold unchanged is not parsed again.

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
        # The states of a history share most files. Nothing is written to disk: blobs are read
        # once each (by id), a file is parsed again only when its text or the resolution of the
        # names it uses changed, and a topic is built again only when a type it reaches changed.
        self._top, self._real_top = virtual_top(top), top
        self._texts: dict[str, str] = {}
        self._configs: dict[str, Config] = {}
        self.parse_memo = parse_memo if parse_memo is not None else ParseMemo()
        self.build_memo = BuildMemo()
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
        # no roots inside the repository: list every file, as a checkout of the commit holds
        tree = self.git.tree(commit, [self._config_path, *self._roots] if self._roots else [])
        config_blob = tree.pop(self._config_path, None)
        if config_blob is None:
            return None
        blobs = {p: b for p, b in tree.items() if p.endswith(".avsc")}
        self._texts.update(
            self.git.read_blobs(b for b in [config_blob, *blobs.values()] if b not in self._texts)
        )
        texts = {p: self._texts[b] for p, b in blobs.items()}
        snapshot = Snapshot.of(self._top, self._real_top, texts, self._roots)
        try:
            config = self._config(self._texts[config_blob])
            files = snapshot.schema_files(config)
            schemas = load_schema_files(files, strict=False, memo=self.parse_memo)
            contracts = build(config, schemas, self.build_memo)
        except ContractError as error:
            if strict:
                raise _broken(self._at(commit), error) from None
            return None
        return {c.subject: c for c in contracts.contracts()}

    def _config(self, text: str) -> Config:
        """The config of that text (one Config for the states that share it)."""
        config = self._configs.get(text)
        if config is None:
            path = self._top / self._config_path
            config = load_config(path, cwd=path.parent, env={}, text=text)
            self._configs[text] = config
        return config


def parse_against(spec: str, config: Config, cwd: Path, memos: Memos | None = None) -> Baseline:
    """`git:REF`, `git:` (merge base with the default branch) or `dir:PATH`.

    `memos`: the work tree's, for the baseline to share what it holds unchanged (a git state's
    topics are located under another top level: only the parses are shared there)."""
    kind, _, value = spec.partition(":")
    if kind == "git":
        memo = memos.parse if memos is not None else None
        return GitBaseline(Git(config.root), config, value or None, memo)
    if kind == "dir" and value:
        return DirBaseline((cwd / value).resolve(), config.source.path.name, memos)
    raise ContractError(
        [
            Diagnostic(
                BASELINE_BROKEN, f"--against {spec!r}: use git:REF, git: (merge base) or dir:PATH"
            )
        ]
    )


def needs_full_history(levels: Sequence[str]) -> bool:
    return any(level.endswith("_TRANSITIVE") for level in levels)
