"""Compact JSON exactly as Jackson (inside Avro Java) writes it.

Registries compare and print schemas in this form, so numbers and escapes must match Java's:
`1.0E-7` rather than Python's `1e-07`, `\\u001F` rather than `\\u001f`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from decimal import Decimal

from contractgen.ir.model import JsonValue

_LOWER_HEX_ESCAPE = re.compile(r"\\u00([0-9a-f]{2})")


# What `json.dumps(text, ensure_ascii=False)` calls, without building an encoder per string:
# a canonical string writes a few strings per field.
_encode_string: Callable[[str], str] = json.encoder.encode_basestring


def java_string(text: str) -> str:
    """A JSON string literal with Jackson's escapes (upper-case hex for control characters)."""
    encoded = _encode_string(text)
    if "\\u00" not in encoded:
        return encoded
    return _LOWER_HEX_ESCAPE.sub(lambda m: "\\u00" + m.group(1).upper(), encoded)


def java_double(value: float) -> str:
    """`Double.toString`: plain between 1e-3 and 1e7, else `d.dddE<n>`; shortest digits."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    digits_tuple, exponent = Decimal(repr(abs(value))).as_tuple()[1:]
    digits = "".join(map(str, digits_tuple)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    # value == 0.<digits> * 10 ** point
    point = len("".join(map(str, digits_tuple))) + exponent
    if 1e-3 <= abs(value) < 1e7:
        if point <= 0:
            return f"{sign}0.{'0' * -point}{digits}"
        whole = digits[:point].ljust(point, "0")
        fraction = digits[point:] or "0"
        return f"{sign}{whole}.{fraction}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{point - 1}"


# Java's `Double.parseDouble` grammar (after trimming characters up to U+0020).
_JAVA_DECIMAL = re.compile(r"[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)")
_JAVA_HEX = re.compile(
    r"([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+)[fFdD]?"
)


def java_parse_double(text: str) -> float | None:
    """`Double.parseDouble(text)`, or None where Java throws NumberFormatException."""
    trimmed = text.strip("".join(map(chr, range(33))))
    hexadecimal = _JAVA_HEX.fullmatch(trimmed)
    if hexadecimal:
        value = float.fromhex("0x" + hexadecimal.group(2))
        return -value if hexadecimal.group(1) == "-" else value
    if not _JAVA_DECIMAL.fullmatch(trimmed):
        return None
    number = trimmed.rstrip("fFdD") if not trimmed.endswith("Infinity") else trimmed
    return float(number.replace("Infinity", "inf"))


def java_json(value: JsonValue) -> str:
    """Compact JSON of a parsed value, keys in their original order."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'"{java_double(value)}"'  # Jackson quotes non-numeric numbers
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, str):
        return java_string(value)
    if isinstance(value, list):
        return "[" + ",".join(java_json(item) for item in value) + "]"
    return "{" + ",".join(f"{java_string(k)}:{java_json(v)}" for k, v in value.items()) + "}"
