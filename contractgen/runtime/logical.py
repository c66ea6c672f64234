"""Which logical types Avro honours, and schemas without the ones it ignores.

Avro Java ignores a logical type that is invalid on its type (a decimal of precision 0, a uuid
on a fixed of 8 bytes, a date on a string): the value is plain data of the underlying type.
fastavro instead refuses some such schemas outright (an invalid decimal) or converts values Java
leaves alone, so the runtime drops them before fastavro parses a schema
(`contractgen.runtime.java_reading`). Code generation uses `honoured_logical_type` too: a field
has the Python type Avro reads it as.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

_BASES = {
    "decimal": ("bytes", "fixed"),
    "uuid": ("string", "fixed"),
    "date": ("int",),
    "time-millis": ("int",),
    "time-micros": ("long",),
    "timestamp-millis": ("long",),
    "timestamp-micros": ("long",),
    "timestamp-nanos": ("long",),
    "local-timestamp-millis": ("long",),
    "local-timestamp-micros": ("long",),
    "local-timestamp-nanos": ("long",),
    "duration": ("fixed",),
}
_FIXED_SIZE = {"uuid": 16, "duration": 12}
KNOWN_LOGICAL_TYPES = frozenset(_BASES)
"""The logical types of the Avro specification (any other name is a custom one, kept as data)."""


def honoured_logical_type(
    base: str, logical: object, props: Mapping[str, Any], size: int | None = None
) -> str | None:
    """`logical` if Avro Java honours it on `base` (a primitive name or "fixed" of `size`)."""
    if not isinstance(logical, str) or base not in _BASES.get(logical, ()):
        return None
    if base == "fixed" and logical in _FIXED_SIZE and size != _FIXED_SIZE[logical]:
        return None
    if logical == "decimal" and not _valid_decimal(props, size):
        return None
    return logical


def _valid_decimal(props: Mapping[str, Any], size: int | None) -> bool:
    """Java's `LogicalTypes.Decimal.validate`: a positive precision that fits a fixed, and a
    scale (0 if absent) between 0 and the precision."""
    precision, scale = props.get("precision"), props.get("scale", 0)
    if type(precision) is not int or type(scale) is not int:  # bool is no number here
        return False
    if size is not None and precision > math.floor(math.log10(2) * (8 * size - 1)):
        return False
    return precision > 0 and 0 <= scale <= precision
