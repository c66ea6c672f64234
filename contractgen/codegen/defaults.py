"""Avro field defaults (JSON) -> Python source of the same value in the generated type.

Bytes and fixed defaults are JSON strings whose code points are the byte values (Avro spec). A
union's default belongs to the first branch it is valid for (`avro.defaults.union_default_branch`).
Values that are mutable, or that name a class of another module (which may still be initialising
in an import cycle), become a default factory. A default that fits no Python value of the type
raises `UnusableDefaultError`, which the view turns into a located diagnostic.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
from decimal import Decimal
from uuid import UUID

from contractgen.avro.defaults import union_default_branch
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

_FLOAT_MAX = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DIVISOR = {"millis": 1_000, "micros": 1_000_000, "nanos": 1_000_000_000}


class UnusableDefaultError(Exception):
    """A default codegen cannot express in the field's type (the message says why)."""


def default_source(avro_type: AvroType, value: JsonValue, scope: Scope, layout: Layout) -> str:
    """A Python expression for the default `value` of `avro_type`."""
    if isinstance(avro_type, NamedRef):
        avro_type = scope.named[avro_type.fullname]
    if isinstance(avro_type, Union):
        branch = union_default_branch(avro_type, value, scope.named)
        if branch is None:
            raise UnusableDefaultError(f"{_short(value)} matches no branch of the union")
        return default_source(branch, value, scope, layout)
    if isinstance(avro_type, Primitive):
        return _primitive(avro_type, value, scope)
    if isinstance(avro_type, Fixed):
        # Java's strict parse takes any string here and, when the default is used, pads it with
        # zero bytes or cuts it to the size (`Arrays.copyOf` in ResolvingGrammarGenerator)
        data = _bytes(value)[: avro_type.size].ljust(avro_type.size, b"\x00")
        if scope.has_class(avro_type.fullname):
            return f"{scope.ref(avro_type.fullname)}({bytes_literal(data)})"
        return _bytes_like(avro_type, data, scope)
    if isinstance(avro_type, Enum):
        if not isinstance(value, str) or value not in avro_type.symbols:
            symbols = ", ".join(avro_type.symbols[:5]) + (", ..." if avro_type.symbols[5:] else "")
            raise UnusableDefaultError(
                f"{_short(value)} is not a symbol of {avro_type.fullname} ({symbols}; Avro accepts"
                " the schema but fails when it has to use this default)"
            )
        member = layout.members[avro_type.fullname][avro_type.symbols.index(value)]
        return f"{scope.ref(avro_type.fullname)}.{member}"
    if isinstance(avro_type, Array):
        if not isinstance(value, list):
            raise UnusableDefaultError(f"{_short(value)} is not an array")
        items = ", ".join(default_source(avro_type.items, v, scope, layout) for v in value)
        return f"[{items}]"
    if isinstance(avro_type, Map):
        if not isinstance(value, dict):
            raise UnusableDefaultError(f"{_short(value)} is not a map")
        entries = ", ".join(
            f"{string_literal(k)}: {default_source(avro_type.values, v, scope, layout)}"
            for k, v in value.items()
        )
        return f"{{{entries}}}"
    return _record(avro_type, value, scope, layout)


def _record(record: Record, value: JsonValue, scope: Scope, layout: Layout) -> str:
    if not isinstance(value, dict):
        raise UnusableDefaultError(f"{_short(value)} is not a record {record.fullname}")
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
    """The bytes Avro Java reads from the JSON string: `String.getBytes(ISO_8859_1)`, which
    writes `?` for every code point above U+00FF (fastavro would fail on those)."""
    if not isinstance(value, str):
        raise UnusableDefaultError(f"{_short(value)} is not a string of bytes")
    return value.encode("iso-8859-1", errors="replace")


def _primitive(avro_type: Primitive, value: JsonValue, scope: Scope) -> str:
    logical = logical_type(avro_type)
    std = scope.imports.std
    if avro_type.type == "null":
        return "None"
    if avro_type.type == "boolean":
        return repr(bool(value))
    if avro_type.type in ("float", "double"):
        return _float(value, single=avro_type.type == "float")
    if avro_type.type == "bytes":
        return _bytes_like(avro_type, _bytes(value), scope)
    if avro_type.type == "string":
        if not isinstance(value, str):
            raise UnusableDefaultError(f"{_short(value)} is not a string")
        if logical == "uuid":
            try:
                return f"{std('uuid', 'UUID')}({string_literal(str(UUID(value)))})"
            except ValueError:
                raise UnusableDefaultError(f"{_short(value)} is not a UUID") from None
        return string_literal(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise UnusableDefaultError(f"{_short(value)} is not an integer")
    bits = 32 if avro_type.type == "int" else 64
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise UnusableDefaultError(f"{_short(value)} does not fit in an Avro {avro_type.type}")
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


def _float(value: JsonValue, *, single: bool) -> str:
    if isinstance(value, str):  # Java writes NaN and the infinities as strings
        value = _float_text(value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise UnusableDefaultError(f"{_short(value)} is not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any double: Java's BigInteger.doubleValue()
        number = math.inf if value > 0 else -math.inf
    if single and abs(number) > _FLOAT_MAX:  # Java's (float) cast; fastavro would refuse it
        number = math.copysign(math.inf, number)
    if math.isnan(number) or math.isinf(number):
        return f'float("{number}")'
    return repr(number)


def _float_text(text: str) -> float:
    """A number written as a string, as Java's `Double.parseDouble` reads it (hex too)."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float.fromhex(text.strip().removesuffix("d").removesuffix("f"))
    except ValueError:
        raise UnusableDefaultError(f"{_short(text)} is not a number") from None


def _bytes_like(avro_type: Primitive | Fixed, data: bytes, scope: Scope) -> str:
    logical = logical_type(avro_type)
    if logical == "decimal":
        scale = prop(avro_type.props, "scale")
        unscaled = int.from_bytes(data, "big", signed=True) if data else 0
        number = Decimal(unscaled).scaleb(-(scale if isinstance(scale, int) else 0))
        # a whole number as an int literal, as linters want it (FURB157); -0 keeps its sign
        text = f"{number}"
        argument = text if re.fullmatch(r"-?[1-9]\d*|0", text) else f'"{text}"'
        return f"{scope.imports.std('decimal', 'Decimal')}({argument})"
    if logical == "uuid":
        return f"{scope.imports.std('uuid', 'UUID')}({string_literal(str(UUID(bytes=data)))})"
    if logical == "duration":
        months, days, millis = struct.unpack("<III", data)
        return f"{scope.duration()}(months={months}, days={days}, millis={millis})"
    return bytes_literal(data)


def _short(value: JsonValue) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
