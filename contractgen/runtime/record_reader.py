"""A faster Avro decoder: the datum fastavro's `schemaless_reader` returns (no reader schema,
`return_named_type=True`), read from the same bytes.

Decoding the value was most of a consumed message's cost: fastavro dispatches on the schema for
every value. `datum_reader` turns a parsed schema (fastavro's `parse_schema` output, names
already resolved) into Python source once: a function per record, every other type read inline
(varints, strings and bytes with a one-byte fast path), so each message runs only the reads its
schema needs. Logical types give fastavro's values: timestamps and decimals within their
precision are converted here (`_CONVERSIONS`, `_Compiler._convert`), the others by fastavro's own
functions (`LOGICAL_READERS`). Schemas with what this module does not take on (a name it cannot
find, an unknown type) get None, and the caller keeps using fastavro.

Corrupt data raises (IndexError, EOFError, ValueError, struct.error, UnicodeDecodeError): the
caller wraps every exception, as it does fastavro's. As in fastavro, a negative length raises
and a negative enum or branch index counts from the end; a varint longer than a long is read
whole (fastavro wraps it to 64 bits).
"""

import struct
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal
from typing import Any

from fastavro.read import LOGICAL_READERS

Reader = Callable[[bytes, int], Any]
"""Reads one datum from `data` starting at `pos` (after the framing header)."""
_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
_NAMED = {"record", "error", "enum", "fixed"}
MAX_LINES = 20_000
"""Lines of code at most: a larger schema is left to fastavro, as compiling it would cost more
than many messages save (1,000 fields of strings and optional longs: 13,000 lines, 0.13 s)."""
_FLOAT, _DOUBLE = struct.Struct("<f").unpack_from, struct.Struct("<d").unpack_from
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EXACT_DIGITS = 28
# whatever the thread's decimal context: scaling a number of at most 28 digits is exact
_EXACT = Context(prec=_EXACT_DIGITS, Emax=MAX_EMAX, Emin=MIN_EMIN)
# fastavro's conversions written out: the same values at less than half the cost. The timestamps
# are exact integer arithmetic (fastavro: epoch + timedelta(microseconds=millis * 1000)); a
# decimal within its precision is exact as fastavro's (create_decimal, then scaleb in a context
# of that precision), anything else goes to fastavro's function (it rounds).
_CONVERSIONS = {
    "long-timestamp-millis": "{v} = _EPOCH + _MILLISECOND * {v}",
    "long-timestamp-micros": "{v} = _EPOCH + _MICROSECOND * {v}",
}


class _UnsupportedError(Exception):
    """The schema uses something this module leaves to fastavro."""


def read_long(data: bytes, pos: int) -> tuple[int, int]:
    """The zigzag varint at `pos` and the position after it."""
    byte = data[pos]
    pos += 1
    value, shift = byte & 0x7F, 7
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
    return (value >> 1) ^ -(value & 1), pos


def read_bytes(data: bytes, pos: int) -> tuple[bytes, int]:
    """Length-prefixed bytes; EOFError for a negative length or one past the end."""
    size, pos = read_long(data, pos)
    end = pos + size
    if size < 0 or end > len(data):
        raise EOFError(f"Expected {size} bytes, read {len(data) - pos}")
    return data[pos:end], end


def _finish(value: Any, pos: int, data: bytes) -> Any:
    """The datum of a whole message, once the reads stayed inside it (a one-byte fast path
    slices without checking: a slice past the end is short, caught here or by the next read)."""
    if pos > len(data):
        raise EOFError(f"the datum needs {pos} bytes, the message has {len(data)}")
    return value


def datum_reader(schema: Any) -> Reader | None:
    """The reader of a parsed schema, or None when it uses what this module does not handle, is
    too large to compile (MAX_LINES) or nests deeper than Python's compiler takes (20 loops:
    more than ten arrays or maps in one another)."""
    try:
        return _Compiler(schema).compile()
    except (_UnsupportedError, SyntaxError, RecursionError):
        return None


