"""Avro reader/writer resolution, exactly as Avro Java's `SchemaCompatibility` computes it.

Confluent's registry answers every Avro compatibility question with
`SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)`; this module reproduces its
verdict, the order of its incompatibilities, their JSON-pointer locations and their wording
(COMPATIBILITY.md, "Matching rules"). Java quirks kept on purpose:

- results are memoized per (reader node, writer node) pair, by Java *object identity*: a named type
  is one object however often it is used, every other node is its own object. A memoized result
  keeps the locations of its first computation, and recursion in progress counts as compatible.
- union branches are probed with a fresh location stack, so what they memoize is rooted there.
- a reader field whose name and alias both hit writer fields makes Java throw; the exception's
  message is kept in `Resolution.error`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Fixed,
    Map,
    NamedRef,
    Primitive,
    Record,
    Union,
)


class IncompatibilityType(enum.StrEnum):
    """Avro Java's `SchemaIncompatibilityType`, in its declaration order."""

    NAME_MISMATCH = "NAME_MISMATCH"
    FIXED_SIZE_MISMATCH = "FIXED_SIZE_MISMATCH"
    MISSING_ENUM_SYMBOLS = "MISSING_ENUM_SYMBOLS"
    READER_FIELD_MISSING_DEFAULT_VALUE = "READER_FIELD_MISSING_DEFAULT_VALUE"
    TYPE_MISMATCH = "TYPE_MISMATCH"
    MISSING_UNION_BRANCH = "MISSING_UNION_BRANCH"


@dataclass(frozen=True, slots=True)
class Incompatibility:
    type: IncompatibilityType
    location: str
    """JSON pointer into the reader schema, as Java prints it (`/fields/1/type/0`)."""
    message: str
    """Java's message: `reader type: INT not compatible with writer type: LONG`, `[B, D]`, ..."""
    reader_fragment: AvroType | None = field(default=None, compare=False, repr=False)
    """The reader and writer nodes Java compared (its fragments): for MISSING_UNION_BRANCH the
    union and the writer node, for NAME_MISMATCH the named types, for
    READER_FIELD_MISSING_DEFAULT_VALUE the records; None for the others."""
    writer_fragment: AvroType | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of one reader/writer check."""

    incompatibilities: tuple[Incompatibility, ...] = ()
    error: str | None = None
    """Set when Java throws instead of answering (ambiguous field alias): the exception message."""

    @property
    def compatible(self) -> bool:
        return not self.incompatibilities and self.error is None


class AmbiguousFieldError(Exception):
    """Java's `AvroRuntimeException` from `lookupWriterField`."""


# A node's Java identity: named types by full name, anything else by its path from the nearest
# enclosing named type (or the root), which is exactly one Java `Schema` object per occurrence.
_Key = tuple[object, ...]
_Node = tuple[AvroType, _Key]
_Result = tuple[Incompatibility, ...]
_IN_PROGRESS: _Result = (Incompatibility(IncompatibilityType.TYPE_MISMATCH, "", ""),)
_PROMOTIONS: dict[str, frozenset[str]] = {
    "LONG": frozenset({"INT"}),
    "FLOAT": frozenset({"INT", "LONG"}),
    "DOUBLE": frozenset({"INT", "LONG", "FLOAT"}),
    "BYTES": frozenset({"STRING"}),
    "STRING": frozenset({"BYTES"}),
}
_PRIMITIVES = frozenset({"NULL", "BOOLEAN", "INT", "LONG", "FLOAT", "DOUBLE", "BYTES", "STRING"})


def type_name(avro_type: AvroType) -> str:
    """Java's `Schema.Type` name, as messages print it (`INT`, `RECORD`, `UNION`, ...)."""
    if isinstance(avro_type, Primitive):
        return avro_type.type.upper()
    if isinstance(avro_type, Record):
        return "RECORD"
    return type(avro_type).__name__.upper()


def _same_primitives(r: Union, w: Union) -> bool:
    """Two unions of the same primitives, in the same order (the common nullable field)."""
    return len(r.branches) == len(w.branches) and all(
        type(a) is Primitive and type(b) is Primitive and a.type == b.type
        for a, b in zip(r.branches, w.branches, strict=True)
    )


def pointer(tokens: list[str]) -> str:
    """Java's `Incompatibility.getLocation()`: the root token is dropped, tokens are escaped."""
    return "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens[1:])


def _java_aliases(named: Record | Enum | Fixed) -> set[str]:
    """Java's `getAliases()`: an alias without a namespace on a type with one reads `.Name`,
    so it never equals a writer's full name (a quirk the registry's verdicts keep)."""
    if named.namespace is None:
        return set(named.aliases)
    return {a if "." in a else f".{a}" for a in named.aliases}


