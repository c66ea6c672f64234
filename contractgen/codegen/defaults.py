"""Avro field defaults (JSON) -> Python source of the same value in the generated type.

Bytes and fixed defaults are JSON strings whose code points are the byte values (Avro spec). A
union's default belongs to its first branch. Values that are mutable, or that name a class of
another module (which may still be initialising in an import cycle), become a default factory.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from decimal import Decimal
from uuid import UUID

from contractgen.codegen.layout import Layout
from contractgen.codegen.pysource import bytes_literal, string_literal
from contractgen.codegen.pytypes import Scope
from contractgen.codegen.scalars import logical_type
from contractgen.ir.model import (
    Array,
    AvroType,
    Enum,
    Fixed,
    JsonValue,
    Map,
    NamedRef,
    Primitive,
    Record,
    Union,
    prop,
)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DIVISOR = {"millis": 1_000, "micros": 1_000_000, "nanos": 1_000_000_000}


def default_source(avro_type: AvroType, value: JsonValue, scope: Scope, layout: Layout) -> str:
    """A Python expression for the default `value` of `avro_type`."""
    if isinstance(avro_type, NamedRef):
        avro_type = scope.named[avro_type.fullname]
    if isinstance(avro_type, Union):
        return default_source(avro_type.branches[0], value, scope, layout)
    if isinstance(avro_type, Primitive):
        return _primitive(avro_type, value, scope)
    if isinstance(avro_type, Fixed):
        return _bytes_like(avro_type, _bytes(value), scope)
    if isinstance(avro_type, Enum):
        assert isinstance(value, str)
        member = layout.members[avro_type.fullname][avro_type.symbols.index(value)]
        return f"{scope.ref(avro_type.fullname)}.{member}"
    if isinstance(avro_type, Array):
        assert isinstance(value, list)
        items = ", ".join(default_source(avro_type.items, v, scope, layout) for v in value)
        return f"[{items}]"
    if isinstance(avro_type, Map):
        assert isinstance(value, dict)
        entries = ", ".join(
            f"{string_literal(k)}: {default_source(avro_type.values, v, scope, layout)}"
            for k, v in value.items()
        )
        return f"{{{entries}}}"
    return _record(avro_type, value, scope, layout)


def _record(record: Record, value: JsonValue, scope: Scope, layout: Layout) -> str:
    assert isinstance(value, dict)
    # fields the default object leaves out take their own defaults, written out explicitly
    arguments = []
    for avro_field, attribute in zip(
        record.fields, layout.attributes[record.fullname], strict=True
    ):
        if avro_field.name in value or avro_field.has_default:
            given = value.get(avro_field.name, avro_field.default)
            arguments.append(f"{attribute}={default_source(avro_field.type, given, scope, layout)}")
    return f"{scope.ref(record.fullname)}({', '.join(arguments)})"


def _bytes(value: JsonValue) -> bytes:
    assert isinstance(value, str)
    return bytes(ord(c) for c in value)


def _primitive(avro_type: Primitive, value: JsonValue, scope: Scope) -> str:
    logical = logical_type(avro_type)
    std = scope.imports.std
    if avro_type.type == "null":
        return "None"
    if avro_type.type == "boolean":
        return repr(bool(value))
    if avro_type.type in ("float", "double"):
        return _float(value)
    if avro_type.type == "bytes":
        return _bytes_like(avro_type, _bytes(value), scope)
    if avro_type.type == "string":
        assert isinstance(value, str)
        if logical == "uuid":
            return f"{std('uuid', 'UUID')}({string_literal(str(UUID(value)))})"
        return string_literal(value)
    assert isinstance(value, int)
    if logical == "date":
        day = dt.date(1970, 1, 1) + dt.timedelta(days=value)
        return f"{std('datetime', 'date')}({day.year}, {day.month}, {day.day})"
    if logical in ("time-millis", "time-micros"):
        micros = value * 1000 if logical == "time-millis" else value
        clock = (dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=micros)).time()
        return f"{std('datetime', 'time')}({_time_args(clock)})"
    if logical is not None and logical.startswith(("timestamp-", "local-timestamp-")):
        unit = logical.rpartition("-")[2]
        if unit == "nanos":
            return repr(value)
        seconds, rest = divmod(value, _DIVISOR[unit])
        moment = _EPOCH + dt.timedelta(
            seconds=seconds, microseconds=rest * 1_000_000 // _DIVISOR[unit]
        )
        arguments = f"{moment.year}, {moment.month}, {moment.day}, {_time_args(moment.time())}"
        if logical.startswith("local-"):
            return f"{std('datetime', 'datetime')}({arguments})"
        return f"{std('datetime', 'datetime')}({arguments}, tzinfo={std('datetime', 'UTC')})"
    return repr(value)


def _time_args(moment: dt.time) -> str:
    parts = [moment.hour, moment.minute, moment.second, moment.microsecond]
    while len(parts) > 2 and parts[-1] == 0:
        parts.pop()
    return ", ".join(str(p) for p in parts)


def _float(value: JsonValue) -> str:
    if isinstance(value, str):  # Java writes NaN and the infinities as strings
        value = float(value)
    assert isinstance(value, int | float)
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return f'float("{number}")'
    return repr(number)


def _bytes_like(avro_type: Primitive | Fixed, data: bytes, scope: Scope) -> str:
    logical = logical_type(avro_type)
    if logical == "decimal":
        scale = prop(avro_type.props, "scale")
        unscaled = int.from_bytes(data, "big", signed=True) if data else 0
        number = Decimal(unscaled).scaleb(-(scale if isinstance(scale, int) else 0))
        return f'{scope.imports.std("decimal", "Decimal")}("{number}")'
    if logical == "uuid":
        return f"{scope.imports.std('uuid', 'UUID')}({string_literal(str(UUID(bytes=data)))})"
    if logical == "duration":
        months, days, millis = struct.unpack("<III", data)
        return f"{scope.duration()}(months={months}, days={days}, millis={millis})"
    return bytes_literal(data)
