"""`RegistryClient` over the embedded registry, in-process: the server's store and engine."""

from __future__ import annotations

from pathlib import Path

from contractgen.ir.model import Level
from contractgen.registry.client import RegisteredVersion, Verdict, VersionSpec
from contractgen.registry.embedded.engine import Registry, SubjectVersion
from contractgen.registry.embedded.store import Reference
from contractgen.registry.errors import RegistryError

_ABSENT = (40401, 40402, 40403, 40408)


def _registered(found: SubjectVersion) -> RegisteredVersion:
    return RegisteredVersion(
        found.subject, found.version, found.id, found.schema.schema, found.schema.references
    )


class EmbeddedRegistryClient:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.registry = Registry(self.path)

    @property
    def display_url(self) -> str:
        return f"embedded:{self.path}"

    def subjects(self) -> list[str]:
        return self.registry.subjects()

    def versions(self, subject: str) -> list[int]:
        try:
            return self.registry.versions(subject)
        except RegistryError as exc:
            if exc.error_code in _ABSENT:
                return []
            raise

    def get_version(
        self, subject: str, version: VersionSpec = "latest"
    ) -> RegisteredVersion | None:
        try:
            return _registered(self.registry.get_version(subject, version))
        except RegistryError as exc:
            if exc.error_code in _ABSENT:
                return None
            raise

    def lookup(
        self, subject: str, schema: str, *, references: tuple[Reference, ...] = ()
    ) -> RegisteredVersion | None:
        try:
            return _registered(self.registry.lookup(subject, schema, references))
        except RegistryError as exc:
            if exc.error_code in _ABSENT:
                return None
            raise

    def register(
        self,
        subject: str,
        schema: str,
        *,
        references: tuple[Reference, ...] = (),
        normalize: bool = False,
    ) -> RegisteredVersion:
        found = self.registry.register(subject, schema, references, normalize=normalize)
        return _registered(found)

    def check(
        self,
        subject: str,
        schema: str,
        *,
        version: VersionSpec | None = None,
        references: tuple[Reference, ...] = (),
    ) -> Verdict:
        verdict = self.registry.check(subject, schema, references, version=version, verbose=True)
        return Verdict(verdict.is_compatible, tuple(verdict.messages))

    def subject_level(self, subject: str) -> Level | None:
        try:
            return self.registry.settings.get_level(subject)
        except RegistryError as exc:
            if exc.error_code in _ABSENT:
                return None
            raise

    def global_level(self) -> Level:
        return self.registry.settings.get_level()

    def mode(self, subject: str | None = None) -> str | None:
        try:
            return self.registry.settings.get_mode(subject)
        except RegistryError as exc:
            if exc.error_code in (*_ABSENT, 40409):
                return None
            raise

    def set_subject_level(self, subject: str, level: Level) -> None:
        self.registry.settings.set_level(subject, level.value)

    def close(self) -> None:
        self.registry.close()
