"""Config + schema files → ContractSet: the one model that check, register and generate share.

Each topic gets two contracts: the key (its declared type) and the value, which is always the event
envelope of DESIGN.md §1 with the topic's event records as the `payload` union. Building the
envelope here, once, is what makes all three commands see the same value schema.

Topics may map to one subject (RecordNameStrategy with one key type): allowed only when their
schemas and levels agree (else IR003); the IR keeps each topic's contract, and
`ContractSet.contracts()` lists the shared subject once, so register and check see it once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from contractgen.avro.canonical import Rebinding, checked_identity
from contractgen.avro.loader import SchemaSet
from contractgen.avro.resolve import self_contained
from contractgen.config import Config, SubjectStrategy, TopicConfig
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.envelope import envelope_record
from contractgen.ir.model import (
    PRIMITIVE_NAMES,
    Array,
    AvroSchema,
    AvroType,
    Contract,
    ContractSet,
    Level,
    Location,
    Map,
    NamedRef,
    NamedType,
    Primitive,
    Record,
    Role,
    Topic,
    Union,
)

UNKNOWN_EVENT = "IR001"
BAD_KEY = "IR002"
SUBJECT_CLASH = "IR003"
UNSTORABLE_SCHEMA = "IR004"


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


_TopicKey = tuple[TopicConfig, Level, SubjectStrategy, Location | None, Location | None]
_Uses = tuple[tuple[str, NamedType | None, str | None], ...]


@dataclass(slots=True)
class BuildMemo:
    """Topics built from identical inputs, kept across builds of related states (a git history).

    A topic depends on its config entry, its level, the subject strategy, where its config entry
    was written (the envelope and a primitive key are located there), and the named types it
    reaches: a build looks each one up by name. A kept topic is reused when every name it used
    still names the very same type object from the same file: a `ParseMemo` shares the parse of
    an unchanged file between states, so an unchanged type is the same object, and a changed file,
    or a name now resolving to another file's type, invalidates every topic reaching it.
    """

    topics: dict[_TopicKey, tuple[Topic, _Uses]] = field(default_factory=dict)
    built: int = 0
    """How many topics were built (not reused) with this memo: what a test can count."""


class _Builder:
    def __init__(self, config: Config, schemas: SchemaSet, memo: BuildMemo | None) -> None:
        self.config = config
        self.schemas = schemas
        self.memo = memo
        self.problems: list[Diagnostic] = []

    def remembered(self, index: int, topic: TopicConfig) -> Topic | None:
        """`topic`, built from the same inputs by an earlier build with the memo, or a new one."""
        if self.memo is None:
            return self.topic(index, topic)
        key = (
            topic,
            self.config.level_of(topic),
            self.config.subject_strategy,
            self.where("topics", index, "events"),
            self.where("topics", index, "key"),
        )
        types, files = self.schemas.types, self.schemas.type_files
        kept = self.memo.topics.get(key)
        if kept is not None and all(types.get(n) is t and files.get(n) == f for n, t, f in kept[1]):
            return kept[0]
        built = self.topic(index, topic)
        self.memo.built += 1
        if built is not None:
            used = {*built.key.schema.named, *built.value.schema.named, *topic.events, topic.key}
            self.memo.topics[key] = (built, tuple((n, types.get(n), files.get(n)) for n in used))
        return built

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
        value = self.contract(index, topic.name, Role.VALUE, self_contained(envelope, table), level)
        key = self.contract(index, topic.name, Role.KEY, self_contained(key_type, table), level)
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
            # located at the config's `key`: findings about a primitive key point there
            key_type: AvroType = Primitive(
                topic.key,  # type: ignore[arg-type]
                location=self.where("topics", index, "key"),
            )
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
                self.key_field(index, topic, event, key_type)
        return key_type

    def key_field(self, index: int, topic: TopicConfig, event: Record, key: AvroType) -> None:
        """Every event must carry `key_field`, of the key's type: the producer keys by it."""
        found = next((f for f in event.fields if f.name == topic.key_field), None)
        if found is None:
            problem = (
                f"key_field {topic.key_field!r} is not a field of {event.fullname}; "
                "every event of the topic must carry it"
            )
        elif not _is_key_type(found.type, key):
            problem = (
                f"key_field {topic.key_field!r} of {event.fullname} is "
                f"{describe_type(found.type)}, but the key is {describe_type(key)}; "
                "the field's type must be the key type"
            )
        else:
            return
        self.problems.append(Diagnostic(
            BAD_KEY, f"topic {topic.name!r}: {problem}", self.where("topics", index, "key_field")
        ))  # fmt: skip

    def storable(self, index: int, topic: str, role: Role, rebound: list[Rebinding]) -> None:
        """A registry keeps Java's text of the schema (the canonical string) and parses it again
        whenever it reads it: a short name in it that Avro binds to another type (Java writes
        null-namespace types by their bare names) would change the contract once stored."""
        for rebinding in rebound[:1]:
            where = f" (at {rebinding.location})" if rebinding.location else ""
            self.problems.append(Diagnostic(
                UNSTORABLE_SCHEMA,
                f"topic {topic!r}: its {role} schema cannot be stored as it is: Avro writes the "
                f"type {rebinding.meant!r}{where} as {rebinding.written!r}, which it reads back "
                f"as {rebinding.read_as!r}; give one of the two types another name or namespace",
                self.where("topics", index, "key" if role is Role.KEY else "events"),
            ))  # fmt: skip

    def shared_subjects(self, topics: list[tuple[int, Topic]]) -> None:
        """Two topics (or roles) writing one subject must write the same schema at one level."""
        first: dict[str, tuple[Contract, int]] = {}
        for index, topic in topics:
            for contract in (topic.key, topic.value):
                seen = first.setdefault(contract.subject, (contract, index))[0]
                if seen is contract:
                    continue
                differs = []
                if seen.identity.canonical != contract.identity.canonical:
                    differs.append("schemas")
                if seen.level is not contract.level:
                    differs.append(f"levels ({seen.level} and {contract.level})")
                if not differs:
                    continue  # a shared subject: ContractSet.contracts() lists it once
                self.problems.append(Diagnostic(
                    SUBJECT_CLASH,
                    f"topics {seen.topic!r} ({seen.role}) and {contract.topic!r} "
                    f"({contract.role}) both map to subject {contract.subject!r} with different "
                    f"{' and '.join(differs)}; set subject_strategy = \"topic\" (or "
                    "\"topic_record\") to give each topic its own subjects, or make them agree",
                    self.where("topics", index, "key" if contract.role is Role.KEY else "events"),
                ))  # fmt: skip

    def contract(
        self, index: int, topic: str, role: Role, schema: AvroSchema, level: Level
    ) -> Contract:
        root = schema.root
        record_name = root.fullname if isinstance(root, Record) else str(getattr(root, "type", ""))
        checked, rebound = checked_identity(schema)
        self.storable(index, topic, role, rebound)
        return Contract(
            topic=topic,
            role=role,
            subject=subject_name(self.config.subject_strategy, topic, role, record_name),
            schema=schema,
            identity=checked,
            level=level,
            files=tuple(sorted(self.files_of(schema.named))),
        )

    def files_of(self, named: Mapping[str, NamedType]) -> Iterable[str]:
        return {self.schemas.type_files[n] for n in named if n in self.schemas.type_files}


