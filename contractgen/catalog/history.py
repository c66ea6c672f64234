"""The history of every subject: its versions, what changed in each, and the verdict on each.

Versions come from the same baselines `check` compares with (the first-parent git history of a
ref, or a registry's live versions); the work tree's schema is the last version when it differs
from the newest one. Each version is diffed against the one before it (`semdiff`) and checked
against the versions before it at the subject's level with the compatibility engine, so the
catalog says both what changed and whether a registry would have accepted it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from contractgen.catalog.semdiff import Change, semantic_diff
from contractgen.compat.checker import check_subject
from contractgen.compat.findings import Finding
from contractgen.compat.levels import HistoryVersion
from contractgen.ir.model import AvroSchema, Contract, ContractSet, Level

WORK_TREE = "work tree"


@dataclass(frozen=True, slots=True)
class Version:
    number: int
    """1 for the oldest version known to the source."""
    label: str
    """Where it comes from: `git:HEAD@1a2b3c4 (version from c53a4b7)`, `version 3`, `work tree`."""
    schema: AvroSchema
    canonical: str
    changes: tuple[Change, ...]
    """What changed since the previous version (empty for the first one)."""
    verdict: str
    """`first version`, `compatible` or `incompatible` (at the subject's level)."""
    findings: tuple[Finding, ...]
    """Why it is incompatible (the engine's findings), else empty."""


@dataclass(frozen=True, slots=True)
class SubjectHistory:
    subject: str
    level: Level
    versions: tuple[Version, ...]
    """Oldest first."""


def subject_history(
    subject: str, level: Level, history: Sequence[HistoryVersion]
) -> SubjectHistory:
    """Each version of `history` (oldest first) with its diff and verdict."""
    versions: list[Version] = []
    for index, entry in enumerate(history):
        if index == 0:
            changes: tuple[Change, ...] = ()
            findings: tuple[Finding, ...] = ()
            verdict = "first version"
        else:
            changes = semantic_diff(history[index - 1].schema, entry.schema)
            result, found = check_subject(subject, entry.schema, history[:index], level)
            verdict = "compatible" if result.is_compatible else "incompatible"
            findings = tuple(found)
        versions.append(
            Version(
                index + 1, entry.name, entry.schema, entry.canonical, changes, verdict, findings
            )
        )
    return SubjectHistory(subject, level, tuple(versions))


def with_work_tree(
    contract: Contract, history: Sequence[HistoryVersion]
) -> tuple[HistoryVersion, ...]:
    """`history` plus the work tree's schema when it is not already the newest version."""
    if history and history[-1].canonical == contract.identity.canonical:
        return tuple(history)
    current = HistoryVersion(contract.schema, contract.identity.canonical, None, WORK_TREE)
    return (*history, current)


def histories(
    contracts: ContractSet, known: Mapping[str, Sequence[HistoryVersion]]
) -> dict[str, SubjectHistory]:
    """Every declared subject's history: `known` versions (from git or a registry) + work tree."""
    return {
        c.subject: subject_history(c.subject, c.level, with_work_tree(c, known.get(c.subject, ())))
        for c in contracts.contracts()
    }
