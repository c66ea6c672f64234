"""The embedded registry's behaviour: Confluent's rules for subjects, versions and ids.

Registration (COMPATIBILITY.md, "Registry behaviour around the check"): a schema already live in
the subject returns its id and version with no check; otherwise the candidate is checked against
the subject's live versions at its level, and a compatible one gets the schema's global id (the
same text under two subjects shares it) and the next version. All of it happens in one
`BEGIN IMMEDIATE` transaction, so concurrent registrations never interleave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from contractgen.ir.model import Level
from contractgen.registry.embedded import settings
from contractgen.registry.embedded.schemas import Candidate, SchemaCache, stored_key
from contractgen.registry.embedded.store import Reference, Store, StoredSchema, Tx, Version
from contractgen.registry.embedded.verdict import HistoryVersion, level_verdict
from contractgen.registry.errors import (
    RegistryError,
    id_does_not_match,
    incompatible,
    invalid_version,
    operation_not_permitted,
    referenced_schema,
    schema_not_found,
    subject_not_found,
    subject_not_soft_deleted,
    subject_soft_deleted,
    version_not_found,
    version_not_soft_deleted,
    version_soft_deleted,
)

_MAX_VERSION = 2**31 - 1
_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True, slots=True)
class SubjectVersion:
    subject: str
    version: int
    id: int
    schema: StoredSchema


@dataclass(frozen=True, slots=True)
class Verdict:
    is_compatible: bool
    messages: list[str]


def parse_version(version: str | int) -> int | None:
    """A version path segment: a number, or None for `latest` (also spelled -1)."""
    if isinstance(version, int):
        number = version
    elif version == "latest":
        return None
    elif _NUMBER.fullmatch(version) is None or len(version) > 12:
        # ASCII digits only: int() would also take "+1", " 1 " and other scripts' digits.
        raise invalid_version(version)
    else:
        number = int(version)
    if number == -1:
        return None
    if not 1 <= number <= _MAX_VERSION:
        raise invalid_version(str(version))
    return number


def _check_import_id(
    tx: Tx, schema_id: int, schema_type: str, text: str, references: tuple[Reference, ...]
) -> None:
    """An imported id is a promise about content: it may not name another schema."""
    if schema_id > _MAX_VERSION:
        raise RegistryError(422, 42201, f"Invalid schema id {schema_id}")
    stored = tx.schema(schema_id)
    if stored is not None and (stored.schema_type, stored.schema, stored.references) != (
        schema_type,
        text,
        references,
    ):
        raise operation_not_permitted(f"Overwrite new schema with id {schema_id} is not permitted.")
    existing = tx.existing_id(schema_type, text, references)
    if existing is not None and existing != schema_id:
        raise id_does_not_match(existing, schema_id)


class Registry:
    """The embedded registry over one store file. Thread-safe; several processes may share it."""

    def __init__(self, path: str | Path) -> None:
        self.store = Store(path)
        self.cache = SchemaCache()
        self.settings = settings.Settings(self.store)

    def close(self) -> None:
        self.store.close()

    # -- reads -------------------------------------------------------------------------------

    def subjects(
        self, *, deleted: bool = False, prefix: str = "", deleted_only: bool = False
    ) -> list[str]:
        """`deleted_only`: the subjects whose every version is soft-deleted."""
        with self.store.read() as tx:
            found = tx.subjects(deleted=deleted or deleted_only)
            if deleted_only:
                live = set(tx.subjects(deleted=False))
                found = [s for s in found if s not in live]
        return [s for s in found if s.startswith(prefix)]

    def versions(
        self, subject: str, *, deleted: bool = False, deleted_only: bool = False
    ) -> list[int]:
        with self.store.read() as tx:
            found = tx.versions(subject, deleted=deleted or deleted_only)
        if not found:
            raise subject_not_found(subject)
        return [v.version for v in found if v.deleted or not deleted_only]

    def get_version(
        self, subject: str, version: str | int, *, deleted: bool = False
    ) -> SubjectVersion:
        number = parse_version(version)
        with self.store.read() as tx:
            found = self._version(tx, subject, number, deleted=deleted)
            return self._subject_version(tx, found)

    def get_schema(self, schema_id: int) -> StoredSchema:
        with self.store.read() as tx:
            stored = tx.schema(schema_id)
        if stored is None:
            raise schema_not_found(schema_id)
        return stored

    def usages(self, schema_id: int, *, deleted: bool = False) -> list[Version]:
        with self.store.read() as tx:
            if tx.schema(schema_id) is None:
                raise schema_not_found(schema_id)
            return tx.versions_of_schema(schema_id, deleted=deleted)

    def referenced_by(self, subject: str, version: str | int) -> list[int]:
        number = parse_version(version)
        with self.store.read() as tx:
            found = self._version(tx, subject, number, deleted=False)
            return tx.referenced_by(subject, found.version)

    def lookup(
        self,
        subject: str,
        text: str,
        references: tuple[Reference, ...] = (),
        *,
        normalize: bool = False,
        deleted: bool = False,
        schema_type: str = "AVRO",
    ) -> SubjectVersion:
        """POST /subjects/{s}: the subject version holding this schema."""
        with self.store.read() as tx:
            candidate = self.cache.candidate(tx, text, references, schema_type)
            versions = tx.versions(subject, deleted=deleted)
            if not versions:
                raise subject_not_found(subject)
            match = self._match(tx, versions, candidate, normalize=normalize)
            if match is None:
                raise schema_not_found()
            return match

    # -- registration and checks ------------------------------------------------------------

    def register(
        self,
        subject: str,
        text: str,
        references: tuple[Reference, ...] = (),
        *,
        normalize: bool = False,
        schema_type: str = "AVRO",
        schema_id: int | None = None,
        version: int | None = None,
    ) -> SubjectVersion:
        """POST /subjects/{s}/versions. `schema_id`/`version` (IMPORT mode) are kept as given,
        with no compatibility check; without an id the subject must be in READWRITE mode."""
        with self.store.write() as tx:
            mode = settings.require_register_mode(tx, subject, explicit_id=schema_id is not None)
            candidate = self.cache.candidate(tx, text, references, schema_type)
            live = tx.versions(subject, deleted=False)
            existing = self._match(tx, live, candidate, normalize=normalize)
            if existing is not None and version in (None, existing.version):
                if schema_id is not None and schema_id != existing.id:
                    raise id_does_not_match(existing.id, schema_id)
                return existing
            if mode != "IMPORT":
                level = settings.effective_level(tx, subject)
                compatible, messages = self._verdict(tx, level, candidate, list(reversed(live)))
                if not compatible:
                    raise incompatible(subject, messages)
                if version is not None and version != tx.next_version(subject):
                    raise RegistryError(422, 42201, "Version is not one more than previous version")
            text_stored = candidate.key(normalize=normalize)
            if schema_id is not None:
                _check_import_id(tx, schema_id, schema_type, text_stored, references)
            new_id = tx.schema_id_for(
                schema_type, text_stored, candidate.normalized, references, wanted=schema_id
            )
            number = tx.add_version(subject, new_id, version)
            stored = tx.schema(new_id)
            assert stored is not None  # allocated just above, in this transaction
            return SubjectVersion(subject, number, new_id, stored)

    def check(
        self,
        subject: str,
        text: str,
        references: tuple[Reference, ...] = (),
        *,
        version: str | int | None = None,
        normalize: bool = False,
        verbose: bool = False,
        schema_type: str = "AVRO",
    ) -> Verdict:
        """POST /compatibility/subjects/{s}/versions[/{v}]; `normalize` never changes a verdict."""
        del normalize
        number = None if version is None else parse_version(version)
        with self.store.read() as tx:
            try:
                candidate = self.cache.candidate(tx, text, references, schema_type)
            except RegistryError as exc:
                # Confluent's verbose check reports a parse error as its only message.
                if verbose and exc.error_code == 42201:
                    return Verdict(False, [exc.message])
                raise
            level = settings.effective_level(tx, subject)
            if version is None:
                against = list(reversed(tx.versions(subject, deleted=False)))
            elif number is None and not tx.versions(subject, deleted=False):
                return Verdict(True, [])
            else:
                against = [self._version(tx, subject, number, deleted=False)]
            compatible, messages = self._verdict(tx, level, candidate, against)
        return Verdict(compatible, messages if verbose else [])

    # -- deletes -----------------------------------------------------------------------------

    def delete_subject(self, subject: str, *, permanent: bool = False) -> list[int]:
        with self.store.write() as tx:
            settings.require_writable(tx, subject)
            every = tx.versions(subject, deleted=True)
            if not every:
                raise subject_not_found(subject)
            live = [v for v in every if not v.deleted]
            if permanent and live:
                raise subject_not_soft_deleted(subject)
            if not permanent and not live:
                raise subject_soft_deleted(subject)
            for v in every if permanent else live:
                self._delete(tx, v, permanent=permanent)
            if permanent:
                settings.forget_subject(tx, subject)
            return [v.version for v in (every if permanent else live)]

    def delete_version(self, subject: str, version: str | int, *, permanent: bool = False) -> int:
        number = parse_version(version)
        with self.store.write() as tx:
            settings.require_writable(tx, subject)
            # `latest` is the newest live version for a soft delete, the newest of all for a
            # permanent one (which only soft-deleted versions may undergo).
            found = self._version(tx, subject, number, deleted=permanent or number is not None)
            if permanent and not found.deleted:
                raise version_not_soft_deleted(subject, found.version)
            if not permanent and found.deleted:
                raise version_soft_deleted(subject, found.version)
            self._delete(tx, found, permanent=permanent)
            return found.version

    # -- internals ---------------------------------------------------------------------------

    def _delete(self, tx: Tx, version: Version, *, permanent: bool) -> None:
        if not permanent and tx.referenced_by(version.subject, version.version):
            raise referenced_schema(version.subject, version.version)
        if permanent:
            tx.hard_delete(version.subject, version.version)
        else:
            tx.soft_delete(version.subject, version.version)

    def _version(self, tx: Tx, subject: str, number: int | None, *, deleted: bool) -> Version:
        candidates = tx.versions(subject, deleted=deleted)
        if not candidates:
            raise subject_not_found(subject)
        if number is None:
            return candidates[-1]
        for v in candidates:
            if v.version == number:
                return v
        raise version_not_found(number)

    def _subject_version(self, tx: Tx, version: Version) -> SubjectVersion:
        stored = tx.schema(version.schema_id)
        if stored is None:
            raise schema_not_found(version.schema_id)
        return SubjectVersion(version.subject, version.version, version.schema_id, stored)

    def _match(
        self, tx: Tx, versions: list[Version], candidate: Candidate, *, normalize: bool
    ) -> SubjectVersion | None:
        """The newest of `versions` that holds the same schema (compared per `normalize`)."""
        key = candidate.key(normalize=normalize)
        for version in reversed(versions):
            found = self._subject_version(tx, version)
            same_refs = found.schema.references == candidate.references
            if same_refs and stored_key(found.schema, normalize=normalize) == key:
                return found
        return None

    def _verdict(
        self, tx: Tx, level: Level, candidate: Candidate, against: list[Version]
    ) -> tuple[bool, list[str]]:
        """The compat engine's verdict on `candidate` against `against` (newest first)."""
        if level is Level.NONE or not against:
            return True, []
        history: list[HistoryVersion] = []
        for version in against:
            found = self._subject_version(tx, version)
            parsed = self.cache.parsed(tx, found.schema)
            history.append(HistoryVersion(parsed, found.schema.schema, version.version))
        return level_verdict(level, candidate.parsed, history)
