"""The schema graph as Avro Java's `Schema.Parser` builds it, before it becomes the IR.

Java's parse has object identity at its heart: a name used before its definition is a placeholder
(`UnresolvedSchema_<n>`) replaced only at the end, a record is registered only after its fields
are parsed, and an identical redefinition is a second object that `equals` the first. These
mutable nodes keep that identity (compare with `is`) so the parser, the end-of-parse resolution
and default validation decide exactly what Java decides. `java_equal` is Java's `Schema.equals`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from contractgen.avro.positions import TextLocation
from contractgen.ir.model import PRIMITIVE_NAMES, JsonValue, Props


class _Placed:
    """A node's place in its text: `where` (a location, shared with the IR node built from it)."""

    __slots__ = ()
    where: TextLocation

    @property
    def pointer(self) -> str:
        """The node's JSON pointer, for messages (built when asked: most nodes never are)."""
        return self.where.pointer


@dataclass(eq=False, slots=True)
class JPrimitive:
    """A primitive type. A plain one (no properties) where a type is used is one shared node per
    name, with no location (`where` None): it is where its parent says (`<field>/type`,
    `<union>/<index>`, `<array>/items`), and a big schema has one per field."""

    type: str
    props: Props
    where: TextLocation | None


PLAIN: dict[str, JPrimitive] = {name: JPrimitive(name, (), None) for name in PRIMITIVE_NAMES}


@dataclass(eq=False, slots=True)
class JArray(_Placed):
    items: JType
    props: Props
    where: TextLocation


@dataclass(eq=False, slots=True)
class JMap(_Placed):
    values: JType
    props: Props
    where: TextLocation


@dataclass(eq=False, slots=True)
class JUnion:
    """A union. One of plain primitives only, each once (`["null", "long"]`), is one shared node
    per branch list in a document, with no location (`where` None), as a plain primitive is."""

    branches: list[JType]
    where: TextLocation | None


@dataclass(eq=False, slots=True)
class JField(_Placed):
    name: str
    type: JType
    doc: str | None
    has_default: bool
    default: JsonValue
    order: str
    aliases: tuple[str, ...]
    props: Props
    where: TextLocation


@dataclass(eq=False, slots=True)
class JNamed(_Placed):
    fullname: str
    doc: str | None
    props: Props
    aliases: tuple[str, ...]
    """Full names, each once, in order of appearance (Java's `LinkedHashSet<Name>`)."""
    where: TextLocation


@dataclass(eq=False, slots=True)
class JRecord(JNamed):
    is_error: bool = False
    fields: list[JField] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class JEnum(JNamed):
    symbols: tuple[str, ...] = ()
    default: str | None = None


@dataclass(eq=False, slots=True)
class JFixed(JNamed):
    size: int = 0


@dataclass(eq=False, slots=True)
class JRef(_Placed):
    """A name not known yet where it is used (Java's placeholder): resolved after the parse."""

    fullname: str
    """The full name Java looks it up by at the end: the namespace where it was used, applied."""
    where: TextLocation
    written: str


@dataclass(eq=False, slots=True)
class JExternal(_Placed):
    """A type defined outside this text (a schema reference, another file), used by name."""

    fullname: str
    where: TextLocation


JType = JPrimitive | JArray | JMap | JUnion | JRecord | JEnum | JFixed | JRef | JExternal


def json_equal(a: JsonValue, b: JsonValue) -> bool:
    """Jackson's `JsonNode.equals`: `1` and `1.0` differ, `NaN` equals `NaN`, key order is free."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        assert isinstance(b, float)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(json_equal(v, b[k]) for k, v in a.items())
    return a == b


def _props_equal(a: Props, b: Props) -> bool:
    left, right = dict(a), dict(b)
    return left.keys() == right.keys() and all(json_equal(v, right[k]) for k, v in left.items())


def java_equal(a: JType, b: JType) -> bool:
    """Java's `Schema.equals` (docs and aliases do not count; a placeholder equals only itself).

    Iterative, with Java's guard against recursion: a pair already being compared is equal.
    """
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[JType, JType]] = [(a, b)]
    while pending:
        x, y = pending.pop()
        if x is y or (id(x), id(y)) in seen:
            continue
        seen.add((id(x), id(y)))
        if type(x) is not type(y) or isinstance(x, JRef):
            return False
        if isinstance(x, JExternal) and isinstance(y, JExternal):
            if x.fullname != y.fullname:
                return False
        elif isinstance(x, JNamed) and isinstance(y, JNamed):
            if x.fullname != y.fullname or not _props_equal(x.props, y.props):
                return False
            if isinstance(x, JEnum) and isinstance(y, JEnum) and x.symbols != y.symbols:
                return False
            if isinstance(x, JFixed) and isinstance(y, JFixed) and x.size != y.size:
                return False
            if isinstance(x, JRecord) and isinstance(y, JRecord):
                if len(x.fields) != len(y.fields):
                    return False
                for f, g in zip(x.fields, y.fields, strict=True):
                    same_default = f.has_default == g.has_default and (
                        not f.has_default or json_equal(f.default, g.default)
                    )
                    if not (
                        f.name == g.name
                        and same_default
                        and f.order == g.order
                        and _props_equal(f.props, g.props)
                    ):
                        return False
                    pending.append((f.type, g.type))
        elif isinstance(x, JPrimitive) and isinstance(y, JPrimitive):
            if x.type != y.type or not _props_equal(x.props, y.props):
                return False
        elif isinstance(x, JArray) and isinstance(y, JArray):
            if not _props_equal(x.props, y.props):
                return False
            pending.append((x.items, y.items))
        elif isinstance(x, JMap) and isinstance(y, JMap):
            if not _props_equal(x.props, y.props):
                return False
            pending.append((x.values, y.values))
        elif isinstance(x, JUnion) and isinstance(y, JUnion):
            if len(x.branches) != len(y.branches):
                return False
            pending.extend(zip(x.branches, y.branches, strict=True))
    return True
