"""The IR: a frozen, language-neutral model of Avro schemas and of the contracts built from them.

Everything here is Avro-level: names are Avro full names, types are Avro types. Python names and
imports are decided by the code generator's view, never here.

A schema is a tree. A named type (record, enum, fixed) is written out in full where it is first
met in a depth-first walk, exactly as Avro's Java writer would print it, and every later use is a
`NamedRef`. `AvroSchema.named` indexes the definitions so a `NamedRef` resolves in O(1); that is
also how recursive types are represented without cycles in frozen objects.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
"""A JSON value as `json.loads` returns it: the type of defaults and custom properties."""

Props: TypeAlias = tuple[tuple[str, JsonValue], ...]
"""Custom properties (including `logicalType`, `precision`, ...) in their order of appearance."""

PrimitiveName: TypeAlias = Literal[
    "null", "boolean", "int", "long", "float", "double", "bytes", "string"
]
PRIMITIVE_NAMES: frozenset[str] = frozenset(
    ("null", "boolean", "int", "long", "float", "double", "bytes", "string")
)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a schema element was written: a JSON pointer in a file, and its line/column.

    `file` is a path relative to the project root, or a label in angle brackets for text that is
    not a file (`<schema>`, `<orders-value version 3>`): line and column mean little there.
    """

    file: str
    pointer: str
    line: int = 0
    column: int = 0

    @property
    def in_file(self) -> bool:
        return not self.file.startswith("<")

    def __str__(self) -> str:
        if not self.in_file:
            return f"{self.file[1:-1]}, at {self.pointer or '/'}"
        return f"{self.file}:{self.line}:{self.column}"


# `location` never takes part in equality: the same schema loaded from other files or in
# another order must compare equal.


def logical_type_of(props: Props) -> str | None:
    """The `logicalType` property, if it is a string."""
    for key, value in props:
        if key == "logicalType" and isinstance(value, str):
            return value
    return None


def prop(props: Props, key: str) -> JsonValue:
    """The value of a custom property, or None."""
    for name, value in props:
        if name == key:
            return value
    return None


@dataclass(frozen=True, slots=True)
class Primitive:
    type: PrimitiveName
    props: Props = ()
    location: Location | None = field(default=None, compare=False, repr=False)

    @property
    def logical_type(self) -> str | None:
        return logical_type_of(self.props)


@dataclass(frozen=True, slots=True)
class Array:
    items: AvroType
    props: Props = ()
    location: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Map:
    values: AvroType
    props: Props = ()
    location: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Union:
    branches: tuple[AvroType, ...]
    location: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class NamedRef:
    """A use of a named type that is defined elsewhere in the same schema (see module doc)."""

    fullname: str
    location: Location | None = field(default=None, compare=False, repr=False)


def split_fullname(fullname: str) -> tuple[str | None, str]:
    """`a.b.C` -> (`a.b`, `C`); `C` -> (None, `C`)."""
    namespace, _, name = fullname.rpartition(".")
    return (namespace or None), name


class _Named:
    """The name parts of a named type (record, enum, fixed), derived from its full name."""

    __slots__ = ()
    fullname: str

    @property
    def name(self) -> str:
        return split_fullname(self.fullname)[1]

    @property
    def namespace(self) -> str | None:
        return split_fullname(self.fullname)[0]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: AvroType
    doc: str | None = None
    has_default: bool = False
    default: JsonValue = None
    order: Literal["ascending", "descending", "ignore"] = "ascending"
    aliases: tuple[str, ...] = ()
    props: Props = ()
    location: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Record(_Named):
    fullname: str
    fields: tuple[Field, ...]
    doc: str | None = None
    aliases: tuple[str, ...] = ()
    """Aliases as full names (short aliases are qualified with the record's namespace)."""
    props: Props = ()
    is_error: bool = False
    location: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Enum(_Named):
    fullname: str
    symbols: tuple[str, ...]
    doc: str | None = None
    default: str | None = None
    aliases: tuple[str, ...] = ()
    props: Props = ()
    location: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Fixed(_Named):
    fullname: str
    size: int
    doc: str | None = None
    aliases: tuple[str, ...] = ()
    props: Props = ()
    location: Location | None = field(default=None, compare=False, repr=False)

    @property
    def logical_type(self) -> str | None:
        return logical_type_of(self.props)


