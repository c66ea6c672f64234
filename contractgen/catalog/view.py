"""What the HTML catalog shows, computed from the IR and the histories: plain data for templates.

Pages: the index (topics, events, subjects), one page per topic, per named type (an event is a
record a topic carries) and per subject (its versions). Templates only lay this out; every name and
doc goes through them as data (autoescaped), never as markup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from contractgen.catalog.example import example_event, example_value
from contractgen.catalog.history import SubjectHistory
from contractgen.catalog.semdiff import KINDS
from contractgen.ir.build import describe_type
from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    ContractSet,
    Enum,
    Field,
    Fixed,
    Map,
    NamedRef,
    NamedType,
    Primitive,
    Record,
    Topic,
    Union,
    logical_type_of,
)


def topic_page(name: str) -> str:
    return f"topic-{name}.html"


def type_page(fullname: str) -> str:
    return f"type-{fullname}.html"


def subject_page(subject: str) -> str:
    return f"subject-{subject}.html"


@dataclass(frozen=True, slots=True)
class FieldRow:
    name: str
    type: str
    links: tuple[str, ...]
    """Full names of the named types its type uses (each has a page)."""
    default: str
    doc: str
    logical: str


@dataclass(frozen=True, slots=True)
class TypeView:
    fullname: str
    kind: str
    doc: str
    fields: tuple[FieldRow, ...] = ()
    symbols: tuple[str, ...] = ()
    size: int | None = None
    topics: tuple[str, ...] = ()
    """Topics whose value (or key) uses this type."""
    is_event: bool = False
    example: str = ""
    used_by: tuple[str, ...] = ()
    """Named types with a field of this type."""
    history: tuple[tuple[str, int, str], ...] = ()
    """(subject, version, summary) of each version that changed this type."""


@dataclass(frozen=True, slots=True)
class TopicView:
    name: str
    key: str
    key_field: str
    level: str
    partitions: int
    dlq: str
    subjects: tuple[str, str]
    events: tuple[str, ...]
    envelope: tuple[FieldRow, ...]


@dataclass(frozen=True, slots=True)
class ChangeRow:
    kind: str
    label: str
    path: str
    detail: str


@dataclass(frozen=True, slots=True)
class VersionView:
    number: int
    label: str
    verdict: str
    changes: tuple[ChangeRow, ...]
    findings: tuple[str, ...]
    schema: str


@dataclass(frozen=True, slots=True)
class SubjectView:
    subject: str
    level: str
    topic: str
    versions: tuple[VersionView, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    topics: tuple[TopicView, ...]
    types: tuple[TypeView, ...]
    subjects: tuple[SubjectView, ...]
    history_source: str
    search_index: list[dict[str, str]] = field(default_factory=list)


def _names_in(avro_type: AvroType, schema: AvroSchema) -> list[str]:
    if isinstance(avro_type, NamedRef | Record | Enum | Fixed):
        return [avro_type.fullname]
    if isinstance(avro_type, Array):
        return _names_in(avro_type.items, schema)
    if isinstance(avro_type, Map):
        return _names_in(avro_type.values, schema)
    if isinstance(avro_type, Union):
        return [n for b in avro_type.branches for n in _names_in(b, schema)]
    return []


def _logical(avro_type: AvroType, schema: AvroSchema) -> str:
    if isinstance(avro_type, Union):
        return ", ".join(filter(None, (_logical(b, schema) for b in avro_type.branches)))
    resolved = schema.resolve(avro_type)
    if isinstance(resolved, Primitive | Fixed):
        logical = logical_type_of(resolved.props)
        if logical == "decimal":
            props = dict(resolved.props)
            return f"decimal({props.get('precision')}, {props.get('scale', 0)})"
        return logical or ""
    return ""


def _field_row(f: Field, schema: AvroSchema) -> FieldRow:
    default = json.dumps(f.default, ensure_ascii=False) if f.has_default else ""
    return FieldRow(
        f.name,
        describe_type(f.type),
        tuple(dict.fromkeys(_names_in(f.type, schema))),
        default,
        f.doc or "",
        _logical(f.type, schema),
    )


def _type_view(
    named: NamedType,
    schema: AvroSchema,
    topics: list[Topic],
    used_by: list[str],
    history: list[tuple[str, int, str]],
) -> TypeView:
    events = [t for t in topics if named.fullname in t.events]
    example = ""
    if events:
        value = example_event(events[0].value.schema, named.fullname)
        example = json.dumps(value, indent=2, ensure_ascii=False)
    elif isinstance(named, Record):
        example = json.dumps(example_value(schema, named), indent=2, ensure_ascii=False)
    return TypeView(
        named.fullname,
        "record" if isinstance(named, Record) else "enum" if isinstance(named, Enum) else "fixed",
        named.doc or "",
        tuple(_field_row(f, schema) for f in named.fields) if isinstance(named, Record) else (),
        named.symbols if isinstance(named, Enum) else (),
        named.size if isinstance(named, Fixed) else None,
        tuple(t.name for t in topics),
        bool(events),
        example,
        tuple(used_by),
        tuple(history),
    )


def _key(topic: Topic) -> str:
    return describe_type(topic.key.schema.root)


def _subject_view(history: SubjectHistory, topic: str) -> SubjectView:
    versions = tuple(
        VersionView(
            v.number,
            v.label,
            v.verdict,
            tuple(ChangeRow(c.kind, KINDS[c.kind], c.path, c.detail) for c in v.changes),
            tuple(f"{f.rule}: {f.message}" for f in v.findings),
            json.dumps(json.loads(v.canonical), indent=2, ensure_ascii=False),
        )
        for v in reversed(history.versions)  # newest first: what a reader looks for
    )
    return SubjectView(history.subject, history.level.value, topic, versions)


def build_catalog(
    contracts: ContractSet, histories: Mapping[str, SubjectHistory], history_source: str
) -> Catalog:
    """Everything the catalog's pages show."""
    topics_of: dict[str, list[Topic]] = {}
    schema_of: dict[str, AvroSchema] = {}
    for topic in contracts.topics:
        for contract in (topic.key, topic.value):
            for name in contract.schema.named:
                if name in contracts.types and topic not in topics_of.setdefault(name, []):
                    topics_of[name].append(topic)
                schema_of.setdefault(name, contract.schema)
    used_by: dict[str, list[str]] = {}
    for name in sorted(contracts.types):
        named = contracts.types[name]
        if isinstance(named, Record):
            for f in named.fields:
                for used in _names_in(f.type, schema_of.get(name, _alone(named, contracts))):
                    if name not in used_by.setdefault(used, []):
                        used_by[used].append(name)
    changed: dict[str, list[tuple[str, int, str]]] = {}
    topic_of_subject: dict[str, str] = {}
    for topic in contracts.topics:
        topic_of_subject.setdefault(topic.key.subject, topic.name)
        topic_of_subject.setdefault(topic.value.subject, topic.name)
    for subject, history in histories.items():
        for version in history.versions:
            for change in version.changes:
                owner = next((n for n in contracts.types if change.path.startswith(n + ".")
                              or change.path == n), None)  # fmt: skip
                if owner is not None:
                    entry = (subject, version.number, f"{KINDS[change.kind]}: {change.detail}")
                    changed.setdefault(owner, []).append(entry)
    types = tuple(
        _type_view(
            contracts.types[name],
            schema_of.get(name, _alone(contracts.types[name], contracts)),
            topics_of.get(name, []),
            used_by.get(name, []),
            changed.get(name, []),
        )
        for name in sorted(contracts.types)
    )
    topics = tuple(
        TopicView(
            t.name,
            _key(t),
            t.key_field or "",
            t.value.level.value,
            t.partitions,
            t.dead_letter_topic,
            (t.key.subject, t.value.subject),
            t.events,
            tuple(_field_row(f, t.value.schema) for f in _envelope_fields(t)),
        )
        for t in contracts.topics
    )
    subjects = tuple(
        _subject_view(histories[s], topic_of_subject.get(s, "")) for s in sorted(histories)
    )
    catalog = Catalog(topics, types, subjects, history_source)
    catalog.search_index.extend(_search_index(catalog))
    return catalog


def _alone(named: NamedType, contracts: ContractSet) -> AvroSchema:
    """A type no topic uses, in a schema where every other type resolves by name."""
    return AvroSchema(named, contracts.types)


def _envelope_fields(topic: Topic) -> tuple[Field, ...]:
    root = topic.value.schema.resolve(topic.value.schema.root)
    return root.fields if isinstance(root, Record) else ()


def _search_index(catalog: Catalog) -> list[dict[str, str]]:
    """What the search box searches: every topic, type and field, with its page."""
    entries = [
        {"kind": "topic", "name": t.name, "text": " ".join(t.events), "href": topic_page(t.name)}
        for t in catalog.topics
    ]
    for view in catalog.types:
        kind = "event" if view.is_event else view.kind
        page = type_page(view.fullname)
        entries.append({"kind": kind, "name": view.fullname, "text": view.doc, "href": page})
        entries.extend(
            {
                "kind": "field",
                "name": f"{view.fullname}.{row.name}",
                "text": f"{row.type} {row.doc}",
                "href": f"{page}#field-{row.name}",
            }
            for row in view.fields
        )
    return entries
