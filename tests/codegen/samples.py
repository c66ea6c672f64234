"""Sample data for any Avro schema, in the form fastavro's writer takes.

`samples(schema)` returns one datum per variant; variant `n` takes branch `n % len(branches)` of
every union, so the samples together cover every branch of every union (but those Python reads
as one class: sampled as the branch generated code writes them as; records in unions are
written in tuple form, so identical shapes stay distinct). Values are chosen so fastavro picks
the intended branch back (a long outside the int range, say) and survive a round trip exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from contractgen.codegen.scalars import logical_type
from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Fixed,
    Map,
    Primitive,
    Record,
    Union,
    prop,
)

MAX_DEPTH = 3


def _widest_union(schema: AvroSchema) -> int:
    widths = [1]

    def visit(t: AvroType) -> None:
        if isinstance(t, Union):
            widths.append(len(t.branches))
            for b in t.branches:
                visit(b)
        elif isinstance(t, Array):
            visit(t.items)
        elif isinstance(t, Map):
            visit(t.values)
        elif isinstance(t, Record):
            for f in t.fields:
                visit(f.type)

    for named in schema.named.values():
        visit(named)
    visit(schema.root)
    return max(widths)


def samples(schema: AvroSchema) -> list[Any]:
    return [_datum(schema, schema.root, n, 0) for n in range(_widest_union(schema))]


_SAME_PYTHON_CLASS = {"int": "int", "long": "int", "float": "float", "double": "float"}
_SAME_LOGICAL_CLASS = {
    "time-millis": "time",
    "time-micros": "time",
    "timestamp-millis": "aware",
    "timestamp-micros": "aware",
    "local-timestamp-millis": "naive",
    "local-timestamp-micros": "naive",
    "decimal": "decimal",
    "uuid": "uuid",
    "duration": "duration",
}


def _python_class(schema: AvroSchema, t: AvroType) -> str | None:
    """For the branches Python reads as one class (int/long, float/double, time-millis/micros,
    timestamps, a decimal or uuid on bytes/string and on a fixed, durations): see codegen.unions."""
    t = schema.resolve(t)
    if not isinstance(t, Primitive | Fixed):
        return None
    logical = logical_type(t)
    if logical is not None:
        return _SAME_LOGICAL_CLASS.get(logical)
    return _SAME_PYTHON_CLASS.get(t.type) if isinstance(t, Primitive) else None


_WIDE = ("long", "double")


def _written(schema: AvroSchema, branches: list[AvroType], index: int) -> int:
    """The branch generated code writes a value of branch `index` as (see codegen.unions): the
    wider of long/double among the branches Python cannot tell apart, else the first of them."""
    kind = _python_class(schema, branches[index])
    if kind is None:
        return index
    same = [i for i, b in enumerate(branches) if _python_class(schema, b) == kind]
    wide = [
        i for i in same if getattr(schema.resolve(branches[i]), "type", "") in ("long", "double")
    ]
    return (wide or same)[0]


def _datum(schema: AvroSchema, t: AvroType, n: int, depth: int) -> Any:
    t = schema.resolve(t)
    if isinstance(t, Union):
        branches = list(t.branches)
        index = n % len(branches)
        if depth >= MAX_DEPTH:  # stop recursion: prefer a branch that is not a record
            plain = [i for i, b in enumerate(branches) if not isinstance(schema.resolve(b), Record)]
            index = plain[0] if plain else index
        index = _written(schema, branches, index)
        branch = schema.resolve(branches[index])
        value = _datum(schema, branch, n, depth + 1)
        if value is None:
            return value
        if isinstance(branch, Record | Enum | Fixed):
            return (branch.fullname, value)
        if isinstance(branch, Array | Map):
            return ("array" if isinstance(branch, Array) else "map", value)
        assert isinstance(branch, Primitive)
        return (branch.type, value)
    if isinstance(t, Record):
        return {f.name: _datum(schema, f.type, n, depth + 1) for f in t.fields}
    if isinstance(t, Enum):
        return t.symbols[n % len(t.symbols)]
    if isinstance(t, Array):
        return [] if depth >= MAX_DEPTH else [_datum(schema, t.items, n, depth + 1)]
    if isinstance(t, Map):
        return {} if depth >= MAX_DEPTH else {"k": _datum(schema, t.values, n, depth + 1)}
    if isinstance(t, Fixed):
        return _fixed(t)
    assert isinstance(t, Primitive)
    return _primitive(t)


def _decimal(props: Any) -> Decimal:
    scale = prop(props, "scale")
    digits = 12 if prop(props, "precision") != 1 else 7  # within the precision (at least 1)
    return Decimal(digits).scaleb(-(scale if isinstance(scale, int) else 0))


def _fixed(t: Fixed) -> Any:
    logical = logical_type(t)  # as Avro reads it: an invalid one is ignored
    if logical == "decimal":
        return _decimal(t.props)
    return bytes(range(t.size))


def _primitive(t: Primitive) -> Any:
    logical = logical_type(t)
    aware = dt.datetime(2024, 2, 29, 13, 14, 15, 123000, tzinfo=dt.UTC)
    by_logical: dict[str | None, Any] = {
        "decimal": _decimal(t.props) if t.type == "bytes" else None,
        "uuid": UUID("12345678-1234-5678-1234-567812345678") if t.type == "string" else None,
        "date": dt.date(2024, 2, 29) if t.type == "int" else None,
        "time-millis": dt.time(13, 14, 15, 123000) if t.type == "int" else None,
        "time-micros": dt.time(13, 14, 15, 123456) if t.type == "long" else None,
        "timestamp-millis": aware if t.type == "long" else None,
        "timestamp-micros": aware.replace(microsecond=123456) if t.type == "long" else None,
        "local-timestamp-millis": aware.replace(tzinfo=None) if t.type == "long" else None,
        "local-timestamp-micros": (
            aware.replace(tzinfo=None, microsecond=123456) if t.type == "long" else None
        ),
    }
    value = by_logical.get(logical)
    if value is not None:
        return value
    return {
        "null": None,
        "boolean": True,
        "int": 7,
        "long": 2**40,
        "float": 1.5,
        "double": 2.25,
        "bytes": b"\x00\xff",
        "string": "text",
    }[t.type]
