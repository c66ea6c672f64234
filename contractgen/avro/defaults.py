"""Field defaults checked against their types, as Avro 1.12's `Schema.isValidDefault` does.

Defaults are checked after every document is parsed, since a default may be a record or an enum
defined in another file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

from contractgen.avro.positions import TextLocation
from contractgen.diagnostics import Diagnostic
from contractgen.ir.model import (
    Array,
    AvroType,
    Enum,
    Field,
    Fixed,
    JsonValue,
    Location,
    Map,
    NamedRef,
    NamedType,
    Primitive,
    Record,
    Union,
)

INVALID_DEFAULT = "AVRO004"
_INT_RANGE = range(-(2**31), 2**31)
_LONG_RANGE = range(-(2**63), 2**63)


PendingDefault: TypeAlias = Field
"""A field whose default is checked once every document is parsed: the IR field itself (a big
schema has one per field, so no object of its own); the location of its `default` is made only
for a refused default."""


def is_valid_default(avro_type: AvroType, value: JsonValue, named: Mapping[str, NamedType]) -> bool:
    """Whether `value` (JSON) is a valid default for `avro_type`; unions accept any branch."""
    if isinstance(avro_type, NamedRef):
        target = named.get(avro_type.fullname)
        return target is not None and is_valid_default(target, value, named)
    if isinstance(avro_type, Primitive):
        return valid_primitive(avro_type.type, value)
    if isinstance(avro_type, Enum | Fixed):
        # Java's strict parse takes any string for an enum, a symbol or not (oracle vectors such
        # as p-1020-12-old); a default that is no symbol is unusable, which codegen says (GEN003)
        return isinstance(value, str)
    if isinstance(avro_type, Array):
        return isinstance(value, list) and all(
            is_valid_default(avro_type.items, item, named) for item in value
        )
    if isinstance(avro_type, Map):
        return isinstance(value, dict) and all(
            is_valid_default(avro_type.values, item, named) for item in value.values()
        )
    if isinstance(avro_type, Union):
        return any(is_valid_default(branch, value, named) for branch in avro_type.branches)
    if isinstance(avro_type, Record):
        if not isinstance(value, dict):
            return False
        for field in avro_type.fields:
            if field.name in value:
                if not is_valid_default(field.type, value[field.name], named):
                    return False
            elif not field.has_default:
                return False
        return True
    return False


def valid_primitive(kind: str, value: JsonValue) -> bool:
    """Java's `isValidDefault` for a primitive type (`float` and `double` take any number)."""
    is_integer = isinstance(value, int) and not isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "int":
        return is_integer and value in _INT_RANGE
    if kind == "long":
        return is_integer and value in _LONG_RANGE
    if kind in ("float", "double"):
        return is_integer or isinstance(value, float)
    return isinstance(value, str)  # string, bytes


def default_problems(
    pending: list[PendingDefault], named: Mapping[str, NamedType]
) -> list[Diagnostic]:
    return [
        Diagnostic(
            INVALID_DEFAULT,
            f"default {short_value(p.default)} of field {p.name!r} does not match its type; "
            "give a default of the field's type (for a union, of one of its branches)",
            _default_location(p),
        )
        for p in pending
        if not is_valid_default(p.type, p.default, named)
    ]


def _default_location(field: Field) -> Location | None:
    """Where the field's default is written (the parser's locations know); else the field's."""
    where = field.location
    return where.child("default") if isinstance(where, TextLocation) else where


def short_value(value: JsonValue) -> str:
    """A default as messages quote it: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def union_default_branch(
    union: Union, value: JsonValue, named: Mapping[str, NamedType]
) -> AvroType | None:
    """The branch a union's default belongs to: the first it is valid for (Avro 1.12's rule,
    which Java's strict parse applies too: `["null", "string"]` takes the default `"web"`), or
    None if no branch accepts it. Validation, compatibility and codegen all read it this way."""
    return next((b for b in union.branches if is_valid_default(b, value, named)), None)