def build(config: Config, schemas: SchemaSet, memo: BuildMemo | None = None) -> ContractSet:
    """The ContractSet for `config`'s topics. Raises ContractError naming every config mistake.

    `memo`: reuse (and keep) the topics built from identical inputs by earlier builds with it.
    """
    builder = _Builder(config, schemas, memo)
    topics = [(i, builder.remembered(i, t)) for i, t in enumerate(config.topics)]
    built = [(i, t) for i, t in topics if t is not None]
    builder.shared_subjects(built)
    if builder.problems:
        raise ContractError(builder.problems)
    return ContractSet(
        topics=tuple(t for _, t in built),
        types=MappingProxyType(dict(sorted(schemas.types.items()))),
        type_files=MappingProxyType(dict(sorted(schemas.type_files.items()))),
    )


def _is_key_type(field: AvroType, key: AvroType) -> bool:
    """Whether a key_field of type `field` can be the key: the key's primitive (a logical type
    on it allowed, e.g. a uuid string for a string key) or the key's record itself."""
    if isinstance(key, Primitive):
        return isinstance(field, Primitive) and field.type == key.type
    if isinstance(key, NamedRef):
        if isinstance(field, NamedRef):
            return field.fullname == key.fullname
        return isinstance(field, Record) and field.fullname == key.fullname
    return False


def describe_type(avro_type: AvroType) -> str:
    """A type as messages name it: `long`, `string (uuid)`, `acme.Key`, `union [null, long]`."""
    if isinstance(avro_type, Primitive):
        logical = avro_type.logical_type
        return f"{avro_type.type} ({logical})" if logical else avro_type.type
    if isinstance(avro_type, Union):
        return "union [" + ", ".join(describe_type(b) for b in avro_type.branches) + "]"
    if isinstance(avro_type, Array):
        return f"array of {describe_type(avro_type.items)}"
    if isinstance(avro_type, Map):
        return f"map of {describe_type(avro_type.values)}"
    return avro_type.fullname