NamedType: TypeAlias = Record | Enum | Fixed
AvroType: TypeAlias = Primitive | Array | Map | Union | NamedRef | Record | Enum | Fixed


@dataclass(frozen=True, slots=True)
class AvroSchema:
    """One self-contained Avro schema: what a registry subject version holds."""

    root: AvroType
    named: Mapping[str, NamedType]
    """Every named type defined in `root`, by full name (read-only)."""

    def resolve(self, avro_type: AvroType) -> AvroType:
        """Follow a `NamedRef` to its definition; any other type is returned as is."""
        if isinstance(avro_type, NamedRef):
            return self.named[avro_type.fullname]
        return avro_type


class Role(enum.StrEnum):
    KEY = "key"
    VALUE = "value"


class Level(enum.StrEnum):
    """The seven compatibility levels of a Confluent Schema Registry."""

    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"


@dataclass(frozen=True, slots=True, eq=False)
class Identity:
    """The two identities of a schema (DESIGN.md §2): never use one where the other is meant."""

    text: Callable[[], str] = field(repr=False)
    """Makes the canonical string (once: it keeps it). Read `canonical`."""
    form: Callable[[], str] = field(repr=False)
    """Makes the Parsing Canonical Form (once: it keeps it). Read `parsing_canonical_form`."""

    # Each string is made when first read (the canonical string by `check`, `register` and
    # `generate`; the Parsing Canonical Form by `ls`, the IR dump, a comparison of two
    # identities), not for every schema a command loads: each is as long as the schema's text.
    @property
    def canonical(self) -> str:
        """The registry's canonical string: Avro Java's compact form, docs and defaults kept."""
        return self.text()

    @property
    def parsing_canonical_form(self) -> str:
        """Avro's Parsing Canonical Form: what the wire depends on."""
        return self.form()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Identity):
            return NotImplemented
        return (self.canonical, self.parsing_canonical_form) == (
            other.canonical,
            other.parsing_canonical_form,
        )

    def __hash__(self) -> int:
        return hash(self.canonical)  # equal identities have equal canonical strings

    # The fingerprints are computed when asked for (`ls`, the IR dump), not for every schema a
    # command loads: fastavro's CRC-64 is pure Python, a quarter of `validate` when it was eager.
    @property
    def crc64(self) -> str:
        """CRC-64-AVRO fingerprint of the Parsing Canonical Form, 16 lower-case hex digits."""
        from fastavro.schema import fingerprint  # not loaded by `contractgen --help`

        return str(fingerprint(self.parsing_canonical_form, "CRC-64-AVRO"))

    @property
    def sha256(self) -> str:
        """SHA-256 fingerprint of the Parsing Canonical Form, 64 lower-case hex digits."""
        return hashlib.sha256(self.parsing_canonical_form.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Contract:
    """What one registry subject of one topic holds."""

    topic: str
    role: Role
    subject: str
    schema: AvroSchema
    identity: Identity
    level: Level
    files: tuple[str, ...]
    """The schema files this contract's types come from, sorted."""


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    key: Contract
    value: Contract
    events: tuple[str, ...]
    """Full names of the event records carried as the envelope's `payload`, in config order."""
    key_field: str | None
    partitions: int
    dead_letter_topic: str
    """Where consumers route events they cannot handle (config `dlq`, else `<topic>-dlq`)."""


@dataclass(frozen=True, slots=True)
class ContractSet:
    """Everything check, register and generate need, built once from config and schema files."""

    topics: tuple[Topic, ...]
    types: Mapping[str, NamedType]
    """Every named type from every schema file, by full name, each written out in full once."""
    type_files: Mapping[str, str]
    """The file that defines each named type."""

    def contracts(self) -> tuple[Contract, ...]:
        """Every subject's contract, topic by topic, key before value, each subject once.

        Topics may share a subject (RecordNameStrategy, one key type): the IR builder only allows
        that when their schemas and levels agree, so the first topic's contract speaks for all.
        """
        unique: dict[str, Contract] = {}
        for topic in self.topics:
            for contract in (topic.key, topic.value):
                unique.setdefault(contract.subject, contract)
        return tuple(unique.values())
