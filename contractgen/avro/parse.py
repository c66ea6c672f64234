"""Avro schema JSON → IR, deciding exactly what Avro Java 1.12's `Schema.Parser` decides.

Two modes, as a registry has them: `strict` (new schemas: valid names, valid defaults) and lenient
(stored schemas: a registry must read whatever it already holds). The parse follows Java's order,
because the order decides how names bind: a named type is known from the end of its definition
(a record only after its fields), a name not known yet is a placeholder resolved when the whole
text is read, and a short name is looked up in the enclosing namespace and then as written.
Every problem is collected with its `file:line:col`, so the user sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from contractgen.avro import names
from contractgen.avro.defaults import (
    INVALID_DEFAULT,
    PendingDefault,
    is_valid_default,
    short_value,
)
from contractgen.avro.gcpause import collector_paused
from contractgen.avro.jattrs import INVALID_NAME, AttributeReader, Object
from contractgen.avro.jnodes import (
    PLAIN,
    JArray,
    JEnum,
    JExternal,
    JField,
    JFixed,
    JMap,
    JPrimitive,
    JRecord,
    JRef,
    JType,
    JUnion,
    java_equal,
)
from contractgen.avro.jresolve import (
    INVALID_SCHEMA,
    JavaResolution,
    resolve_parse,
    valid_at_parse,
)
from contractgen.avro.jsontext import java_parse_double
from contractgen.avro.positions import SourceText, TextLocation
from contractgen.avro.resolve import self_contained
from contractgen.diagnostics import ContractError
from contractgen.ir.model import (
    AvroSchema,
    AvroType,
    JsonValue,
    NamedRef,
    NamedType,
)

DUPLICATE_DEFINITION = "AVRO003"

_SCHEMA_RESERVED = frozenset(
    ("doc", "fields", "items", "name", "namespace", "size", "symbols", "values", "type", "aliases")
)
_ENUM_RESERVED = _SCHEMA_RESERVED | {"default"}
_FIELD_RESERVED = frozenset(("default", "doc", "name", "order", "type", "aliases"))
_ORDERS = ("ASCENDING", "DESCENDING", "IGNORE")
_ORDER = {order.lower(): order.lower() for order in _ORDERS}
"""One string per order, kept by every field (`lower()` makes a new one per call; the odd
spelling whose `upper()` is an order but whose `lower()` is not is kept as written)."""
_MAX_FIXED_SIZE = 2**31 - 1 - 8  # SystemLimitException's default maximum bytes length
_INT32 = range(-(2**31), 2**31)
_BIG_TEXT = 1 << 20
"""A document this big lets its JSON go once parsed, as memory counts more than reading it again."""


@dataclass(slots=True)
class ParsedFile:
    """One schema document parsed: its root type and the named types it defines."""

    source: SourceText
    root: AvroType
    defined: dict[str, NamedType]
    defaults: list[PendingDefault] = field(default_factory=list)


class _Parser(AttributeReader):
    def __init__(
        self,
        source: SourceText,
        *,
        strict: bool,
        external: Collection[str],
        check_external: Callable[[str, JsonValue], bool] | None,
    ) -> None:
        super().__init__(strict)
        self.source = source
        self.consume = False
        """Let each field's JSON go once parsed (the JSON is dropped after the parse)."""
        self.external = external
        self.check_external = check_external
        self.registered: dict[str, JRecord | JEnum | JFixed] = {}
        self.refs: list[JRef] = []
        self.unions: list[JUnion] = []
        self.plain_unions: dict[tuple[str, ...], JUnion] = {}
        self.indexes: list[int] = []
        """0, 1, 2...: one int object per position, shared by the fields of every record (an
        int past 256 is an object of its own, kept by each field's location)."""

    def parse(self, node: JsonValue, where: TextLocation, space: str | None) -> JType:
        if isinstance(node, str):
            return self.find(node, where, space)
        if isinstance(node, list):
            return self.union(node, where, space)
        if not isinstance(node, dict):
            return self.problem(
                INVALID_SCHEMA,
                f"a schema must be a type name, an object or a union array, not {node!r}",
                where,
            )
        kind = node.get("type")
        if not isinstance(kind, str):
            return self.problem(
                INVALID_SCHEMA,
                'a schema object needs a "type" that is a type name; a nested type object or '
                "union goes in a field's type, not in another type's \"type\"",
                where,
            )
        if names.is_primitive(kind):
            props = self.props(node, _SCHEMA_RESERVED, where, copied=False)
            # the shared name: the JSON's is a new string per use, kept by the node
            return JPrimitive(PLAIN[kind].type, props, where) if props else PLAIN[kind]
        if kind in ("record", "error"):
            return self.record(node, where, space, is_error=kind == "error")
        if kind == "enum":
            return self.enum(node, where, space)
        if kind == "fixed":
            return self.fixed(node, where, space)
        if kind in ("array", "map"):
            key = "items" if kind == "array" else "values"
            if key not in node:
                return self.problem(INVALID_SCHEMA, f'{kind} type has no "{key}"', where)
            child = self.parse(node[key], where.child(key), space)
            props = self.props(node, _SCHEMA_RESERVED, where, copied=True)
            return JArray(child, props, where) if kind == "array" else JMap(child, props, where)
        return self.find(kind, where.child("type"), space)

    def find(self, name: str, where: TextLocation, space: str | None) -> JType:
        """Java's `ParseContext.find`: the enclosing namespace first, then the name as written."""
        if names.is_primitive(name):
            return PLAIN[name]
        full = f"{space}.{name}" if space and "." not in name else name
        for candidate in (full, name):
            if candidate in self.registered:
                return self.registered[candidate]
            if candidate in self.external:
                return JExternal(candidate, where)
        ref = JRef(full, where, name)
        self.refs.append(ref)
        return ref

    def union(self, branches: list[JsonValue], where: TextLocation, space: str | None) -> JType:
        parsed = [self.parse(b, where.child(i), space) for i, b in enumerate(branches)]
        if all(isinstance(b, JPrimitive) and b.where is None for b in parsed):
            names = tuple(b.type for b in parsed)  # type: ignore[union-attr]
            if len(set(names)) == len(names):  # nothing to report about it, now or later
                return self.plain_unions.setdefault(names, JUnion(parsed, None))
        union = JUnion(parsed, where)
        for index, branch in enumerate(union.branches):
            if isinstance(branch, JUnion):
                self.problem(
                    INVALID_SCHEMA, "a union cannot directly contain a union", where.child(index)
                )
        self.unions.append(union)
        return union

    def register(self, named: JRecord | JEnum | JFixed) -> None:
        """Java's `ParseContext.put`: a full name once; an equal redefinition is allowed."""
        first = self.registered.setdefault(named.fullname, named)
        if first is not named and not java_equal(first, named):
            self.problem(
                DUPLICATE_DEFINITION,
                f"{named.fullname!r} is defined twice differently; refer to it by name after its "
                "first definition",
                named.where.child("name"),
            )

    def record(
        self, node: Object, where: TextLocation, space: str | None, *, is_error: bool
    ) -> JType:
        full = self.name(node, where, space)
        raw_fields = node.get("fields")
        if not isinstance(raw_fields, list):
            return self.problem(INVALID_SCHEMA, 'a record needs a "fields" array', where)
        if full is None:
            return JPrimitive("null", (), where)
        inner = full.rpartition(".")[0] or None
        fields: list[JField] = []
        seen: set[str] = set()
        fields_at = where.child("fields")
        if len(self.indexes) < len(raw_fields):
            self.indexes += range(len(self.indexes), len(raw_fields))
        for index, raw in zip(self.indexes, raw_fields, strict=False):
            parsed = self.field(raw, fields_at.child(index), inner)
            if self.consume:
                raw_fields[index] = None
            if parsed is None:
                continue
            if parsed.name in seen:
                self.problem(INVALID_SCHEMA, f"duplicate field {parsed.name!r}", parsed.where)
            seen.add(parsed.name)
            fields.append(parsed)
        props = self.props(node, _SCHEMA_RESERVED, where, copied=True)
        doc = _text(node.get("doc"))
        aliases = self.type_aliases(node, where, full)
        record = JRecord(full, doc, props, aliases, where, is_error, fields)
        self.register(record)
        return record

    def field(self, raw: JsonValue, where: TextLocation, space: str | None) -> JField | None:
        name = raw.get("name") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(name, str):
            self.problem(INVALID_SCHEMA, 'a field must be an object with a "name"', where)
            return None
        if "type" not in raw:
            self.problem(INVALID_SCHEMA, f'field {name!r} has no "type"', where)
            return None
        field_type = self.parse(raw["type"], where.child("type"), space)
        order = raw.get("order", "ascending")
        if order != "ascending" and (not isinstance(order, str) or order.upper() not in _ORDERS):
            self.problem(
                INVALID_SCHEMA,
                f"field {name!r} has order {order!r}; use ascending, descending or ignore",
                where.child("order"),
            )
            order = "ascending"
        default = raw.get("default")
        is_float = isinstance(field_type, JPrimitive) and field_type.type in ("float", "double")
        if is_float and isinstance(default, str):
            # Java reads a string default of a float field as a number (`Double.parseDouble`).
            number = java_parse_double(default)
            if number is None:
                self.problem(
                    INVALID_SCHEMA,
                    f"default {default!r} of field {name!r} is not a number",
                    where.child("default"),
                )
            default = number
        self.validate(name, "field name", where, "name")
        parsed = JField(
            name,
            field_type,
            _text(raw.get("doc")),
            "default" in raw,
            default,
            _ORDER.get(lower := order.lower(), lower),
            tuple(dict.fromkeys(aliases)) if (aliases := self.aliases(raw, where)) else (),
            self.props(raw, _FIELD_RESERVED, where, copied=False),
            where,
        )
        check = self.check_external
        needs_check = self.strict and parsed.has_default and check is not None
        if needs_check and not valid_at_parse(field_type, default, check):  # type: ignore[arg-type]
            self.invalid_default(parsed)
        return parsed

    def invalid_default(self, parsed: JField) -> None:
        self.problem(
            INVALID_DEFAULT,
            f"default {short_value(parsed.default)} of field {parsed.name!r} does not match its "
            "type; give a default of the field's type (for a union, of one of its branches)",
            parsed.where.child("default"),
        )

    def enum(self, node: Object, where: TextLocation, space: str | None) -> JType:
        full = self.name(node, where, space)
        symbols = node.get("symbols")
        if not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols):
            return self.problem(INVALID_SCHEMA, 'an enum needs a "symbols" array of strings', where)
        if full is None:
            return JPrimitive("null", (), where)
        texts = tuple(str(s) for s in symbols)
        for index, symbol in enumerate(texts):
            at = where.child("symbols").child(index)
            if self.strict and not names.is_valid_name(symbol):
                self.problem(INVALID_NAME, f"invalid enum symbol {symbol!r}", at)
            if symbol in texts[:index]:
                self.problem(INVALID_SCHEMA, f"duplicate enum symbol {symbol!r}", at)
        default = node.get("default")
        default = default if isinstance(default, str) else None  # Java ignores a non-string one
        if default is not None and default not in texts:
            self.problem(
                INVALID_SCHEMA,
                f"enum default {default!r} is not one of its symbols {list(texts)}",
                where.child("default"),
            )
        props = self.props(node, _ENUM_RESERVED, where, copied=False)
        aliases = self.type_aliases(node, where, full)
        enum = JEnum(full, _text(node.get("doc")), props, aliases, where, texts, default)
        self.register(enum)
        return enum

    def fixed(self, node: Object, where: TextLocation, space: str | None) -> JType:
        full = self.name(node, where, space)
        size = node.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size not in _INT32:
            return self.problem(INVALID_SCHEMA, 'a fixed type needs an integer "size"', where)
        if not 0 <= size <= _MAX_FIXED_SIZE:
            return self.problem(
                INVALID_SCHEMA, f"fixed size {size} is out of range", where.child("size")
            )
        if full is None:
            return JPrimitive("null", (), where)
        props = self.props(node, _SCHEMA_RESERVED, where, copied=False)
        aliases = self.type_aliases(node, where, full)
        fixed = JFixed(full, _text(node.get("doc")), props, aliases, where, size)
        self.register(fixed)
        return fixed


