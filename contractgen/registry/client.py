"""`RegistryClient`: what contractgen asks of a schema registry, whichever one it is.

Two implementations: `HttpRegistryClient` (Confluent, Karapace, Redpanda, Apicurio's ccompat API)
and `EmbeddedRegistryClient` (the SQLite store in-process). `contractgen.registry.connect` picks
one from the configured URL. Absent things are `None`/empty, not exceptions: "not registered yet"
is a normal answer for plan and check. Every other refusal is a `RegistryError`; an unreachable
registry is `RegistryUnreachable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from contractgen.ir.model import Level
from contractgen.registry.embedded.store import Reference

__all__ = ["Reference", "RegisteredVersion", "RegistryClient", "Verdict", "VersionSpec"]

VersionSpec = int | Literal["latest"]


@dataclass(frozen=True, slots=True)
class RegisteredVersion:
    subject: str
    version: int
    id: int
    schema: str
    """The schema string as the registry holds it (its canonical string, for Confluent)."""
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """A registry's compatibility answer; `messages` are its own words (verbose mode)."""

    is_compatible: bool
    messages: tuple[str, ...] = ()
    """In the registry's own order; some registries (Karapace) build them from a set, so compare
    them as a set."""
    dialect_note: str = ""
    """What this registry could not answer and how the verdict was assembled instead (empty when
    it answered the question as asked): shown with the verdict, never hidden."""


class RegistryClient(Protocol):
    @property
    def display_url(self) -> str:
        """The registry's address with any credentials removed: safe to print."""
        ...

    def subjects(self) -> list[str]: ...

    def versions(self, subject: str) -> list[int]:
        """Live versions, oldest first; empty when the subject does not exist."""
        ...

    def get_version(
        self, subject: str, version: VersionSpec = "latest"
    ) -> RegisteredVersion | None: ...

    def lookup(
        self, subject: str, schema: str, *, references: tuple[Reference, ...] = ()
    ) -> RegisteredVersion | None:
        """The live version of `subject` holding exactly this schema (canonical string)."""
        ...

    def register(
        self,
        subject: str,
        schema: str,
        *,
        references: tuple[Reference, ...] = (),
        normalize: bool = False,
    ) -> RegisteredVersion:
        """Register (or find) the schema; raises RegistryError 409/40901 when incompatible."""
        ...

    def check(
        self,
        subject: str,
        schema: str,
        *,
        version: VersionSpec | None = None,
        references: tuple[Reference, ...] = (),
    ) -> Verdict:
        """The registry's verdict: against the subject's level (version None) or one version."""
        ...

    def subject_level(self, subject: str) -> Level | None:
        """The subject's own compatibility level, or None when it follows the global one.

        A registry that reads NONE for a subject without a level of its own (Apicurio) gives the
        level it applies instead, where it can say: callers use it as the subject's level."""
        ...

    def global_level(self) -> Level: ...

    def mode(self, subject: str | None = None) -> str | None:
        """The mode (READWRITE, READONLY, IMPORT) set for `subject`, or globally for None;
        None when the subject has none of its own, or the registry serves no modes."""
        ...

    def set_subject_level(self, subject: str, level: Level) -> None: ...

    def close(self) -> None: ...