class _Compiler:
    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._named: dict[str, Any] = {}  # full name -> definition, as fastavro's named_schemas
        _collect(schema, self._named)
        self._scope: dict[str, Any] = {
            "read_long": read_long,
            "read_bytes": read_bytes,
            "_finish": _finish,
            "_FLOAT": _FLOAT,
            "_DOUBLE": _DOUBLE,
            "_EPOCH": _EPOCH,
            "_MILLISECOND": timedelta(milliseconds=1),
            "_MICROSECOND": timedelta(microseconds=1),
            "_Decimal": Decimal,
            "_EXACT": _EXACT,
            "_from_bytes": int.from_bytes,
        }
        self._functions: dict[str, str] = {}  # record full name -> its function's name
        self._source: list[str] = []

    def compile(self) -> Reader:
        body = self._emit(self._schema, "v", 1)
        if len(body) + len(self._source) > MAX_LINES:
            raise _UnsupportedError(f"more than {MAX_LINES} lines")
        top = ["def top(data, pos):", *body, "    return _finish(v, pos, data)"]
        # The code is built from the schema's names as literals and the names bound in the
        # scope only; one namespace, so a recursive record calls its own function.
        source = "\n".join([*self._source, *top])
        exec(compile(source, "<avro reader>", "exec"), self._scope)
        reader: Reader = self._scope["top"]
        return reader

    def _constant(self, value: Any) -> str:
        name = f"c{len(self._scope)}"
        self._scope[name] = value
        return name

    def _emit(self, schema: Any, target: str, depth: int) -> list[str]:
        """Statements (indented `depth` levels) reading a datum of `schema` into `target`,
        advancing `pos`."""
        pad = "    " * depth
        if isinstance(schema, list):
            return self._union(schema, target, depth)
        if isinstance(schema, str):
            if schema in _PRIMITIVES:
                return [pad + line for line in _primitive(schema, target)]
            definition = self._named.get(schema)
            if definition is None:
                raise _UnsupportedError(schema)
            return self._emit(definition, target, depth)
        if not isinstance(schema, dict):
            raise _UnsupportedError(repr(schema))
        kind = schema.get("type")
        logical = schema.get("logicalType")
        if logical and isinstance(kind, str):
            convert = LOGICAL_READERS.get(f"{kind}-{logical}")
            if convert is not None:
                base = self._emit(
                    {k: v for k, v in schema.items() if k != "logicalType"}, target, depth
                )
                return [*base, *(pad + line for line in self._convert(schema, convert, target))]
        if kind in _PRIMITIVES:
            return [pad + line for line in _primitive(kind, target)]
        if kind in ("record", "error"):
            return [f"{pad}{target}, pos = {self._record(schema)}(data, pos)"]
        if kind == "enum":
            symbols = self._constant(tuple(schema["symbols"]))
            # a negative index counts from the end, as fastavro's list index does
            return [
                *(pad + line for line in _primitive("long", "n")),
                f"{pad}{target} = {symbols}[n]",
            ]
        if kind == "fixed":
            size = int(schema["size"])
            return [f"{pad}{target} = data[pos:pos + {size}]", f"{pad}pos += {size}"]
        if kind == "array":
            item = f"i{depth}"
            return self._blocks(
                target,
                depth,
                [*self._emit(schema["items"], item, depth + 2)],
                f"{target}.append({item})",
                "[]",
            )
        if kind == "map":
            key, value = f"k{depth}", f"i{depth}"
            lines = [
                *(("    " * (depth + 2)) + line for line in _primitive("string", key)),
                *self._emit(schema["values"], value, depth + 2),
            ]
            return self._blocks(target, depth, lines, f"{target}[{key}] = {value}", "{}")
        if isinstance(kind, (str, dict, list)):  # {"type": <a named or nested type>}
            return self._emit(kind, target, depth)
        raise _UnsupportedError(repr(kind))

    def _convert(self, schema: dict[str, Any], convert: Any, target: str) -> list[str]:
        """Statements turning the wire value in `target` into the logical type's value."""
        function, argument = self._constant(convert), self._constant(schema)
        fastavro = f"{target} = {function}({target}, {argument}, None)"
        key = f"{schema['type']}-{schema['logicalType']}"
        if key in _CONVERSIONS:
            return [_CONVERSIONS[key].format(v=target)]
        precision, scale = schema.get("precision"), schema.get("scale", 0)
        if key != "bytes-decimal" or not isinstance(precision, int) or not isinstance(scale, int):
            return [fastavro]
        if not 0 < precision <= _EXACT_DIGITS:
            return [fastavro]
        limit = 10**precision
        return [
            f"u = _from_bytes({target}, 'big', signed=True)",
            f"if -{limit} < u < {limit}:",
            f"    {target} = _Decimal(u).scaleb({-scale}, _EXACT)",
            "else:",
            f"    {fastavro}",
        ]

    def _blocks(
        self, target: str, depth: int, read: list[str], store: str, empty: str
    ) -> list[str]:
        """An array's or a map's blocks: a count (negative: followed by the block's size in
        bytes), the items, until a count of 0."""
        pad, inner = "    " * depth, "    " * (depth + 2)
        count = f"n{depth}"
        return [
            f"{pad}{target} = {empty}",
            *(pad + line for line in _primitive("long", count)),
            f"{pad}while {count}:",
            f"{pad}    if {count} < 0:",
            f"{pad}        {count} = -{count}",
            f"{pad}        _, pos = read_long(data, pos)",
            f"{pad}    for _ in range({count}):",
            *read,
            f"{inner}{store}",
            *(pad + "    " + line for line in _primitive("long", count)),
        ]

    def _union(self, branches: list[Any], target: str, depth: int) -> list[str]:
        pad = "    " * depth
        index = f"u{depth}"
        lines = [*(pad + line for line in _primitive("long", index))]
        # a negative index counts from the end, as fastavro's list index does
        lines += [f"{pad}if {index} < 0:", f"{pad}    {index} += {len(branches)}"]
        for number, branch in enumerate(branches):
            lines.append(f"{pad}{'if' if number == 0 else 'elif'} {index} == {number}:")
            lines += self._emit(branch, target, depth + 1)
            name = self._named_type(branch)
            if name is not None:  # return_named_type: (full name, value)
                lines.append(f"{pad}    {target} = ({name!r}, {target})")
        lines += [f"{pad}else:", f"{pad}    raise IndexError(f'union branch {{{index}}}')"]
        return lines

    def _named_type(self, branch: Any) -> str | None:
        definition = self._named.get(branch) if isinstance(branch, str) else branch
        if isinstance(definition, dict) and definition.get("type") in _NAMED:
            return str(definition["name"])
        return None

    def _record(self, schema: dict[str, Any]) -> str:
        """The name of the function reading records of `schema`, compiled on first use."""
        full_name = str(schema["name"])
        function = self._functions.get(full_name)
        if function is not None:
            return function
        function = self._functions[full_name] = f"r{len(self._functions)}"
        lines = [f"def {function}(data, pos):"]
        names = []
        for number, field in enumerate(schema.get("fields", [])):
            lines += self._emit(field["type"], f"f{number}", 1)
            names.append(str(field["name"]))
            if len(lines) + len(self._source) > MAX_LINES:
                raise _UnsupportedError(f"more than {MAX_LINES} lines")
        fields = ", ".join(f"{name!r}: f{number}" for number, name in enumerate(names))
        lines.append(f"    return {{{fields}}}, pos")
        self._source += lines
        return function


