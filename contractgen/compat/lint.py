"""Lint rules: schema habits that are not (yet) wire breaks but cause them or hide mistakes.

Each handler sees the candidate and, when there is one, the previous version, and yields issues
with the candidate's location and a fix hint. Severities are set by the config's `[lint]` table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Fixed,
    Location,
    Map,
    Primitive,
    Record,
    Union,
    split_fullname,
)
from contractgen.runtime.logical import KNOWN_LOGICAL_TYPES, honoured_logical_type


@dataclass(frozen=True, slots=True)
class LintInput:
    candidate: AvroSchema
    previous: AvroSchema | None = None


@dataclass(frozen=True, slots=True)
class LintIssue:
    message: str
    hint: str
    location: Location | None
    pointer: str = ""


def _records(schema: AvroSchema) -> Iterator[Record]:
    return (t for t in schema.named.values() if isinstance(t, Record))


def _pointer(location: Location | None) -> str:
    return location.pointer if location is not None else ""


def logical_type_on_field(given: LintInput) -> Iterator[LintIssue]:
    for record in _records(given.candidate):
        for field in record.fields:
            logical = dict(field.props).get("logicalType")
            if logical is None:
                continue
            base = field.type.type if isinstance(field.type, Primitive) else "<type>"
            written = json.dumps({"type": base, "logicalType": logical})
            yield LintIssue(
                f"field '{record.name}.{field.name}' has logicalType {json.dumps(logical)} on the "
                "field, where Avro ignores it",
                f'move it inside the field\'s type: "type": {written}',
                field.location,
                _pointer(field.location),
            )


def logical_type_ignored(given: LintInput) -> Iterator[LintIssue]:
    for named in given.candidate.named.values():
        if isinstance(named, Fixed):
            yield from _ignored(named, "fixed", named.size, f"'{named.fullname}'")
        elif isinstance(named, Record):
            for field in named.fields:
                # iterative: a field's type may nest as deep as Avro reads (1,000 levels)
                stack: list[AvroType] = [field.type]
                while stack:
                    avro_type = stack.pop()
                    if isinstance(avro_type, Primitive):
                        if avro_type.props:  # no props, no logicalType: the common wide record
                            what = f"field '{named.name}.{field.name}'"
                            base = avro_type.type
                            yield from _ignored(avro_type, base, None, what, field.location)
                    elif isinstance(avro_type, Array):
                        stack.append(avro_type.items)
                    elif isinstance(avro_type, Map):
                        stack.append(avro_type.values)
                    elif isinstance(avro_type, Union):
                        stack.extend(reversed(avro_type.branches))


def _ignored(
    avro_type: Primitive | Fixed,
    base: str,
    size: int | None,
    what: str,
    fallback: Location | None = None,
) -> Iterator[LintIssue]:
    logical = avro_type.logical_type
    if logical not in KNOWN_LOGICAL_TYPES:  # none, or a custom name: data Avro keeps as it is
        return
    if honoured_logical_type(base, logical, dict(avro_type.props), size):
        return
    location = avro_type.location or fallback
    yield LintIssue(
        f"{what} has logicalType {json.dumps(logical)} on {base}, which Avro ignores (an "
        "invalid combination or parameters): the value is plain " + base,
        f"fix the logical type's base type or parameters, or remove {json.dumps(logical)}",
        location,
        _pointer(location),
    )


def _previous_record(
    previous: AvroSchema, by_name: Mapping[str, Record], record: Record
) -> Record | None:
    for name in (record.fullname, *record.aliases):
        found = previous.named.get(name)
        if isinstance(found, Record):
            return found
    return by_name.get(record.name)


def _field_names(record: Record) -> set[str]:
    """Every name and alias of the record's fields: what a field of another version may match."""
    return {name for f in record.fields for name in (f.name, *f.aliases)}


def rename_hint(field: str, dropped: Sequence[str]) -> str:
    """The fix for a field the previous version lacks: an alias when it may be a renamed field
    (`dropped`: the previous version's fields the new one no longer has), else a default."""
    default = f"give field '{field}' a default"
    if not dropped:
        return default
    if len(dropped) == 1:
        return (
            f"if '{field}' is '{dropped[0]}' renamed, add \"aliases\": [\"{dropped[0]}\"] to "
            f"field '{field}'; otherwise {default}"
        )
    names = ", ".join(f"'{name}'" for name in dropped)
    return (
        f'if \'{field}\' renames one of {names}, add "aliases": ["<old name>"] to field '
        f"'{field}'; otherwise {default}"
    )


