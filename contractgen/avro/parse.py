"""Avro schema JSON → IR, as Avro Java's `Schema.Parser` reads it, with a location on every node.

Two modes, as a registry has them: `strict` (new schemas: names must be valid, defaults must match
their type) and lenient (stored schemas: a registry must read whatever it already holds).
Every problem is collected with its `file:line:col`, so the user sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from contractgen.avro import names
from contractgen.avro.defaults import PendingDefault, default_problems
from contractgen.avro.positions import SourceText
from contractgen.avro.resolve import self_contained
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Fixed,
    JsonValue,
    Map,
    NamedRef,
    NamedType,
    Primitive,
    Props,
    Record,
    Union,
)

UNKNOWN_TYPE = "AVRO002"
INVALID_SCHEMA = "AVRO006"
INVALID_NAME = "AVRO005"
DUPLICATE_DEFINITION = "AVRO003"

_SCHEMA_RESERVED = frozenset(
    ("doc", "fields", "items", "name", "namespace", "size", "symbols", "values", "type", "aliases")
)
_ENUM_RESERVED = _SCHEMA_RESERVED | {"default"}
_FIELD_RESERVED = frozenset(("default", "doc", "name", "order", "type", "aliases"))
_ORDERS = ("ascending", "descending", "ignore")


@dataclass(slots=True)
class ParsedFile:
    """One schema document parsed: its root type and the named types it defines."""

    source: SourceText
    root: AvroType
    defined: dict[str, NamedType]
    defaults: list[PendingDefault] = field(default_factory=list)


class _Parser:
    def __init__(self, source: SourceText, *, strict: bool, external: Collection[str]) -> None:
        self.source = source
        self.strict = strict
        self.external = external
        self.defined: dict[str, NamedType] = {}
        self.started: set[str] = set()
        self.defaults: list[PendingDefault] = []
        self.problems: list[Diagnostic] = []

    def problem(self, code: str, message: str, pointer: str) -> Primitive:
        self.problems.append(Diagnostic(code, message, self.source.location(pointer)))
        return Primitive("null")

    def parse(self, node: JsonValue, pointer: str, space: str | None) -> AvroType:
        if isinstance(node, str):
            return self.reference(node, pointer, space)
        if isinstance(node, list):
            return self.union(node, pointer, space)
        if not isinstance(node, dict):
            return self.problem(
                INVALID_SCHEMA,
                f"a schema must be a type name, an object or a union array, not {node!r}",
                pointer,
            )
        kind = node.get("type")
        if kind is None:
            return self.problem(INVALID_SCHEMA, 'this schema object has no "type"', pointer)
        if isinstance(kind, (dict, list)):
            return self.parse(kind, f"{pointer}/type", space)
        if not isinstance(kind, str):
            return self.problem(INVALID_SCHEMA, f'"type" must be a string, not {kind!r}', pointer)
        loc = self.source.location(pointer)
        if names.is_primitive(kind):
            return Primitive(kind, _props(node, _SCHEMA_RESERVED), loc)  # type: ignore[arg-type]
        if kind in ("record", "error"):
            return self.record(node, pointer, space, is_error=kind == "error")
        if kind == "enum":
            return self.enum(node, pointer, space)
        if kind == "fixed":
            return self.fixed(node, pointer, space)
        if kind == "array":
            if "items" not in node:
                return self.problem(INVALID_SCHEMA, 'array type has no "items"', pointer)
            items = self.parse(node["items"], f"{pointer}/items", space)
            return Array(items, _props(node, _SCHEMA_RESERVED), loc)
        if kind == "map":
            if "values" not in node:
                return self.problem(INVALID_SCHEMA, 'map type has no "values"', pointer)
            values = self.parse(node["values"], f"{pointer}/values", space)
            return Map(values, _props(node, _SCHEMA_RESERVED), loc)
        return self.reference(kind, f"{pointer}/type", space)

    def reference(self, name: str, pointer: str, space: str | None) -> AvroType:
        loc = self.source.location(pointer)
        if names.is_primitive(name):
            return Primitive(name, (), loc)  # type: ignore[arg-type]
        for candidate in (names.make_fullname(name, space), name):
            if candidate in self.started or candidate in self.external:
                return NamedRef(candidate, loc)
        return self.problem(
            UNKNOWN_TYPE,
            f"unknown type {name!r}: define it before use, or write its full name "
            "(namespace.Name) if it is defined in another namespace",
            pointer,
        )

    def union(self, branches: list[JsonValue], pointer: str, space: str | None) -> AvroType:
        parsed: list[AvroType] = []
        seen: set[str] = set()
        for index, branch in enumerate(branches):
            where = f"{pointer}/{index}"
            avro_type = self.parse(branch, where, space)
            if isinstance(avro_type, Union):
                self.problem(INVALID_SCHEMA, "a union cannot directly contain a union", where)
            key = _union_key(avro_type)
            if key in seen:
                self.problem(INVALID_SCHEMA, f"duplicate type {key!r} in union", where)
            seen.add(key)
            parsed.append(avro_type)
        return Union(tuple(parsed), self.source.location(pointer))

    def define(self, node: dict[str, JsonValue], pointer: str, space: str | None) -> str | None:
        """Validate and register a named type's name; its full name, or None when unusable."""
        name = node.get("name")
        if not isinstance(name, str) or not name:
            self.problem(INVALID_SCHEMA, 'a named type needs a non-empty "name"', pointer)
            return None
        explicit = node.get("namespace")
        explicit_ns = explicit if isinstance(explicit, str) else None
        namespace = names.namespace_of(name, explicit_ns, space)
        fullname = names.make_fullname(name.rpartition(".")[2], namespace)
        if self.strict and not names.is_valid_fullname(fullname):
            self.problem(
                INVALID_NAME,
                f"invalid name {fullname!r}: every part must match [A-Za-z_][A-Za-z0-9_]*",
                f"{pointer}/name",
            )
        if fullname in self.started:
            self.problem(
                DUPLICATE_DEFINITION,
                f"{fullname!r} is defined twice in this schema; "
                "refer to it by name after its first definition",
                f"{pointer}/name",
            )
        self.started.add(fullname)
        return fullname

    def aliases(self, node: dict[str, JsonValue], pointer: str) -> tuple[str, ...]:
        raw = node.get("aliases")
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            self.problem(INVALID_SCHEMA, '"aliases" must be an array of strings', pointer)
            return ()
        return tuple(str(a) for a in raw)

    def record(
        self, node: dict[str, JsonValue], pointer: str, space: str | None, *, is_error: bool
    ) -> AvroType:
        fullname = self.define(node, pointer, space)
        raw_fields = node.get("fields")
        if not isinstance(raw_fields, list):
            return self.problem(INVALID_SCHEMA, 'a record needs a "fields" array', pointer)
        if fullname is None:
            return Primitive("null")
        inner = fullname.rpartition(".")[0] or None
        fields: list[Field] = []
        field_names: set[str] = set()
        for index, raw in enumerate(raw_fields):
            where = f"{pointer}/fields/{index}"
            parsed = self.field(raw, where, inner)
            if parsed is None:
                continue
            if parsed.name in field_names:
                self.problem(INVALID_SCHEMA, f"duplicate field {parsed.name!r}", where)
            field_names.add(parsed.name)
            fields.append(parsed)
        namespace = inner
        record = Record(
            fullname,
            tuple(fields),
            doc=_text(node.get("doc")),
            aliases=tuple(names.make_fullname(a, namespace) for a in self.aliases(node, pointer)),
            props=_props(node, _SCHEMA_RESERVED),
            is_error=is_error,
            location=self.source.location(pointer),
        )
        self.defined[fullname] = record
        return record

    def field(self, raw: JsonValue, pointer: str, space: str | None) -> Field | None:
        if not isinstance(raw, dict):
            self.problem(INVALID_SCHEMA, "a field must be an object", pointer)
            return None
        name = raw.get("name")
        if not isinstance(name, str):
            self.problem(INVALID_SCHEMA, 'a field needs a "name"', pointer)
            return None
        if self.strict and not names.is_valid_name(name):
            self.problem(
                INVALID_NAME,
                f"invalid field name {name!r}: it must match [A-Za-z_][A-Za-z0-9_]*",
                f"{pointer}/name",
            )
        if "type" not in raw:
            self.problem(INVALID_SCHEMA, f'field {name!r} has no "type"', pointer)
            return None
        field_type = self.parse(raw["type"], f"{pointer}/type", space)
        order = raw.get("order", "ascending")
        if order not in _ORDERS:
            self.problem(
                INVALID_SCHEMA,
                f"field {name!r} has order {order!r}; use ascending, descending or ignore",
                f"{pointer}/order",
            )
            order = "ascending"
        has_default = "default" in raw
        location = self.source.location(pointer)
        if has_default:
            self.defaults.append(
                PendingDefault(
                    name, field_type, raw["default"], self.source.location(f"{pointer}/default")
                )
            )
        return Field(
            name,
            field_type,
            doc=_text(raw.get("doc")),
            has_default=has_default,
            default=raw.get("default"),
            order=order,  # type: ignore[arg-type]
            aliases=self.aliases(raw, pointer),
            props=_props(raw, _FIELD_RESERVED),
            location=location,
        )

    def enum(self, node: dict[str, JsonValue], pointer: str, space: str | None) -> AvroType:
        fullname = self.define(node, pointer, space)
        symbols = node.get("symbols")
        if not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols):
            return self.problem(
                INVALID_SCHEMA, 'an enum needs a "symbols" array of strings', pointer
            )
        if fullname is None:
            return Primitive("null")
        texts = tuple(str(s) for s in symbols)
        for index, symbol in enumerate(texts):
            if self.strict and not names.is_valid_name(symbol):
                self.problem(
                    INVALID_NAME, f"invalid enum symbol {symbol!r}", f"{pointer}/symbols/{index}"
                )
            if symbol in texts[:index]:
                self.problem(
                    INVALID_SCHEMA,
                    f"duplicate enum symbol {symbol!r}",
                    f"{pointer}/symbols/{index}",
                )
        default = node.get("default")
        if default is not None and default not in texts:
            self.problem(
                INVALID_SCHEMA,
                f"enum default {default!r} is not one of its symbols {list(texts)}",
                f"{pointer}/default",
            )
        namespace = fullname.rpartition(".")[0] or None
        enum = Enum(
            fullname,
            texts,
            doc=_text(node.get("doc")),
            default=default if isinstance(default, str) else None,
            aliases=tuple(names.make_fullname(a, namespace) for a in self.aliases(node, pointer)),
            props=_props(node, _ENUM_RESERVED),
            location=self.source.location(pointer),
        )
        self.defined[fullname] = enum
        return enum

    def fixed(self, node: dict[str, JsonValue], pointer: str, space: str | None) -> AvroType:
        fullname = self.define(node, pointer, space)
        size = node.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            return self.problem(
                INVALID_SCHEMA, 'a fixed type needs a non-negative integer "size"', pointer
            )
        if fullname is None:
            return Primitive("null")
        namespace = fullname.rpartition(".")[0] or None
        fixed = Fixed(
            fullname,
            size,
            doc=_text(node.get("doc")),
            aliases=tuple(names.make_fullname(a, namespace) for a in self.aliases(node, pointer)),
            props=_props(node, _SCHEMA_RESERVED),
            location=self.source.location(pointer),
        )
        self.defined[fullname] = fixed
        return fixed


