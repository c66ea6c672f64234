"""A subject's registered versions as the engine's history, schema references resolved.

Stored versions are parsed leniently, as a registry reads what it holds; referenced versions
are fetched and parsed first (transitively), since a reference brings its named types in scope.
"""

from __future__ import annotations

from collections.abc import Sequence

from contractgen.avro.parse import parse_schema
from contractgen.compat.levels import HistoryVersion
from contractgen.ir.model import AvroSchema, NamedType
from contractgen.registry.client import RegisteredVersion, RegistryClient


def parse_registered(client: RegistryClient, found: RegisteredVersion) -> AvroSchema:
    named: dict[str, NamedType] = {}
    for ref in found.references:
        referenced = client.get_version(ref.subject, ref.version)
        if referenced is not None:
            named.update(parse_registered(client, referenced).named)
    where = f"<{found.subject} version {found.version}>"  # not a file: see Location
    return parse_schema(found.schema, file=where, strict=False, named=named or None)


def fetch_history(
    client: RegistryClient, subject: str, numbers: Sequence[int]
) -> list[HistoryVersion]:
    """The given versions of `subject`, oldest first (a version deleted meanwhile is skipped)."""
    history = []
    for number in numbers:
        found = client.get_version(subject, number)
        if found is not None:
            schema = parse_registered(client, found)
            history.append(HistoryVersion(schema, found.schema, number, f"version {number}"))
    return history
