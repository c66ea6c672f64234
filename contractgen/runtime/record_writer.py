"""A faster Avro encoder for event records: byte-for-byte what fastavro's `schemaless_writer`
writes.

Encoding the payload was most of a `send`: fastavro dispatches on the schema for every value and
converts decimals and timestamps in its generic path. `parts_writer` turns a schema into
writers once (a compiled function per record, primitives inline; closures for the rest), so
each message only runs the writes its schema needs. Logical types are
converted by fastavro's own functions (`LOGICAL_WRITERS`), so the values written are fastavro's.
Schemas using what this module does not handle (unions other than null + one type, fixed,
recursive records, unknown types) get None, and the caller keeps using fastavro.
"""

import struct
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal
from typing import Any

from fastavro.write import LOGICAL_WRITERS

Write = Callable[[Any, list[bytes]], None]
"""Appends the encoding of a value to a list of parts."""
_SMALL = [bytes((value,)) for value in range(128)]  # zigzag values of one byte
_ONE_BYTE_LENGTHS = 64  # lengths below it are one zigzag byte
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1
_CONTINUED = [bytes((value | 0x80,)) for value in range(128)]  # a 7-bit group, more follow
_TWO_BYTES = 1 << 14  # zigzag values of at most two bytes
_TAILS: dict[int, bytes] = {}
_MAX_TAILS = 4096
_EMPTY_BLOCK = b"\x00"
_FLOAT, _DOUBLE = struct.Struct("<f").pack, struct.Struct("<d").pack
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)
_EXACT_DIGITS = 28
# whatever the thread's decimal context: scaling a number of at most 28 digits is exact
_EXACT = Context(prec=_EXACT_DIGITS, Emax=MAX_EMAX, Emin=MIN_EMIN)
_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def zigzag_varint(value: int) -> bytes:
    """Avro's encoding of an int or long (values of a long's 64-bit range)."""
    zigzag = (value << 1) ^ (value >> 63)
    if zigzag < _TWO_BYTES:
        return _SMALL[zigzag] if zigzag < 0x80 else _CONTINUED[zigzag & 0x7F] + _SMALL[zigzag >> 7]
    # the two low 7-bit groups, then the varint of the rest: the rest of a timestamp or an id
    # changes seldom (every 16 s for epoch milliseconds), so it is kept
    high = zigzag >> 14
    tail = _TAILS.get(high)
    if tail is None:
        tail = _varint(high)
        if len(_TAILS) < _MAX_TAILS:
            _TAILS[high] = tail
    return _CONTINUED[zigzag & 0x7F] + _CONTINUED[(zigzag >> 7) & 0x7F] + tail


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def avro_string(text: str) -> bytes:
    data = text.encode()
    return zigzag_varint(len(data)) + data


def long_bytes(value: int) -> bytes:
    """Avro's int/long encoding; OverflowError outside a long's range, as fastavro raises."""
    zigzag = (value << 1) ^ (value >> 63)
    if 0 <= zigzag < 128:
        return _SMALL[zigzag]
    if not _LONG_MIN <= value <= _LONG_MAX:
        raise OverflowError(f"{value} does not fit in an Avro long")
    return zigzag_varint(value)


def parts_writer(schema: Any, namespace: str | None, named: dict[str, Write]) -> Write | None:
    """The writer of a schema (parsed JSON), appending its encoding to a list of parts; None
    when it uses an unhandled type.

    `named` holds the writers of the named types defined so far (as fastavro's named_schemas)
    and gains the ones this schema defines."""
    if isinstance(schema, str):
        if schema in _PRIMITIVES:
            return _PRIMITIVE_WRITERS[schema]
        return named.get(schema if "." in schema else _qualify(schema, namespace)) or named.get(
            schema
        )
    if isinstance(schema, list):
        return _union(schema, namespace, named)
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    logical = schema.get("logicalType")
    prepare = LOGICAL_WRITERS.get(f"{kind}-{logical}") if isinstance(logical, str) else None
    if prepare is not None:
        base = parts_writer(kind, namespace, named) if kind in _PRIMITIVES else None
        if base is None:
            return None
        if f"{kind}-{logical}" == "long-timestamp-millis":
            return _timestamp_millis(prepare, schema, base)
        if f"{kind}-{logical}" == "bytes-decimal" and schema.get("precision", 0) <= _EXACT_DIGITS:
            return _decimal(prepare, schema, base)
        return _prepared(prepare, schema, base)
    if kind in _PRIMITIVES:
        return _PRIMITIVE_WRITERS[kind]
    if kind == "record":
        return _record(schema, namespace, named)
    if kind == "enum":
        return _enum(schema, namespace, named)
    if kind == "array":
        items = parts_writer(schema.get("items"), namespace, named)
        return None if items is None else _array(items)
    if kind == "map":
        values = parts_writer(schema.get("values"), namespace, named)
        return None if values is None else _map(values)
    return None