def _text(value: JsonValue) -> str | None:
    return value if isinstance(value, str) else None


def _run(
    source: SourceText,
    strict: bool,
    external: Collection[str],
    check_external: Callable[[str, JsonValue], bool] | None,
    keep_value: bool = True,
) -> JavaResolution:
    parser = _Parser(source, strict=strict, external=external, check_external=check_external)
    parser.consume = not keep_value
    where = source.location("")
    try:
        root = parser.parse(source.value, where, None)
        # the root has no parent to be located by
        if isinstance(root, JPrimitive) and root.where is None:
            root = JPrimitive(root.type, (), where)
        elif isinstance(root, JUnion) and root.where is None:
            root = JUnion(root.branches, where)
    finally:
        if not keep_value:  # the IR is built from the parse nodes (and `consume` changed it)
            source.drop_value()
    resolution = resolve_parse(
        root,
        parser.registered,
        parser.refs,
        parser.unions,
        source,
        external=external,
        # Java stops at its first exception: a default refused while parsing is not refused again
        check_external=check_external if strict and not parser.problems else None,
    )
    problems = parser.problems + resolution.problems
    if problems:
        raise ContractError(problems)
    return resolution


def parse_document(
    source: SourceText, *, strict: bool = True, external: Collection[str] = ()
) -> ParsedFile:
    """Parse one document. `external` names types defined elsewhere that it may use by name.

    Raises ContractError with every structural problem. Strict: defaults are checked as Java
    checks them in one text; what they hold of other documents' types, once all are parsed.
    """
    later = _accept_for_now if strict else None
    with collector_paused():
        resolution = _run(source, strict, external, later, source.positions.length < _BIG_TEXT)
    return ParsedFile(source, resolution.root, resolution.defined, resolution.defaults)


def _accept_for_now(fullname: str, value: JsonValue) -> bool:
    return True  # `contractgen.avro.defaults` checks it once every document is parsed


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

    def check_external(fullname: str, value: JsonValue) -> bool:
        return is_valid_default(NamedRef(fullname), value, references)

    with collector_paused():
        source = SourceText.parse(file, text)
        resolution = _run(source, strict, references, check_external, keep_value=False)
        return self_contained(resolution.root, {**references, **resolution.defined})
