"""The end of Avro Java's parse: placeholders resolved, defaults re-checked, then the IR.

After reading the whole text Java resolves every placeholder by full name ("Undefined schema"
otherwise), rebuilds each union (so two names that turn out to be one type are a duplicate), and
clones every record with `SchemaResolver.ResolvingVisitor`. In strict mode the clone re-validates
each field default against the resolved types *while the clones are being built*: a default that
reaches a record whose clone has no fields yet makes Java throw ("Schema fields not set yet"). The
walk below follows `Schemas.visit`'s order (fields first to last, union branches last to first) so
that exactly those defaults are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, cast

from contractgen.avro.defaults import INVALID_DEFAULT, PendingDefault, valid_primitive
from contractgen.avro.jnodes import (
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
)
from contractgen.avro.positions import SourceText
from contractgen.diagnostics import Diagnostic
from contractgen.ir.model import (
    PRIMITIVE_NAMES,
    Array,
    AvroType,
    Enum,
    Field,
    Fixed,
    JsonValue,
    Map,
    NamedRef,
    NamedType,
    Primitive,
    Record,
    Union,
)

UNKNOWN_TYPE = "AVRO002"
INVALID_SCHEMA = "AVRO006"

Order: TypeAlias = Literal["ascending", "descending", "ignore"]
ExternalCheck = Callable[[str, JsonValue], bool]
_Registered = Mapping[str, JRecord | JEnum | JFixed]
_PLAIN: dict[str, Primitive] = {name: Primitive(name) for name in PRIMITIVE_NAMES}  # type: ignore[arg-type]
"""A plain primitive where a type is used: one object per name, located by its parent (a big
schema has one per field; `contractgen.compat.locate` derives where it is written). So is a
union of them (`["null", "long"]`), one per branch list in a document."""


class _FieldsNotSetError(Exception):
    """Java's `AvroRuntimeException: Schema fields not set yet`."""


def _valid(
    t: JType,
    value: JsonValue,
    target: Callable[[JRef], JType | None],
    check_external: ExternalCheck,
    unfinished: Callable[[JRecord], bool],
) -> bool:
    """Java's `Schema.isValidDefault`; `target` resolves a placeholder (None: an empty record)."""
    while isinstance(t, JRef):
        resolved = target(t)
        if resolved is None:
            return isinstance(value, dict)
        t = resolved
    if isinstance(t, JExternal):
        return check_external(t.fullname, value)
    if isinstance(t, JPrimitive):
        return valid_primitive(t.type, value)
    if isinstance(t, JEnum | JFixed):
        return isinstance(value, str)
    if isinstance(t, JArray):
        return isinstance(value, list) and all(
            _valid(t.items, v, target, check_external, unfinished) for v in value
        )
    if isinstance(t, JMap):
        return isinstance(value, dict) and all(
            _valid(t.values, v, target, check_external, unfinished) for v in value.values()
        )
    if isinstance(t, JUnion):
        return any(_valid(b, value, target, check_external, unfinished) for b in t.branches)
    if not isinstance(value, dict):
        return False
    if unfinished(t):
        raise _FieldsNotSetError
    for f in t.fields:
        if f.name in value:
            given = value[f.name]
        elif f.has_default:
            given = f.default
        else:
            return False
        if not _valid(f.type, given, target, check_external, unfinished):
            return False
    return True


def valid_at_parse(t: JType, value: JsonValue, check_external: ExternalCheck) -> bool:
    """A default as Java's `Field` constructor checks it: placeholders are empty records."""
    return _valid(t, value, lambda ref: None, check_external, lambda record: False)


@dataclass(slots=True)
class JavaResolution:
    root: AvroType
    defined: dict[str, NamedType]
    defaults: list[PendingDefault] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


