"""`contractgen check --against registry`: the registry's verdict, explained by our engine.

The registry is the authority: for every subject it already has, it is asked whether the work
tree's schema would be accepted (`POST /compatibility/subjects/{s}/versions`, its own level).
The local engine then runs over the registry's history (parsed leniently) at the configured
level and explains each incompatibility with `file:line:col` and a fix hint, through the same
`run_check` as a git or directory baseline (new subjects, lint and the allowlist included).
Where the two disagree, a finding says so: a registry verdict nobody can explain must not pass
silently, and neither must a level that differs from the config.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from contractgen.compat.findings import Finding, Report, Severity, SubjectReport
from contractgen.compat.levels import HistoryVersion, LevelResult, check_level
from contractgen.compat.run import CheckOptions, run_check
from contractgen.ir.model import Contract, ContractSet, Level
from contractgen.registry.client import RegistryClient, Verdict
from contractgen.registry.history import fetch_history

REGISTRY_DISAGREES = "registry-disagrees"
REGISTRY_LEVEL = "registry-level"
REGISTRY_DIALECT = "registry-dialect"

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RegistrySubject:
    """What the registry holds and says about one subject."""

    history: tuple[HistoryVersion, ...]
    """Live versions, oldest first (only the latest unless a level involved is transitive)."""
    level: Level
    """The level the registry applies to the subject (its own, else the global one)."""
    verdict: Verdict | None
    """The registry's answer for the work tree's schema; None for a subject it does not have."""


def _fetch(client: RegistryClient, contract: Contract, global_level: Level) -> RegistrySubject:
    subject = contract.subject
    level = client.subject_level(subject) or global_level
    numbers = client.versions(subject)
    if not numbers:
        return RegistrySubject((), level, None)
    transitive = any(x.value.endswith("_TRANSITIVE") for x in (level, contract.level))
    history = fetch_history(client, subject, numbers if transitive else numbers[-1:])
    verdict = client.check(subject, contract.identity.canonical)
    return RegistrySubject(tuple(history), level, verdict)


class RegistryBaseline:
    """A live registry as a `compat.baseline.Baseline`, limited to the declared subjects.

    Subjects are fetched once, concurrently (`workers` requests in flight).
    """

    def __init__(
        self,
        client: RegistryClient,
        contracts: Sequence[Contract],
        *,
        workers: int = 8,
        progress: Progress | None = None,
    ) -> None:
        self.client = client
        global_level = client.global_level()

        def fetch(contract: Contract) -> RegistrySubject:
            if progress is not None:
                progress(contract.subject)
            return _fetch(client, contract, global_level)

        with ThreadPoolExecutor(max(1, workers)) as pool:
            fetched = list(pool.map(fetch, contracts))
        self.subjects = {c.subject: s for c, s in zip(contracts, fetched, strict=True)}

    @property
    def label(self) -> str:
        return f"registry {self.client.display_url}"

    def histories(self, *, full: bool) -> dict[str, tuple[HistoryVersion, ...]]:
        return {name: s.history for name, s in self.subjects.items() if s.history}


def _registry_findings(
    contract: Contract, found: RegistrySubject, label: str, checked: LevelResult | None
) -> list[Finding]:
    """`checked`: `run_check`'s level check of the subject (the same schema, history and level
    when the registry's level is the configured one), reused rather than computed again."""
    if found.verdict is None:
        return []
    subject, findings = contract.subject, []
    where = contract.schema.root.location
    if found.level is not contract.level:
        findings.append(Finding(
            REGISTRY_LEVEL, Severity.WARNING, subject,
            f"the registry checks {subject} at {found.level}, the config says {contract.level}",
            label, location=where,
            hint="`contractgen register` sets the configured level before registering",
        ))  # fmt: skip
    result = checked
    if result is None or found.level is not contract.level:
        result = check_level(contract.schema, found.history, found.level)
    engine = result.is_compatible
    if found.verdict.dialect_note:
        note = found.verdict.dialect_note
        if not found.verdict.is_compatible and result.failing is not None:
            note += f" (the engine finds {result.failing.against.label or 'a version'} failing)"
        findings.append(Finding(
            REGISTRY_DIALECT, Severity.NOTE, subject, note, label, location=where,
            hint="the verdict itself is the registry's own",
        ))  # fmt: skip
    if engine != found.verdict.is_compatible:
        said = "accepts" if found.verdict.is_compatible else "rejects"
        detail = "; ".join(found.verdict.messages[:1])
        findings.append(Finding(
            REGISTRY_DISAGREES,
            # The registry decides: a refusal the engine cannot explain still blocks.
            Severity.WARNING if found.verdict.is_compatible else Severity.ERROR,
            subject,
            f"the registry {said} this schema at {found.level}, contractgen's engine does not"
            + (f" (registry: {detail})" if detail else ""),
            label, location=where,
            hint="please report it with both schemas; the registry's verdict is what counts",
        ))  # fmt: skip
    return findings


def _with(report: SubjectReport, found: RegistrySubject, extra: Iterable[Finding]) -> SubjectReport:
    """The registry's own messages replace the engine's: its wording is the authority."""
    messages = tuple(found.verdict.messages) if found.verdict is not None else report.messages
    return replace(report, findings=report.findings + tuple(extra), messages=messages)


def check_against_registry(
    contracts: ContractSet,
    client: RegistryClient,
    options: CheckOptions,
    *,
    workers: int = 8,
    progress: Progress | None = None,
) -> Report:
    """`check` against a live registry: `run_check`'s report plus the registry's verdicts."""
    declared = contracts.contracts()
    baseline = RegistryBaseline(client, declared, workers=workers, progress=progress)
    checked: dict[str, LevelResult] = {}
    report = run_check(contracts, baseline, options, results=checked)
    by_subject = {c.subject: c for c in declared}
    subjects = []
    for r in report.subjects:
        found = baseline.subjects.get(r.subject)
        if found is None:
            subjects.append(r)
            continue
        result = checked.get(r.subject)
        extra = _registry_findings(by_subject[r.subject], found, baseline.label, result)
        subjects.append(_with(r, found, extra))
    return replace(report, subjects=tuple(subjects))
