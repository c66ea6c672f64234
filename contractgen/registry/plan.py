"""`contractgen register`: a plan per subject, then applying it.

- NOOP: the latest version already holds this canonical string (a doc-only edit is a change,
  whitespace is not).
- SET-LEVEL: the registry's level for the subject differs from the config; it is set first, so
  the registration is checked at the configured level.
- REGISTER: a new version, which the registry (or, when the level is about to change, the engine
  at the new level) accepts.
- BLOCKED: incompatible; the engine's findings say where and why.
- REVERT: the schema is an older live version. A registry answers such a registration with the old
  version and adds nothing, so "going back" is almost always a stale checkout: refused unless
  `--allow-revert`, which accepts it without writing anything.

What is sent per subject is a `Target` (`targets.py`): self-contained schemas by default, or
named types from other files as their own subjects, referenced. Planning reads only; `apply`
writes, level before schema, and applying a plan twice is a no-op.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

from contractgen.compat.checker import check_subject
from contractgen.compat.findings import Finding
from contractgen.ir.model import Level
from contractgen.registry.client import RegisteredVersion, RegistryClient
from contractgen.registry.embedded.store import Reference
from contractgen.registry.errors import RegistryError, RegistryUnreachable
from contractgen.registry.history import fetch_history
from contractgen.registry.targets import Target


class Action(enum.StrEnum):
    NOOP = "NOOP"
    SET_LEVEL = "SET-LEVEL"
    REGISTER = "REGISTER"
    BLOCKED = "BLOCKED"
    REVERT = "REVERT"


@dataclass(frozen=True, slots=True)
class Step:
    """What happens to one subject."""

    target: Target
    action: Action
    """NOOP, REGISTER, BLOCKED or REVERT; a level change is `set_level`, done first."""
    level_now: Level
    """The level the registry applies now (the subject's own, else the global one)."""
    set_level: bool
    latest: RegisteredVersion | None = None
    match: RegisteredVersion | None = None
    """For REVERT: the older version holding this schema."""
    findings: tuple[Finding, ...] = ()
    registry_messages: tuple[str, ...] = ()
    registry_note: str = ""
    """What the registry could not answer as asked (`Verdict.dialect_note`)."""

    @property
    def subject(self) -> str:
        return self.target.subject

    @property
    def actions(self) -> tuple[Action, ...]:
        if not self.set_level or self.action is Action.BLOCKED:
            return (self.action,)
        if self.action is Action.NOOP:
            return (Action.SET_LEVEL,)
        return (Action.SET_LEVEL, self.action)

    @property
    def holds(self) -> RegisteredVersion | None:
        """The version already holding this schema (NOOP, REVERT), else None."""
        return {Action.NOOP: self.latest, Action.REVERT: self.match}.get(self.action)


@dataclass(frozen=True, slots=True)
class Plan:
    registry: str
    steps: tuple[Step, ...]
    read_only: tuple[tuple[str, str], ...] = ()
    """(subject, mode) for subjects the plan writes to that the registry will not let it write
    (a mode other than READWRITE): checked before any write, so nothing is applied."""

    @property
    def blocked(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.action is Action.BLOCKED)

    @property
    def reverts(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.action is Action.REVERT)


@dataclass(frozen=True, slots=True)
class Outcome:
    step: Step
    registered: RegisteredVersion | None
    """The version the subject now holds this schema in."""


Progress = Callable[[str], None]
_T = TypeVar("_T")


class PlanRefused(Exception):  # noqa: N818 - reads as what happened
    """A plan with BLOCKED (or unallowed REVERT) steps: nothing is written."""


class ApplyFailed(RegistryError):  # noqa: N818 - reads as what happened
    """The registry failed in the middle of applying a validated plan (network, 5xx, a refusal
    it gave only on the write). Names the subject and the step, and lists what was applied:
    every write is idempotent, so re-running `register` converges to the same end state."""

    def __init__(self, cause: RegistryError | RegistryUnreachable, subject: str, what: str,
                 applied: Sequence[str]) -> None:  # fmt: skip
        done = "; ".join(applied) if applied else "nothing"
        status, code = (
            (cause.status, cause.error_code) if isinstance(cause, RegistryError) else (0, 0)
        )
        detail = cause.message if isinstance(cause, RegistryError) else str(cause)
        super().__init__(
            status,
            code,
            f"applying the plan failed at {subject} ({what}): {detail}. Applied before it: "
            f"{done}. Nothing after it was applied; run `contractgen register` again once the "
            "registry is healthy (what was applied is then NOOP)",
        )
        self.subject, self.step, self.applied = subject, what, tuple(applied)


def _plan_target(
    client: RegistryClient, target: Target, global_level: Level, known: Mapping[str, int | None]
) -> Step:
    subject = target.subject
    level_now = client.subject_level(subject) or global_level
    latest = client.get_version(subject, "latest")
    base = Step(target, Action.REGISTER, level_now, level_now is not target.level, latest)
    if latest is None:
        return base
    versions = [known.get(name) for name in target.references]
    verdict = None
    if all(v is not None for v in versions):
        refs = tuple(
            Reference(n, n, v) for n, v in zip(target.references, versions, strict=True) if v
        )
        if latest.schema == target.text and latest.references == refs:
            return replace(base, action=Action.NOOP)
        match = client.lookup(subject, target.text, references=refs)
        if match is not None:
            # The registry compared canonical forms (it may keep another spelling than ours).
            same = match.version == latest.version
            return replace(base, action=Action.NOOP if same else Action.REVERT, match=match)
        # The registry decides at its current level. When that is about to change, or when a
        # referenced type gets a new version first, the engine decides (the registry checks
        # again when the schema is sent).
        if not base.set_level:
            verdict = client.check(subject, target.text, references=refs)
            if verdict.is_compatible:
                return base
    numbers = client.versions(subject)
    transitive = target.level.value.endswith("_TRANSITIVE")
    history = fetch_history(client, subject, numbers if transitive else numbers[-1:])
    result, findings = check_subject(subject, target.schema, history, target.level)
    if verdict is None and result.is_compatible:
        return base
    messages = verdict.messages if verdict is not None else ()
    note = verdict.dialect_note if verdict is not None else ""
    return replace(
        base,
        action=Action.BLOCKED,
        findings=tuple(findings),
        registry_messages=messages,
        registry_note=note,
    )


def plan(
    client: RegistryClient,
    targets: Sequence[Target],
    *,
    workers: int = 8,
    progress: Progress | None = None,
) -> Plan:
    """What `apply` would do, subject by subject (reads only).

    Targets with references are planned in order (a type's plan decides the version its users
    reference); independent ones concurrently, `workers` at a time.
    """
    global_level = client.global_level()
    known: dict[str, int | None] = {}

    def one(target: Target) -> Step:
        if progress is not None:
            progress(target.subject)
        step = _plan_target(client, target, global_level, known)
        known[target.subject] = step.holds.version if step.holds else None
        return step

    if any(t.references for t in targets):
        steps = tuple(one(t) for t in targets)
    else:
        with ThreadPoolExecutor(max(1, workers)) as pool:
            steps = tuple(pool.map(one, targets))
    return Plan(client.display_url, steps, _read_only(client, steps))


def _read_only(client: RegistryClient, steps: Sequence[Step]) -> tuple[tuple[str, str], ...]:
    """The subjects to be written whose mode forbids it (READONLY, IMPORT)."""
    writes = [s.subject for s in steps if {Action.REGISTER, Action.SET_LEVEL} & set(s.actions)]
    if not writes:
        return ()
    everywhere = client.mode() or "READWRITE"
    modes = ((subject, client.mode(subject) or everywhere) for subject in writes)
    return tuple((subject, mode) for subject, mode in modes if mode != "READWRITE")


def apply(
    client: RegistryClient,
    plan_: Plan,
    *,
    allow_revert: bool = False,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Carry out a plan: every level first, then every registration, in plan order.

    Refuses (PlanRefused) a plan with BLOCKED steps, or REVERT steps without `allow_revert`:
    nothing is written then, so a failing plan never leaves the registry half-updated.
    """
    if plan_.blocked:
        blocked = ", ".join(s.subject for s in plan_.blocked)
        raise PlanRefused(f"nothing was applied: incompatible schemas for {blocked}")
    if plan_.read_only:
        modes = ", ".join(f"{subject} ({mode})" for subject, mode in plan_.read_only)
        raise RegistryError(
            422,
            42205,
            f"nothing was applied: the registry does not accept writes to {modes}; "
            "its mode must be READWRITE",
        )
    if plan_.reverts and not allow_revert:
        reverted = ", ".join(s.subject for s in plan_.reverts)
        raise PlanRefused(
            f"nothing was applied: {reverted} would go back to an older version "
            "(is this checkout up to date? --allow-revert accepts it)"
        )
    applied: list[str] = []

    def write(subject: str, what: str, call: Callable[[], _T]) -> _T:
        if progress is not None:
            progress(f"{subject}: {what}")
        try:
            result = call()
        except (RegistryError, RegistryUnreachable) as cause:
            raise ApplyFailed(cause, subject, what, applied) from None
        applied.append(f"{subject} {what}")
        return result

    for step in plan_.steps:
        if step.set_level:
            level = step.target.level
            what = f"set level {step.level_now} -> {level}"
            write(step.subject, what, partial(client.set_subject_level, step.subject, level))
    outcomes: list[Outcome] = []
    versions: dict[str, int] = {}
    for step in plan_.steps:
        registered = step.holds
        if step.action is Action.REGISTER:
            refs = tuple(Reference(n, n, versions[n]) for n in step.target.references)
            register = partial(client.register, step.subject, step.target.text, references=refs)
            registered = write(step.subject, "register", register)
        if registered is not None:
            versions[step.subject] = registered.version
        outcomes.append(Outcome(step, registered))
    return outcomes
