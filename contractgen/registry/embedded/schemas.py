"""Schema text → parsed schema for the embedded registry, with references resolved.

New schemas are parsed strictly (a failure is 422/42201); stored versions leniently, because a
registry must read whatever it already holds. Parsed stored schemas are cached by global id:
an id's content never changes, so the cache needs no invalidation. Offered schemas without
references are cached by their text, which alone decides their parse: clients look the same
few schemas up again and again, and the parse was a third of a look-up.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from contractgen.avro import canonical, parse
from contractgen.diagnostics import ContractError
from contractgen.ir.model import AvroSchema, NamedType
from contractgen.registry.embedded.store import Reference, StoredSchema, Tx
from contractgen.registry.errors import RegistryError, invalid_schema

SCHEMA_TYPES = ("AVRO",)
_OFFERED_KEPT = 1024
"""Parses of offered schemas kept, the oldest dropped first."""
_OFFERED_MAX_CHARS = 64 * 1024
"""Longer offered schemas are parsed each time, so the cache stays small."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A schema offered for registration, look-up or a compatibility check."""

    parsed: AvroSchema
    canonical: str
    normalized: str
    references: tuple[Reference, ...]

    def key(self, *, normalize: bool) -> str:
        """What a subject version is compared on (COMPATIBILITY.md: canonical vs normalized)."""
        return self.normalized if normalize else self.canonical


def stored_key(stored: StoredSchema, *, normalize: bool) -> str:
    return stored.normalized if normalize else stored.schema


def _details(error: ContractError) -> str:
    """The parse problems, each with its JSON pointer (the schema is not a file: no line)."""
    return "; ".join(
        f"{d.code} {d.message}" + (f" at {d.location.pointer or '/'}" if d.location else "")
        for d in error.diagnostics
    )


class SchemaCache:
    """Lenient parses of stored schemas, by global id; strict parses of offered ones, by text."""

    def __init__(self) -> None:
        self._parsed: dict[int, AvroSchema] = {}
        self._offered: dict[str, Candidate] = {}
        self._lock = threading.Lock()

    def parsed(self, tx: Tx, stored: StoredSchema) -> AvroSchema:
        with self._lock:
            hit = self._parsed.get(stored.id)
            offered = None if stored.references else self._offered.get(stored.schema)
        if hit is not None:
            return hit
        # The same text was offered (a check of an unchanged schema): strict parsing only adds
        # refusals, so its parse is this one; only the label of its locations differs, and no
        # verdict or message reads those.
        schema = offered.parsed if offered is not None else self._parse_stored(tx, stored)
        with self._lock:
            self._parsed[stored.id] = schema
        return schema

    def _parse_stored(self, tx: Tx, stored: StoredSchema) -> AvroSchema:
        named = self._referenced_types(tx, stored.references)
        try:
            return parse.parse_schema(
                stored.schema, file=f"<schema {stored.id}>", strict=False, named=named
            )
        except ContractError as exc:
            raise invalid_schema(f"stored schema {stored.id}: {_details(exc)}") from exc

    def has_candidate(self, text: str, references: tuple[Reference, ...]) -> bool:
        """Whether `candidate` would answer from the memo, without parsing."""
        with self._lock:
            return not references and text in self._offered

    def candidate(
        self, tx: Tx, text: str, references: tuple[Reference, ...], schema_type: str
    ) -> Candidate:
        """Parse a new schema strictly, its references first (422/42201 on any failure)."""
        if schema_type not in SCHEMA_TYPES:
            raise RegistryError(422, 42201, f"Invalid schema type {schema_type}")
        kept = not references and len(text) <= _OFFERED_MAX_CHARS
        if kept:
            with self._lock:
                hit = self._offered.get(text)
            if hit is not None:
                return hit
        found = self._parse_candidate(tx, text, references)
        if kept:
            with self._lock:
                if len(self._offered) >= _OFFERED_KEPT:
                    del self._offered[next(iter(self._offered))]
                self._offered[text] = found
        return found

    def _parse_candidate(self, tx: Tx, text: str, references: tuple[Reference, ...]) -> Candidate:
        named = self._referenced_types(tx, references)
        try:
            schema = parse.parse_schema(text, file="<schema>", strict=True, named=named)
        except ContractError as exc:
            raise invalid_schema(_details(exc)) from exc
        except RecursionError:  # nested deeper than the parser's stack: invalid, not a crash
            raise invalid_schema("the schema is nested too deeply") from None
        # Types from references are written by name, as Confluent stores such a schema.
        known = tuple(named or ())
        return Candidate(
            schema,
            canonical.canonical_string(schema, known=known),
            canonical.normalized_string(schema, known=known),
            references,
        )

    def _referenced_types(
        self, tx: Tx, references: tuple[Reference, ...]
    ) -> Mapping[str, NamedType] | None:
        if not references:
            return None
        named: dict[str, NamedType] = {}
        for ref in references:
            version = tx.version(ref.subject, ref.version)
            stored = None if version is None else tx.schema(version.schema_id)
            if stored is None:
                raise invalid_schema(
                    f"reference {ref.name}: subject '{ref.subject}' version {ref.version} not found"
                )
            named.update(self.parsed(tx, stored).named)
        return named
