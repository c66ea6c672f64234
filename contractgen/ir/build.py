"""Config + schema files → ContractSet: the one model that check, register and generate share.

Each topic gets two contracts: the key (its declared type) and the value, which is always the event
envelope of DESIGN.md §1 with the topic's event records as the `payload` union. Building the
envelope here, once, is what makes all three commands see the same value schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from contractgen.avro.canonical import identity
from contractgen.avro.loader import SchemaSet
from contractgen.avro.resolve import self_contained
from contractgen.config import Config, SubjectStrategy, TopicConfig
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.envelope import envelope_record
from contractgen.ir.model import (
    PRIMITIVE_NAMES,
    AvroSchema,
    AvroType,
    Contract,
    ContractSet,
    Level,
    Location,
    NamedRef,
    NamedType,
    Primitive,
    Record,
    Role,
    Topic,
)

UNKNOWN_EVENT = "IR001"
BAD_KEY = "IR002"


def subject_name(strategy: SubjectStrategy, topic: str, role: Role, record_name: str) -> str:
    """Confluent's TopicNameStrategy, RecordNameStrategy and TopicRecordNameStrategy."""
    if strategy is SubjectStrategy.TOPIC:
        return f"{topic}-{role}"
    if strategy is SubjectStrategy.RECORD:
        return record_name
    return f"{topic}-{record_name}"


def envelope_name(topic: str) -> str:
    """`orders` → `OrdersEnvelope`, `order-events.v1` → `OrderEventsV1Envelope`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", topic) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) + "Envelope"
    return name if name[0].isalpha() else f"T{name}"


class _Builder:
    def __init__(self, config: Config, schemas: SchemaSet) -> None:
        self.config = config
        self.schemas = schemas
        self.problems: list[Diagnostic] = []

    def where(self, *keys: str | int) -> Location | None:
        return self.config.source.location(*keys)

    def topic(self, index: int, topic: TopicConfig) -> Topic | None:
        events: list[Record] = []
        for position, event in enumerate(topic.events):
            found = self.schemas.types.get(event)
            if isinstance(found, Record):
                events.append(found)
                continue
            what = "is not a record" if found else "is not defined in any schema file"
            self.problems.append(Diagnostic(
                UNKNOWN_EVENT,
                f"topic {topic.name!r}: event {event!r} {what}; "
                "list the full name (namespace.Name) of a record in the schema roots",
                self.where("topics", index, "events", position),
            ))  # fmt: skip
        key_type = self.key_type(index, topic, events)
        if key_type is None or len(events) != len(topic.events) or not events:
            return None
        level = self.config.level_of(topic)
        envelope = envelope_record(
            envelope_name(topic.name),
            events[0].namespace,
            tuple(e.fullname for e in events),
            self.where("topics", index, "events"),
        )
        table = {**self.schemas.types, envelope.fullname: envelope}
        value = self.contract(topic.name, Role.VALUE, self_contained(envelope, table), level)
        key = self.contract(topic.name, Role.KEY, self_contained(key_type, table), level)
        return Topic(
            topic.name,
            key,
            value,
            tuple(e.fullname for e in events),
            topic.key_field,
            topic.partitions,
            topic.dlq or f"{topic.name}-dlq",
        )

    def key_type(self, index: int, topic: TopicConfig, events: list[Record]) -> AvroType | None:
        if topic.key in PRIMITIVE_NAMES:
            key_type: AvroType = Primitive(topic.key)  # type: ignore[arg-type]
        elif isinstance(self.schemas.types.get(topic.key), Record):
            key_type = NamedRef(topic.key)
        else:
            self.problems.append(Diagnostic(
                BAD_KEY,
                f"topic {topic.name!r}: key {topic.key!r} is neither an Avro primitive type nor a "
                "record defined in the schema roots",
                self.where("topics", index, "key"),
            ))  # fmt: skip
            return None
        if topic.key_field is not None:
            for event in events:
                if topic.key_field not in {f.name for f in event.fields}:
                    self.problems.append(Diagnostic(
                        BAD_KEY,
                        f"topic {topic.name!r}: key_field {topic.key_field!r} is not a field of "
                        f"{event.fullname}; every event of the topic must carry it",
                        self.where("topics", index, "key_field"),
                    ))  # fmt: skip
        return key_type

    def contract(self, topic: str, role: Role, schema: AvroSchema, level: Level) -> Contract:
        root = schema.root
        record_name = root.fullname if isinstance(root, Record) else str(getattr(root, "type", ""))
        return Contract(
            topic=topic,
            role=role,
            subject=subject_name(self.config.subject_strategy, topic, role, record_name),
            schema=schema,
            identity=identity(schema),
            level=level,
            files=tuple(sorted(self.files_of(schema.named))),
        )

    def files_of(self, named: Mapping[str, NamedType]) -> Iterable[str]:
        return {self.schemas.type_files[n] for n in named if n in self.schemas.type_files}


def build(config: Config, schemas: SchemaSet) -> ContractSet:
    """The ContractSet for `config`'s topics. Raises ContractError naming every config mistake."""
    builder = _Builder(config, schemas)
    topics = [builder.topic(i, t) for i, t in enumerate(config.topics)]
    if builder.problems:
        raise ContractError(builder.problems)
    return ContractSet(
        topics=tuple(t for t in topics if t is not None),
        types=MappingProxyType(dict(sorted(schemas.types.items()))),
        type_files=MappingProxyType(dict(sorted(schemas.type_files.items()))),
    )