class _Resolver:
    def __init__(self, registered: _Registered, source: SourceText) -> None:
        self.registered = registered
        self.source = source
        self.problems: list[Diagnostic] = []
        self.defined: dict[str, NamedType] = {}
        self.defaults: list[PendingDefault] = []
        self.state: dict[int, bool] = {}
        """id(record) → its clone has fields (True) or is being built (False)."""
        self.plain_unions: dict[tuple[AvroType, ...], Union] = {}

    def problem(self, code: str, message: str, pointer: str) -> None:
        self.problems.append(Diagnostic(code, message, self.source.location(pointer)))

    def target(self, ref: JRef) -> JRecord | JEnum | JFixed | None:
        return self.registered.get(ref.fullname)

    # -- Java's ResolvingVisitor, for the defaults it re-validates ---------------------------
    def visit(self, start: JType, check_external: ExternalCheck) -> None:
        visited: set[int] = set()
        stack: list[JType | tuple[JRecord]] = [start]
        while stack and not self.problems:
            node = stack.pop()
            if isinstance(node, tuple):
                self.finish(node[0], check_external)
                continue
            if not isinstance(node, JRecord | JRef | JArray | JMap | JUnion) or id(node) in visited:
                continue
            visited.add(id(node))
            if isinstance(node, JRef):
                resolved = self.target(node)
                if isinstance(resolved, JRecord) and id(resolved) not in self.state:
                    self.visit(resolved, check_external)
            elif isinstance(node, JRecord):
                self.state.setdefault(id(node), False)
                stack.append((node,))
                stack.extend(f.type for f in reversed(node.fields))
            elif isinstance(node, JUnion):
                stack.extend(node.branches)
            else:
                stack.append(node.items if isinstance(node, JArray) else node.values)

    def finish(self, record: JRecord, check_external: ExternalCheck) -> None:
        if self.state[id(record)]:
            return
        for f in record.fields:
            if not f.has_default:
                continue
            try:
                ok = _valid(
                    f.type,
                    f.default,
                    self.target,
                    check_external,
                    lambda r: not self.state.get(id(r)),
                )
            except (_FieldsNotSetError, RecursionError):  # Java: an exception, or a stack overflow
                ok = False
            if not ok:
                self.invalid_default(f)
                return  # Java stops at the first refusal; later records are never cloned
        self.state[id(record)] = True

    def invalid_default(self, f: JField) -> None:
        self.problem(
            INVALID_DEFAULT,
            f"default of field {f.name!r} does not match its type once every name is resolved "
            "(Avro refuses a record default that reaches a record still being defined)",
            f"{f.pointer}/default",
        )

    # -- the IR -----------------------------------------------------------------------------
    def convert(self, t: JType) -> AvroType:
        loc = t.where
        if isinstance(t, JRef):
            resolved = self.target(t)
            if resolved is None:
                return NamedRef(t.fullname, loc)
            t = resolved
        if isinstance(t, JExternal):
            return NamedRef(t.fullname, loc)
        if isinstance(t, JPrimitive):
            if loc is None:
                return _PLAIN[t.type]
            return Primitive(t.type, t.props, loc)  # type: ignore[arg-type]
        if isinstance(t, JArray):
            return Array(self.convert(t.items), t.props, loc)
        if isinstance(t, JMap):
            return Map(self.convert(t.values), t.props, loc)
        if isinstance(t, JUnion):
            branches = tuple(self.convert(b) for b in t.branches)
            if loc is None:  # `["null", "long"]`: one object for all its uses, as in the parse
                return self.plain_unions.setdefault(branches, Union(branches))
            return Union(branches, loc)
        if t.fullname in self.defined:
            return NamedRef(t.fullname, loc)
        where = t.where
        if isinstance(t, JEnum):
            definition: NamedType = Enum(
                t.fullname, t.symbols, t.doc, t.default, t.aliases, t.props, where
            )
        elif isinstance(t, JFixed):
            definition = Fixed(t.fullname, t.size, t.doc, t.aliases, t.props, where)
        else:
            self.defined[t.fullname] = Record(t.fullname, (), location=where)  # reserve the name
            fields = self.convert_fields(t)
            definition = Record(t.fullname, fields, t.doc, t.aliases, t.props, t.is_error, where)
        self.defined[t.fullname] = definition
        return definition

    def convert_fields(self, record: JRecord) -> tuple[Field, ...]:
        """The record's fields as IR, each parse node let go once converted: the parse graph and
        the IR are not both whole at once. A record's fields are converted once (later uses
        are references), and the parse graph is not read after the IR is built."""
        pending = record.fields
        record.fields = []
        pending.reverse()
        converted: list[Field] = []
        while pending:
            converted.append(self.convert_field(pending.pop()))
        return tuple(converted)

    def convert_field(self, f: JField) -> Field:
        converted = Field(
            f.name,
            self.convert(f.type),
            f.doc,
            f.has_default,
            f.default,
            cast(Order, f.order),
            f.aliases,
            f.props,
            f.where,
        )
        if f.has_default:
            self.defaults.append(converted)
        return converted


def _union_key(t: JType, registered: _Registered) -> str | None:
    if isinstance(t, JRef):
        return t.fullname if t.fullname in registered else None
    if isinstance(t, JPrimitive):
        return t.type
    if isinstance(t, JArray | JMap):
        return "array" if isinstance(t, JArray) else "map"
    if isinstance(t, JUnion):
        return None
    return t.fullname


def resolve_parse(
    root: JType,
    registered: _Registered,
    refs: list[JRef],
    unions: list[JUnion],
    source: SourceText,
    *,
    external: Collection[str] = (),
    check_external: ExternalCheck | None = None,
) -> JavaResolution:
    """Resolve placeholders as Java does at the end of a parse, then build the IR.

    The parse graph is consumed: `refs` and `unions` are emptied and records lose their fields
    as the IR is built, so the two are not whole in memory at once."""
    resolver = _Resolver(registered, source)
    if isinstance(root, JRef):
        resolver.problem(
            UNKNOWN_TYPE, f"the schema is only the name {root.written!r}: give its definition", ""
        )
    for ref in refs:
        if ref.fullname not in registered and ref.fullname not in external:
            resolver.problem(
                UNKNOWN_TYPE,
                f"unknown type {ref.written!r} (looked up as {ref.fullname!r}): define it, or "
                "write its full name (namespace.Name) if it is defined in another namespace",
                ref.pointer,
            )
    for union in unions:  # located ones only: a shared union has nothing to report
        seen: set[str] = set()
        for index, branch in enumerate(union.branches):
            key = _union_key(branch, registered)
            if key is not None and key in seen:
                resolver.problem(
                    INVALID_SCHEMA,
                    f"duplicate type {key!r} in union",
                    f"{union.where.pointer}/{index}",  # type: ignore[union-attr]
                )
            if key is not None:
                seen.add(key)
    refs.clear()
    unions.clear()
    if resolver.problems:
        return JavaResolution(Primitive("null"), {}, [], resolver.problems)
    if check_external is not None:
        for named in registered.values():
            if isinstance(named, JRecord):
                resolver.visit(named, check_external)
        resolver.visit(root, check_external)
    ir_root = resolver.convert(root)
    return JavaResolution(ir_root, resolver.defined, resolver.defaults, resolver.problems)