class _Side:
    """One schema of the pair: resolves references and gives each node its Java identity."""

    def __init__(self, schema: AvroSchema) -> None:
        self.schema = schema

    def node(self, avro_type: AvroType, key: _Key) -> _Node:
        if isinstance(avro_type, NamedRef):
            return self.schema.named[avro_type.fullname], ("named", avro_type.fullname)
        if isinstance(avro_type, Record | Enum | Fixed):
            return avro_type, ("named", avro_type.fullname)
        return avro_type, key


def _child(node: _Node, child: AvroType, *step: object) -> _Node:
    return child, (node[1], *step)


class _Checker:
    def __init__(
        self, reader: AvroSchema, writer: AvroSchema, describe: Callable[[AvroSchema], str]
    ) -> None:
        self.r = _Side(reader)
        self.w = _Side(writer)
        self.describe = describe
        self.memo: dict[tuple[_Key, _Key], _Result] = {}

    def fresh(self, r: _Node, w: _Node) -> _Result:
        """Java's two-argument `getCompatibility`: a new location stack, the same memo."""
        return self.get("", r, w, [])

    def get(self, token: str, r: _Node, w: _Node, loc: list[str]) -> _Result:
        rp, wp = r[0], w[0]
        if type(rp) is Primitive and type(wp) is Primitive:
            # Two primitives are decided on the spot. Their memo entry could only be met again
            # through their parents' pair, which is memoized itself: skipping it changes nothing
            # Java would report, and keeps wide records cheap.
            if rp.type == wp.type or wp.type.upper() in _PROMOTIONS.get(rp.type.upper(), ()):
                return ()
            loc.append(token)
            message = (
                f"reader type: {rp.type.upper()} not compatible with writer type: {wp.type.upper()}"
            )
            found = (self.incompatible(IncompatibilityType.TYPE_MISMATCH, loc, message),)
            loc.pop()
            return found
        if type(rp) is Union and type(wp) is Union and _same_primitives(rp, wp):
            return ()  # every writer branch is a reader branch: compatible, nothing to memoize
        r = self.r.node(*r)
        w = self.w.node(*w)
        loc.append(token)
        pair = (r[1], w[1])
        result = self.memo.get(pair)
        if result is _IN_PROGRESS:
            result = ()
        elif result is None:
            self.memo[pair] = _IN_PROGRESS
            result = self.calculate(r, w, loc)
            self.memo[pair] = result
        loc.pop()
        return result

    def calculate(self, rn: _Node, wn: _Node, loc: list[str]) -> _Result:
        r, w = rn[0], wn[0]
        rt, wt = type_name(r), type_name(w)
        if rt == wt:
            if rt in _PRIMITIVES:
                return ()
            if isinstance(r, Array) and isinstance(w, Array):
                return self.get("items", _child(rn, r.items, "i"), _child(wn, w.items, "i"), loc)
            if isinstance(r, Map) and isinstance(w, Map):
                return self.get("values", _child(rn, r.values, "v"), _child(wn, w.values, "v"), loc)
            if isinstance(r, Fixed) and isinstance(w, Fixed):
                return self.names(r, w, loc) + self.fixed_size(r, w, loc)
            if isinstance(r, Enum) and isinstance(w, Enum):
                return self.names(r, w, loc) + self.enum_symbols(r, w, loc)
            if isinstance(r, Record) and isinstance(w, Record):
                return self.names(r, w, loc) + self.fields(rn, wn, loc)
            return self.union_vs_union(rn, wn, loc)
        if isinstance(w, Union):
            result: _Result = ()
            for i, branch in enumerate(w.branches):
                result += self.get(str(i), rn, _child(wn, branch, i), loc)
            return result
        if isinstance(r, Union):
            for i, branch in enumerate(r.branches):
                if not self.fresh(_child(rn, branch, i), wn):
                    return ()
            message = f"reader union lacking writer type: {wt}"
            kind = IncompatibilityType.MISSING_UNION_BRANCH
            return (Incompatibility(kind, pointer(loc), message, r, w),)
        if wt in _PROMOTIONS.get(rt, frozenset()):
            return ()
        message = f"reader type: {rt} not compatible with writer type: {wt}"
        return (self.incompatible(IncompatibilityType.TYPE_MISMATCH, loc, message),)

    def union_vs_union(self, rn: _Node, wn: _Node, loc: list[str]) -> _Result:
        result: _Result = ()
        assert isinstance(wn[0], Union)
        for i, branch in enumerate(wn[0].branches):
            loc.append(str(i))
            if self.fresh(rn, _child(wn, branch, i)):
                kind = type_name(self.w.node(branch, ())[0])
                message = f"reader union lacking writer type: {kind}"
                kind = IncompatibilityType.MISSING_UNION_BRANCH
                result += (Incompatibility(kind, pointer(loc), message, rn[0], wn[0]),)
            loc.pop()
        return result

    def fields(self, rn: _Node, wn: _Node, loc: list[str]) -> _Result:
        r, w = rn[0], wn[0]
        assert isinstance(r, Record) and isinstance(w, Record)
        # Made for this comparison, not kept for the writer record: the comparison is as long
        # (wide records stay linear), and kept indexes were the check's largest memory.
        by_name = {f.name: (i, f) for i, f in enumerate(w.fields)}
        result: _Result = ()
        loc.append("fields")
        for pos, rf in enumerate(r.fields):
            if rf.aliases:
                found = self.lookup_writer_field(w, by_name, rf, pos)
            else:
                found = by_name.get(rf.name)
            if found is not None:
                rt, wt = rf.type, found[1].type
                if type(rt) is Primitive:
                    if type(wt) is Primitive and rt.type == wt.type:
                        continue  # the common case, decided without any bookkeeping
                elif type(rt) is Union and type(wt) is Union and _same_primitives(rt, wt):
                    continue  # the nullable field: what `get` decides first, without its nodes
            loc.append(str(pos))
            field_node = _child(rn, rf.type, "f", pos)
            if found is not None:
                index, writer_field = found
                result += self.get(
                    "type", field_node, _child(wn, writer_field.type, "f", index), loc
                )
            elif not rf.has_default:
                field_type = self.r.node(*field_node)[0]
                if isinstance(field_type, Enum) and field_type.default is not None:
                    result += self.get("type", field_node, wn, loc)
                else:
                    kind = IncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE
                    result += (Incompatibility(kind, pointer(loc), rf.name, r, w),)
            loc.pop()
        loc.pop()
        return result

    def lookup_writer_field(
        self, w: Record, by_name: dict[str, tuple[int, Field]], rf: Field, pos: int
    ) -> tuple[int, Field] | None:
        """Java's `lookupWriterField`: by name, then by each alias; two hits make Java throw."""
        hits = [by_name[n] for n in (rf.name, *dict.fromkeys(rf.aliases)) if n in by_name]
        if len(hits) > 1:
            kind = type_name(self.r.node(rf.type, ())[0])
            writer_text = self.describe(AvroSchema(w, self.w.schema.named))
            raise AmbiguousFieldError(
                f"Reader record field {rf.name} type:{kind} pos:{pos} matches multiple fields "
                f"in writer record schema {writer_text}"
            )
        return hits[0] if hits else None

    def names(self, r: Record | Enum | Fixed, w: Record | Enum | Fixed, loc: list[str]) -> _Result:
        if r.name == w.name or w.fullname in _java_aliases(r):
            return ()
        kind = IncompatibilityType.NAME_MISMATCH
        return (Incompatibility(kind, pointer([*loc, "name"]), f"expected: {w.fullname}", r, w),)

    def fixed_size(self, r: Fixed, w: Fixed, loc: list[str]) -> _Result:
        if r.size == w.size:
            return ()
        return (
            self.incompatible(
                IncompatibilityType.FIXED_SIZE_MISMATCH,
                [*loc, "size"],
                f"expected: {w.size}, found: {r.size}",
            ),
        )

    def enum_symbols(self, r: Enum, w: Enum, loc: list[str]) -> _Result:
        # Java's TreeSet orders by UTF-16 code units.
        missing = sorted(set(w.symbols) - set(r.symbols), key=lambda s: s.encode("utf-16-be"))
        if not missing or (r.default is not None and r.default in r.symbols):
            return ()
        return (
            self.incompatible(
                IncompatibilityType.MISSING_ENUM_SYMBOLS,
                [*loc, "symbols"],
                "[" + ", ".join(missing) + "]",
            ),
        )

    @staticmethod
    def incompatible(kind: IncompatibilityType, loc: list[str], message: str) -> Incompatibility:
        return Incompatibility(kind, pointer(loc), message)


def _java_to_string(schema: AvroSchema) -> str:
    from contractgen.avro.canonical import canonical_string

    return canonical_string(schema)


def check_reader_writer(
    reader: AvroSchema,
    writer: AvroSchema,
    *,
    describe: Callable[[AvroSchema], str] = _java_to_string,
) -> Resolution:
    """Can `reader` decode all that `writer` writes? Java's answer, incompatibilities in order.

    `describe` renders a writer record for the ambiguous-alias exception (`Schema.toString()`).
    """
    checker = _Checker(reader, writer, describe)
    try:
        found = checker.fresh((reader.root, ("root",)), (writer.root, ("root",)))
    except AmbiguousFieldError as error:
        return Resolution(error=str(error))
    return Resolution(found)