def _qualify(name: str, namespace: str | None) -> str:
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _record(schema: dict[str, Any], namespace: str | None, named: dict[str, Write]) -> Write | None:
    full_name = _qualify(str(schema["name"]), schema.get("namespace", namespace))
    if full_name in named:  # a second definition: fastavro refuses the schema
        return None
    inner = full_name.rpartition(".")[0] or None
    lines = ["def record(datum, out):", "    append = out.append", "    get = datum.get"]
    scope: dict[str, Any] = {"_SMALL": _SMALL, "long_bytes": long_bytes, "_FLOAT": _FLOAT}
    scope["_DOUBLE"] = _DOUBLE
    for number, field in enumerate(schema.get("fields", [])):
        kind = field["type"]
        write = parts_writer(kind, inner, named)
        if write is None:
            return None
        scope[f"d{number}"] = field.get("default")
        lines.append(f"    v = get({str(field['name'])!r}, d{number})")
        lines += ["    " + line for line in _inlined(kind, f"w{number}")]
        scope[f"w{number}"] = write
    # One function per record, its fields' primitives written inline: a closure per field
    # and a loop over them cost a third of the encoding. The code is built from the field
    # names (as literals) and the names bound above only.
    exec(compile("\n".join(lines), f"<record {full_name}>", "exec"), scope)
    record: Write = scope["record"]
    named[full_name] = record
    return record


def _inlined(kind: Any, writer: str) -> list[str]:
    """Statements writing `v` of type `kind`: a primitive's (the same operations as its writer
    function below, fastavro's bytes and errors), else a call of the field's `writer`."""
    if isinstance(kind, str) and kind in _INLINE:
        # fastavro's record fields convert to float first (float("NaN") works too)
        return ["v = float(v)", *_INLINE[kind]] if kind in ("float", "double") else _INLINE[kind]
    if isinstance(kind, list) and len(kind) == 2 and "null" in kind:  # null + one type
        other = kind[1 - kind.index("null")]
        if isinstance(other, str) and other in _INLINE:
            null, value = long_bytes(kind.index("null")), long_bytes(1 - kind.index("null"))
            body = ["    " + line for line in _INLINE[other]] or ["    pass"]
            return [
                "if v is None:",
                f"    append({null!r})",
                "else:",
                f"    append({value!r})",
                *body,
            ]
    return [f"{writer}(v, out)"]


_INLINE = {
    "null": [],
    "boolean": ["append(b'\\x01' if v else b'\\x00')"],
    "int": ["z = (v << 1) ^ (v >> 63)", "append(_SMALL[z] if 0 <= z < 128 else long_bytes(v))"],
    "long": ["z = (v << 1) ^ (v >> 63)", "append(_SMALL[z] if 0 <= z < 128 else long_bytes(v))"],
    "float": ["append(_FLOAT(v))"],
    "double": ["append(_DOUBLE(v))"],
    "bytes": ["append(long_bytes(len(v)))", "append(v)"],
    "string": [
        "try:",
        "    data = v.encode()",
        "except AttributeError:",
        "    raise TypeError(f'must be string, not {type(v).__name__}') from None",
        "size = len(data)",
        f"append(_SMALL[size << 1] if size < {_ONE_BYTE_LENGTHS} else long_bytes(size))",
        "append(data)",
    ],
}


def _enum(schema: dict[str, Any], namespace: str | None, named: dict[str, Write]) -> Write:
    full_name = _qualify(str(schema["name"]), schema.get("namespace", namespace))
    indices = {symbol: long_bytes(index) for index, symbol in enumerate(schema["symbols"])}

    def enum(symbol: Any, out: list[bytes]) -> None:
        try:
            out.append(indices[symbol])
        except (KeyError, TypeError):
            raise ValueError(f"{symbol!r} is not a symbol of enum {full_name}") from None

    named[full_name] = enum
    return enum


def _union(branches: list[Any], namespace: str | None, named: dict[str, Write]) -> Write | None:
    if len(branches) != 2 or "null" not in branches:
        return None
    null_index = branches.index("null")
    other = parts_writer(branches[1 - null_index], namespace, named)
    if other is None or isinstance(branches[1 - null_index], list):
        return None
    null_branch, other_branch = long_bytes(null_index), long_bytes(1 - null_index)

    def union(value: Any, out: list[bytes]) -> None:
        if value is None:
            out.append(null_branch)
        else:
            out.append(other_branch)
            other(value, out)

    return union