def _primitive(kind: str, target: str) -> list[str]:
    """Statements reading a primitive into `target` (at depth 0): the one-byte varint, string
    and bytes fast paths inline, the rest through read_long / read_bytes."""
    if kind == "null":
        return [f"{target} = None"]
    if kind == "boolean":  # as fastavro: any byte but 0 is true
        return [f"{target} = data[pos] != 0", "pos += 1"]
    if kind in ("int", "long"):
        return [
            "b = data[pos]",
            "if b < 0x80:",
            f"    {target} = (b >> 1) ^ -(b & 1)",
            "    pos += 1",
            "else:",
            f"    {target}, pos = read_long(data, pos)",
        ]
    if kind == "float":
        return [f"{target} = _FLOAT(data, pos)[0]", "pos += 4"]
    if kind == "double":
        return [f"{target} = _DOUBLE(data, pos)[0]", "pos += 8"]
    decode = ".decode()" if kind == "string" else ""
    return [
        "b = data[pos]",
        "if b < 0x80 and not b & 1:",  # a length below 64 in one byte
        "    end = pos + 1 + (b >> 1)",
        f"    {target} = data[pos + 1:end]{decode}",
        "    pos = end",
        "else:",
        f"    {target}, pos = read_bytes(data, pos)",
        *([f"    {target} = {target}.decode()"] if decode else []),
    ]


def _collect(schema: Any, named: dict[str, Any]) -> None:
    """Every named type defined in `schema`, by full name."""
    if isinstance(schema, list):
        for branch in schema:
            _collect(branch, named)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in _NAMED:
            named.setdefault(str(schema["name"]), schema)
        for field in schema.get("fields", ()) if kind in ("record", "error") else ():
            _collect(field["type"], named)
        for key in ("items", "values"):
            if key in schema:
                _collect(schema[key], named)
        if isinstance(kind, dict | list):
            _collect(kind, named)
