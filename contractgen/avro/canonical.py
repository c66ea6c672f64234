"""The identities of a schema (DESIGN.md §2).

- `canonical_string`: Avro Java's `Schema.toString()`, what registries de-duplicate on and print as
  `oldSchema`; docs, defaults, aliases and properties kept (COMPATIBILITY.md, "The canonical
  string").
- `normalized_string`: the form a registry compares with `normalize=true`.
- `parsing_canonical_form` and its fingerprints: what the wire depends on (Avro specification).
"""

from __future__ import annotations

from collections.abc import Collection

from contractgen.avro.jsontext import java_json, java_string
from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Identity,
    Map,
    NamedRef,
    NamedType,
    Primitive,
    Props,
    Record,
    Union,
)

# Java's `Schema.Type` names: a short name spelled like one is written in full.
_TYPE_NAMES = frozenset(
    [
        "record",
        "enum",
        "array",
        "map",
        "union",
        "fixed",
        "string",
        "bytes",
        "int",
        "long",
        "float",
        "double",
        "boolean",
        "null",
    ]
)


def _relative(fullname: str, space: str | None) -> str:
    """Java's `Name.getQualified(space)`: the short name inside its own namespace, unless that
    short name reads as a type name (`ns.int` stays `ns.int`)."""
    namespace, _, name = fullname.rpartition(".")
    if not namespace or (namespace == space and name not in _TYPE_NAMES):
        return name
    return fullname


class _JavaWriter:
    """Writes a schema as Avro Java's `toJson(names, gen)` does, in compact form."""

    def __init__(self, schema: AvroSchema, *, normalized: bool, known: Collection[str]) -> None:
        self.schema = schema
        self.normalized = normalized
        self.written: set[str] = set(known)

    def props(self, props: Props) -> list[str]:
        items = sorted(props, key=lambda p: p[0]) if self.normalized else props
        return [f"{java_string(k)}:{java_json(v)}" for k, v in items]

    def aliases(self, aliases: tuple[str, ...], space: str | None, *, qualify: bool) -> list[str]:
        if not aliases:
            return []
        texts = [_relative(a, space) if qualify else a for a in aliases]
        if self.normalized:
            texts = sorted(texts)
        return ['"aliases":[' + ",".join(java_string(a) for a in texts) + "]"]

    def write(self, avro_type: AvroType, space: str | None) -> str:
        if isinstance(avro_type, NamedRef):
            avro_type = self.schema.named[avro_type.fullname]
        if isinstance(avro_type, Primitive):
            if not avro_type.props:
                return java_string(avro_type.type)
            parts = [f'"type":{java_string(avro_type.type)}', *self.props(avro_type.props)]
            return "{" + ",".join(parts) + "}"
        if isinstance(avro_type, Array):
            parts = ['"type":"array"', f'"items":{self.write(avro_type.items, space)}']
            return "{" + ",".join([*parts, *self.props(avro_type.props)]) + "}"
        if isinstance(avro_type, Map):
            parts = ['"type":"map"', f'"values":{self.write(avro_type.values, space)}']
            return "{" + ",".join([*parts, *self.props(avro_type.props)]) + "}"
        if isinstance(avro_type, Union):
            return "[" + ",".join(self.write(b, space) for b in avro_type.branches) + "]"
        return self.named(avro_type, space)

    def named(self, named: NamedType, space: str | None) -> str:
        if named.fullname in self.written:
            return java_string(
                named.fullname if self.normalized else _relative(named.fullname, space)
            )
        self.written.add(named.fullname)
        namespace = named.namespace
        kind = (
            "error"
            if isinstance(named, Record) and named.is_error
            else type(named).__name__.lower()
        )
        parts = [f'"type":"{kind}"', f'"name":{java_string(named.name)}']
        if namespace is not None and namespace != space:
            parts.append(f'"namespace":{java_string(namespace)}')
        elif namespace is None and space is not None:
            parts.append('"namespace":""')
        if named.doc is not None:
            parts.append(f'"doc":{java_string(named.doc)}')
        if isinstance(named, Record):
            parts.append(
                '"fields":[' + ",".join(self.field(f, namespace) for f in named.fields) + "]"
            )
        elif isinstance(named, Enum):
            parts.append('"symbols":[' + ",".join(java_string(s) for s in named.symbols) + "]")
            if named.default is not None:
                parts.append(f'"default":{java_string(named.default)}')
        else:
            parts.append(f'"size":{named.size}')
        parts += self.props(named.props)
        parts += self.aliases(named.aliases, namespace, qualify=True)
        return "{" + ",".join(parts) + "}"

    def field(self, field: Field, space: str | None) -> str:
        parts = [f'"name":{java_string(field.name)}', f'"type":{self.write(field.type, space)}']
        if field.doc is not None:
            parts.append(f'"doc":{java_string(field.doc)}')
        if field.has_default:
            parts.append(f'"default":{java_json(field.default)}')
        if field.order != "ascending":
            parts.append(f'"order":"{field.order}"')
        parts += self.aliases(field.aliases, space, qualify=False)
        parts += self.props(field.props)
        return "{" + ",".join(parts) + "}"


def canonical_string(schema: AvroSchema, *, known: Collection[str] = ()) -> str:
    """The registry's canonical string (Avro Java's compact `Schema.toString()`).

    `known`: types that come from schema references; like Avro's `toString(referencedSchemas)`,
    they are written by name, as a registry stores a schema that has references.
    """
    return _JavaWriter(schema, normalized=False, known=known).write(schema.root, None)


def normalized_string(schema: AvroSchema, *, known: Collection[str] = ()) -> str:
    """The `normalize=true` form: properties and aliases sorted, references by full name."""
    return _JavaWriter(schema, normalized=True, known=known).write(schema.root, None)


def parsing_canonical_form(schema: AvroSchema) -> str:
    """Avro's Parsing Canonical Form (specification, "Transforming into Parsing Canonical Form")."""
    written: set[str] = set()

    def pcf(avro_type: AvroType) -> str:
        if isinstance(avro_type, NamedRef):
            avro_type = schema.named[avro_type.fullname]
        if isinstance(avro_type, Primitive):
            return f'"{avro_type.type}"'
        if isinstance(avro_type, Array):
            return '{"type":"array","items":' + pcf(avro_type.items) + "}"
        if isinstance(avro_type, Map):
            return '{"type":"map","values":' + pcf(avro_type.values) + "}"
        if isinstance(avro_type, Union):
            return "[" + ",".join(pcf(b) for b in avro_type.branches) + "]"
        name = java_string(avro_type.fullname)
        if avro_type.fullname in written:
            return name
        written.add(avro_type.fullname)
        if isinstance(avro_type, Record):
            fields = ",".join(
                '{"name":' + java_string(f.name) + ',"type":' + pcf(f.type) + "}"
                for f in avro_type.fields
            )
            return '{"name":' + name + ',"type":"record","fields":[' + fields + "]}"
        if isinstance(avro_type, Enum):
            symbols = ",".join(java_string(s) for s in avro_type.symbols)
            return '{"name":' + name + ',"type":"enum","symbols":[' + symbols + "]}"
        return '{"name":' + name + ',"type":"fixed","size":' + str(avro_type.size) + "}"

    return pcf(schema.root)


def identity(schema: AvroSchema) -> Identity:
    return Identity(canonical_string(schema), parsing_canonical_form(schema))
