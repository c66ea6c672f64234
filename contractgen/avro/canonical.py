"""The identities of a schema (DESIGN.md §2).

- `canonical_string`: Avro Java's `Schema.toString()`, what registries de-duplicate on and print as
  `oldSchema`; docs, defaults, aliases and properties kept (COMPATIBILITY.md, "The canonical
  string").
- `normalized_string`: the form a registry compares with `normalize=true`.
- `parsing_canonical_form` and its fingerprints: what the wire depends on (Avro specification).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass

from contractgen.avro.jsontext import java_json, java_string
from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Identity,
    Location,
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


_BATCH = 4096
"""Pieces written before they are added to the text (at least: more as the text grows)."""


@dataclass(frozen=True, slots=True)
class Rebinding:
    """A reference in a written schema that Avro reads as another type than the one meant."""

    meant: str
    written: str
    read_as: str
    location: Location | None


class _JavaWriter:
    """Writes a schema as Avro Java's `toJson(names, gen)` does, in compact form.

    It also follows how Java's parser will read the text back (`ParseContext.find`: a short name
    is looked up in the enclosing namespace, then as written, among the types whose definitions
    are complete -- a record from the end of its fields -- else it is a placeholder for the name
    in the enclosing namespace) and notes every reference that would bind to another type. Java's
    `toString()` writes a null-namespace type by its bare name everywhere, so a schema re-rooted
    at a nested type (or composed from several files) can hit this; a schema Java parsed from one
    text and wrote back in the same order does not.
    With `reparsable`, a reference to a namespaced type that would rebind is written in full
    (`ns.T` cannot rebind); one to a null-namespace type has no other spelling and stays noted.
    """

    def __init__(
        self,
        schema: AvroSchema,
        *,
        normalized: bool,
        known: Collection[str],
        reparsable: bool = False,
        dry: bool = False,
        sink: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.schema = schema
        self.dry = dry
        self.sink = sink
        """Given the pieces at each flush instead of growing the text (`write_reparsable`)."""
        """Follow the references only (the rebindings), writing no text of the fields."""
        self.normalized = normalized
        self.reparsable = reparsable
        self.written: set[str] = set(known)
        self.complete: set[str] = set(known)
        self.rebindings: list[Rebinding] = []
        self.where: Location | None = None
        self.pieces: list[str] = []
        self.written_text = ""
        self.batch = _BATCH

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

    def text(self, root: AvroType) -> str:
        """The schema rooted at `root`."""
        self.write(root, None)
        self.flush()
        return self.written_text

    def flush(self) -> None:
        """Add the pieces written so far to the text. The text is grown in place (it has no
        other reference), so a big schema's text is not also held in pieces, or in the records'
        texts, while it is written: at most one text and a batch of pieces."""
        if self.dry or self.sink is not None:
            if self.sink is not None:
                self.sink(self.pieces)
            self.pieces.clear()
            return
        text, self.written_text = self.written_text, ""
        text += "".join(self.pieces)
        self.pieces.clear()
        self.batch = max(_BATCH, len(text) >> 6)  # geometric: few reallocations of the text
        self.written_text = text

    def write(self, avro_type: AvroType, space: str | None) -> None:
        out = self.pieces.append
        location = avro_type.location
        if isinstance(avro_type, NamedRef):
            avro_type = self.schema.named[avro_type.fullname]
        if isinstance(avro_type, Primitive):
            if self.dry:
                return
            if not avro_type.props:
                out(java_string(avro_type.type))
                return
            parts = [f'"type":{java_string(avro_type.type)}', *self.props(avro_type.props)]
            out("{" + ",".join(parts) + "}")
        elif isinstance(avro_type, Array):
            out('{"type":"array","items":')
            self.write(avro_type.items, space)
            out("".join("," + part for part in self.props(avro_type.props)) + "}")
        elif isinstance(avro_type, Map):
            out('{"type":"map","values":')
            self.write(avro_type.values, space)
            out("".join("," + part for part in self.props(avro_type.props)) + "}")
        elif isinstance(avro_type, Union):
            out("[")
            for index, branch in enumerate(avro_type.branches):
                if index:
                    out(",")
                self.write(branch, space)
            out("]")
        else:
            self.named(avro_type, space, location)

    def reference(self, fullname: str, space: str | None, location: Location | None) -> str:
        written = fullname if self.normalized else _relative(fullname, space)
        read_as = written
        if "." not in written and space:
            read_as = f"{space}.{written}"
            if read_as not in self.complete and written in self.complete:
                read_as = written
        if read_as != fullname:
            if self.reparsable and "." in fullname:
                return java_string(fullname)
            self.rebindings.append(Rebinding(fullname, written, read_as, location or self.where))
        return java_string(written)

    def named(self, named: NamedType, space: str | None, location: Location | None) -> None:
        out = self.pieces.append
        if named.fullname in self.written:
            out(self.reference(named.fullname, space, location))
            return
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
            out("{" + ",".join(parts) + ',"fields":[')
            for index, field in enumerate(named.fields):
                if index:
                    out(",")
                self.field(field, namespace)
                if len(self.pieces) > self.batch:
                    self.flush()
            parts = ["]"]
        elif isinstance(named, Enum):
            parts.append('"symbols":[' + ",".join(java_string(s) for s in named.symbols) + "]")
            if named.default is not None:
                parts.append(f'"default":{java_string(named.default)}')
        else:
            parts.append(f'"size":{named.size}')
        parts += self.props(named.props)
        parts += self.aliases(named.aliases, namespace, qualify=True)
        self.complete.add(named.fullname)
        if isinstance(named, Record):
            out("".join(parts[:1] + ["," + part for part in parts[1:]]) + "}")
        else:
            out("{" + ",".join(parts) + "}")

    def field(self, field: Field, space: str | None) -> None:
        out = self.pieces.append
        self.where = field.location
        if self.dry:
            self.write(field.type, space)
            return
        out('{"name":' + java_string(field.name) + ',"type":')
        self.write(field.type, space)
        parts = [f',"doc":{java_string(field.doc)}'] if field.doc is not None else []
        if field.has_default:
            parts.append(f',"default":{java_json(field.default)}')
        if field.order != "ascending":
            parts.append(f',"order":"{field.order}"')
        for part in [*self.aliases(field.aliases, space, qualify=False), *self.props(field.props)]:
            parts.append("," + part)
        parts.append("}")
        out("".join(parts))


def canonical_string(schema: AvroSchema, *, known: Collection[str] = ()) -> str:
    """The registry's canonical string (Avro Java's compact `Schema.toString()`).

    `known`: types that come from schema references; like Avro's `toString(referencedSchemas)`,
    they are written by name, as a registry stores a schema that has references.
    """
    return _JavaWriter(schema, normalized=False, known=known).text(schema.root)


def write_reparsable(schema: AvroSchema, sink: Callable[[list[str]], None]) -> list[Rebinding]:
    """Java's canonical string, except that a short name Avro would read back as another type
    is written in full; given to `sink` a batch of pieces at a time, never held whole (a generated
    record's AVRO_SCHEMA: the outermost record of a big schema is all of its text). For texts
    that are ours, not a registry's identity: the schema of a nested type on its own.

    Returns the references to a null-namespace type that no spelling lets Avro read back as meant
    (inside namespace `ns`, where `ns.T` is defined or `T` is not complete yet, `"T"` means
    `ns.T`). Empty: the text parses back to `schema`, in Java and fastavro.
    """
    writer = _JavaWriter(schema, normalized=False, known=(), reparsable=True, sink=sink)
    writer.write(schema.root, None)
    writer.flush()
    return writer.rebindings


def normalized_string(schema: AvroSchema, *, known: Collection[str] = ()) -> str:
    """The `normalize=true` form: properties and aliases sorted, references by full name."""
    return _JavaWriter(schema, normalized=True, known=known).text(schema.root)


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


def checked_identity(schema: AvroSchema) -> tuple[Identity, list[Rebinding]]:
    """The identities, and the references of the canonical string that Avro Java would read
    back as another type (or as an undefined name) when it parses the text again."""
    # The strings are made when first read (and kept then): `validate` reads neither, `check`
    # reads the canonical string once its baseline is loaded. Each is as long as the schema's
    # text; only the references are followed now.
    writer = _JavaWriter(schema, normalized=False, known=(), dry=True)
    writer.write(schema.root, None)
    text = functools.cache(functools.partial(canonical_string, schema))
    form = functools.cache(functools.partial(parsing_canonical_form, schema))
    return Identity(text, form), writer.rebindings


def identity(schema: AvroSchema) -> Identity:
    return checked_identity(schema)[0]
