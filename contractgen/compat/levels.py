"""Confluent's compatibility levels over a subject's history, from the one reader/writer check.

BACKWARD: reader = candidate, writer = previous. FORWARD: reader = previous, writer = candidate.
FULL: the forward check, then the backward one. Non-transitive levels look at the latest version
only; `*_TRANSITIVE` levels walk the history newest first and stop at the first failing version.
NONE checks nothing. (Confluent's `CompatibilityChecker` and `SchemaValidatorBuilder`.)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from contractgen.compat.resolution import Resolution, check_reader_writer
from contractgen.ir.model import AvroSchema, Level


class Direction(enum.StrEnum):
    BACKWARD = "backward"
    """The candidate reads what the previous version wrote."""
    FORWARD = "forward"
    """The previous version reads what the candidate writes."""


@dataclass(frozen=True, slots=True, eq=False)
class HistoryVersion:
    """One earlier version of a subject."""

    schema: AvroSchema
    text: str | Callable[[], str]
    """Its canonical string, or what makes it when first read (a message about a failed check
    reads it; a compatible one never does, and a big schema's is megabytes). Read `canonical`."""
    version: int | None = None
    """The registry's version number, when there is one (`{oldSchemaVersion: n}`)."""
    label: str = ""
    """Where it comes from, for people: `version 3`, `git:main@1a2b3c4`, `dir:../baseline`."""

    @property
    def canonical(self) -> str:
        """Its canonical string (Java's `Schema.toString()`): what `oldSchema` shows."""
        return self.text if isinstance(self.text, str) else self.text()

    def _compared(self) -> tuple[AvroSchema, str, int | None, str]:
        return self.schema, self.canonical, self.version, self.label

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HistoryVersion):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return f"version {self.version}" if self.version is not None else "previous"


@dataclass(frozen=True, slots=True)
class DirectionResult:
    direction: Direction
    resolution: Resolution


@dataclass(frozen=True, slots=True)
class VersionCheck:
    """The candidate against one history version: one or two directions, in Confluent's order."""

    against: HistoryVersion
    results: tuple[DirectionResult, ...]

    @property
    def compatible(self) -> bool:
        return all(r.resolution.compatible for r in self.results)


@dataclass(frozen=True, slots=True)
class LevelResult:
    level: Level
    checks: tuple[VersionCheck, ...]
    """Versions checked, newest first; a failing check is always the last one."""

    @property
    def is_compatible(self) -> bool:
        return all(c.compatible for c in self.checks)

    @property
    def failing(self) -> VersionCheck | None:
        return self.checks[-1] if self.checks and not self.checks[-1].compatible else None

    @property
    def compared(self) -> HistoryVersion | None:
        """The version a report names: the failing one, else the latest one checked."""
        if not self.checks:
            return None
        failing = self.failing
        return failing.against if failing is not None else self.checks[0].against


_DIRECTIONS: dict[str, tuple[Direction, ...]] = {
    "NONE": (),
    "BACKWARD": (Direction.BACKWARD,),
    "FORWARD": (Direction.FORWARD,),
    "FULL": (Direction.FORWARD, Direction.BACKWARD),
}


def directions(level: Level) -> tuple[Direction, ...]:
    """The checks a level runs against each version, in Confluent's order."""
    return _DIRECTIONS[level.value.removesuffix("_TRANSITIVE")]


def is_transitive(level: Level) -> bool:
    return level.value.endswith("_TRANSITIVE")


def check_pair(candidate: AvroSchema, previous: AvroSchema, direction: Direction) -> Resolution:
    if direction is Direction.BACKWARD:
        return check_reader_writer(candidate, previous)
    return check_reader_writer(previous, candidate)


def check_version(candidate: AvroSchema, previous: HistoryVersion, level: Level) -> VersionCheck:
    """The candidate against one version (what `POST /compatibility/.../versions/{v}` does)."""
    return VersionCheck(
        previous,
        tuple(
            DirectionResult(d, check_pair(candidate, previous.schema, d)) for d in directions(level)
        ),
    )


def check_level(
    candidate: AvroSchema, history: Sequence[HistoryVersion], level: Level
) -> LevelResult:
    """Is `candidate` acceptable after `history` (oldest first, live versions only) at `level`?"""
    if level is Level.NONE or not history:
        return LevelResult(level, ())
    newest_first = list(reversed(history))
    if not is_transitive(level):
        newest_first = newest_first[:1]
    checks: list[VersionCheck] = []
    for previous in newest_first:
        check = check_version(candidate, previous, level)
        checks.append(check)
        if not check.compatible:
            break
    return LevelResult(level, tuple(checks))