def _union_key(avro_type: AvroType) -> str:
    if isinstance(avro_type, (Record, Enum, Fixed, NamedRef)):
        return avro_type.fullname
    if isinstance(avro_type, Primitive):
        return avro_type.type
    return type(avro_type).__name__.lower()


def _text(value: JsonValue) -> str | None:
    return value if isinstance(value, str) else None


def _props(node: dict[str, JsonValue], reserved: frozenset[str]) -> Props:
    return tuple((key, value) for key, value in node.items() if key not in reserved)


def parse_document(
    source: SourceText, *, strict: bool = True, external: Collection[str] = ()
) -> ParsedFile:
    """Parse one document. `external` names types defined elsewhere that it may use by name.

    Raises ContractError with every structural problem. Defaults are not validated here: they
    may use types from other documents (see `contractgen.avro.defaults`).
    """
    parser = _Parser(source, strict=strict, external=external)
    root = parser.parse(source.value, "", None)
    if parser.problems:
        raise ContractError(parser.problems)
    return ParsedFile(source, root, parser.defined, parser.defaults)


def parse_schema(
    text: str,
    *,
    file: str = "<schema>",
    strict: bool = True,
    named: Mapping[str, NamedType] | None = None,
) -> AvroSchema:
    """Parse one self-contained schema, as a registry parses a schema it is given.

    `named`: types defined by schema references, usable by name. Strict mode also validates
    every default against its type. Raises ContractError.
    """
    references = dict(named or {})
    parsed = parse_document(SourceText.parse(file, text), strict=strict, external=references)
    table = {**references, **parsed.defined}
    if strict:
        problems = default_problems(parsed.defaults, table)
        if problems:
            raise ContractError(problems)
    return self_contained(parsed.root, table)