def dropped_fields(reader: Record, writer: Record) -> list[str]:
    """The writer's fields no reader field matches by name or alias (Java's field lookup)."""
    known = _field_names(reader)
    return [f.name for f in writer.fields if f.name not in known]


def field_added_without_default(given: LintInput) -> Iterator[LintIssue]:
    if given.previous is None:
        return
    # built once: a field is looked up in the previous version's names, not its fields (a
    # record of 100,000 fields was 100,000 x 100,000 comparisons)
    by_name = {t.name: t for t in _records(given.previous)}
    for record in _records(given.candidate):
        before = _previous_record(given.previous, by_name, record)
        if before is None:
            continue
        dropped = dropped_fields(record, before)
        known = _field_names(before)
        for field in record.fields:
            if not field.has_default and known.isdisjoint((field.name, *field.aliases)):
                yield LintIssue(
                    f"field '{record.name}.{field.name}' is new and has no default",
                    rename_hint(field.name, dropped),
                    field.location,
                    _pointer(field.location),
                )


def enum_without_default(given: LintInput) -> Iterator[LintIssue]:
    for enum in given.candidate.named.values():
        if isinstance(enum, Enum) and enum.default is None:
            yield LintIssue(
                f"enum '{enum.fullname}' has no default symbol, so readers fail on any symbol "
                "added later",
                f'add "default": "{enum.symbols[0] if enum.symbols else "UNKNOWN"}" (or an '
                "UNKNOWN symbol) to the enum",
                enum.location,
                _pointer(enum.location),
            )


def missing_doc(given: LintInput) -> Iterator[LintIssue]:
    for named in given.candidate.named.values():
        if named.doc is None:
            yield LintIssue(
                f"'{named.fullname}' has no doc",
                'add a "doc" string',
                named.location,
                _pointer(named.location),
            )
        if isinstance(named, Record):
            for field in named.fields:
                if field.doc is None:
                    yield LintIssue(
                        f"field '{named.name}.{field.name}' has no doc",
                        'add a "doc" string',
                        field.location,
                        _pointer(field.location),
                    )


def namespace_directory(given: LintInput) -> Iterator[LintIssue]:
    for named in given.candidate.named.values():
        # A type written nowhere in a schema file (the envelope, synthesized from the config)
        # has no directory to be in.
        if named.location is None or not named.location.file.endswith(".avsc"):
            continue
        namespace = split_fullname(named.fullname)[0] or ""
        directory = PurePosixPath(named.location.file).parent
        expected = PurePosixPath(*namespace.split(".")) if namespace else PurePosixPath()
        if namespace and directory.parts[-len(expected.parts) :] != expected.parts:
            yield LintIssue(
                f"'{named.fullname}' is in {directory}/, not in a directory matching its namespace",
                f"move {named.location.file} under {expected}/ or change the namespace",
                named.location,
                _pointer(named.location),
            )


def lint_handlers() -> Iterable[tuple[str, str, Callable[[LintInput], Iterable[LintIssue]], bool]]:
    """(id, purpose, handler, on by default), in the order findings are reported."""
    return (
        (
            "logical-type-on-field",
            "A logicalType written on the field instead of inside its type has no effect.",
            logical_type_on_field,
            True,
        ),
        (
            "logical-type-ignored",
            "A logicalType Avro ignores (wrong base type or parameters) leaves plain data.",
            logical_type_ignored,
            True,
        ),
        (
            "field-added-without-default",
            "A new field without a default breaks readers of older data.",
            field_added_without_default,
            True,
        ),
        (
            "enum-without-default",
            "An enum without a default symbol cannot gain symbols compatibly.",
            enum_without_default,
            True,
        ),
        (
            "missing-doc",
            "Records, enums, fixed types and fields should say what they mean.",
            missing_doc,
            False,
        ),
        (
            "namespace-directory",
            "A named type's file should sit in its namespace's directory.",
            namespace_directory,
            False,
        ),
    )