def _prepared(prepare: Callable[[Any, Any], Any], schema: Any, base: Write) -> Write:
    def logical(value: Any, out: list[bytes]) -> None:
        base(prepare(value, schema), out)

    return logical


def _as_float(write: Write) -> Write:
    def number(value: Any, out: list[bytes]) -> None:
        write(float(value), out)

    return number


def _timestamp_millis(prepare: Callable[[Any, Any], Any], schema: Any, base: Write) -> Write:
    """fastavro's conversion of aware datetimes, in one subtraction (naive ones: fastavro's)."""

    def timestamp(value: Any, out: list[bytes]) -> None:
        if isinstance(value, datetime) and value.tzinfo is not None:
            # = fastavro's (days * 86400 + seconds) * 1000 + int(microseconds / 1000)
            out.append(long_bytes((value - _EPOCH) // _MILLISECOND))
        else:
            base(prepare(value, schema), out)

    return timestamp


def _decimal(prepare: Callable[[Any, Any], Any], schema: Any, base: Write) -> Write:
    """fastavro's `prepare_bytes_decimal` (same checks, same bytes) without its digit loop."""
    precision, scale = schema["precision"], schema.get("scale", 0)
    quantum, scaling, limit = Decimal(1).scaleb(-scale), 10**scale, 10**precision

    def decimal(value: Any, out: list[bytes]) -> None:
        if not isinstance(value, Decimal):
            base(prepare(value, schema), out)
            return
        if value.same_quantum(quantum):  # the usual case: exactly `scale` places
            numerator, denominator = value.as_integer_ratio()
            unscaled = numerator * (scaling // denominator)  # the coefficient, exactly
            if not -limit < unscaled < limit:
                raise ValueError("The decimal precision is bigger than allowed by schema")
            data = unscaled.to_bytes((abs(unscaled).bit_length() + 8) // 8, "big", signed=True)
            out.append(long_bytes(len(data)))
            out.append(data)
            return
        _, digits, exponent = value.as_tuple()
        if len(digits) > precision:
            raise ValueError("The decimal precision is bigger than allowed by schema")
        if exponent + scale < 0:  # a str exponent (NaN, infinity) raises TypeError, as fastavro
            raise ValueError("Scale provided in schema does not match the decimal")
        # exact: at most _EXACT_DIGITS digits, and an integer once scaled
        unscaled = int(value.scaleb(scale, _EXACT))
        data = unscaled.to_bytes((abs(unscaled).bit_length() + 8) // 8, "big", signed=True)
        out.append(long_bytes(len(data)))
        out.append(data)

    return decimal


def _array(items: Write) -> Write:
    def array(values: Any, out: list[bytes]) -> None:
        if len(values) > 0:
            out.append(long_bytes(len(values)))
            for value in values:
                items(value, out)
        out.append(_EMPTY_BLOCK)

    return array


def _map(values: Write) -> Write:
    def map_(entries: Any, out: list[bytes]) -> None:
        if len(entries) > 0:
            out.append(long_bytes(len(entries)))
            for key, value in entries.items():
                _string(key, out)
                values(value, out)
        out.append(_EMPTY_BLOCK)

    return map_


def _null(value: Any, out: list[bytes]) -> None:
    pass


def _boolean(value: Any, out: list[bytes]) -> None:
    out.append(b"\x01" if value else b"\x00")


def _long(value: Any, out: list[bytes]) -> None:
    out.append(long_bytes(value))


def _float(value: Any, out: list[bytes]) -> None:
    out.append(_FLOAT(value))


def _double(value: Any, out: list[bytes]) -> None:
    out.append(_DOUBLE(value))


def _bytes(value: Any, out: list[bytes]) -> None:
    out.append(long_bytes(len(value)))
    out.append(value)


def _string(value: Any, out: list[bytes]) -> None:
    try:
        data = value.encode()
    except AttributeError:
        raise TypeError(f"must be string, not {type(value).__name__}") from None
    size = len(data)
    out.append(_SMALL[size << 1] if size < _ONE_BYTE_LENGTHS else long_bytes(size))
    out.append(data)


_PRIMITIVE_WRITERS: dict[str, Write] = {
    "null": _null,
    "boolean": _boolean,
    "int": _long,
    "long": _long,
    "float": _float,
    "double": _double,
    "bytes": _bytes,
    "string": _string,
}
