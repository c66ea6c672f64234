"""Java's `String.format(message, reader, writer)`, as Confluent runs it over every message.

Confluent's `AvroSchema.isBackwardCompatible` formats each message with the two role names
(`new`/`old`), so a `%s` inside a doc becomes a role name, `%%` a percent sign and `%n` a newline;
an invalid specifier (`"100% done"` holds `% d`) makes Java throw, and Confluent does not catch it.
`java_format` reproduces the result, or raises `JavaFormatError` with Java's exception class and
message. Only string arguments occur, so numeric, character and date conversions always fail the
way they fail on a `java.lang.String`.
"""

from __future__ import annotations

import re

# java.util.Formatter's specifier grammar.
_SPECIFIER = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)?(\d+)?(\.\d+)?([tT])?([a-zA-Z%])")
_CONVERSIONS = frozenset("bBhHsScCdoxXeEfgGaAtT%n")
_NUMERIC_OR_CHAR = frozenset("cCdoxXeEfgGaA")


class JavaFormatError(Exception):
    """What Java's Formatter threw: `java_class` (simple name) and Java's message."""

    def __init__(self, java_class: str, message: str) -> None:
        super().__init__(f"{java_class}: {message}")
        self.java_class = java_class
        self.message = message


def _java_hash(text: str) -> int:
    """`String.hashCode()`: over UTF-16 code units, in 32 bits."""
    units = text.encode("utf-16-be")
    value = 0
    for i in range(0, len(units), 2):
        value = (31 * value + int.from_bytes(units[i : i + 2], "big")) & 0xFFFFFFFF
    return value


def _general(
    conversion: str, arg: str, flags: str, width: str | None, precision: str | None
) -> str:
    if conversion in "bB":
        text = "true"
    elif conversion in "hH":
        text = format(_java_hash(arg), "x")
    else:
        text = arg
    if precision:
        text = text[: int(precision[1:])]
    if conversion.isupper():
        text = text.upper()
    if width:
        text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width))
    return text


def java_format(message: str, *args: str) -> str:
    """`String.format(message, *args)` with string arguments; raises JavaFormatError."""
    pieces: list[str | re.Match[str]] = []
    position = 0
    while (start := message.find("%", position)) >= 0:
        pieces.append(message[position:start])
        if start + 1 >= len(message):
            raise JavaFormatError("UnknownFormatConversionException", "Conversion = '%'")
        match = _SPECIFIER.match(message, start)
        if match is None:
            character = message[start + 1]
            raise JavaFormatError("UnknownFormatConversionException", f"Conversion = '{character}'")
        pieces.append(match)
        position = match.end()
    pieces.append(message[position:])

    out: list[str] = []
    ordinary = -1
    last = -1
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        index, flags, width, precision, time, conversion = piece.groups()
        flags = flags or ""
        if conversion == "%":
            out.append(_general("s", "%", flags, width, None))
            continue
        if conversion == "n":
            out.append("\n")
            continue
        if conversion not in _CONVERSIONS and not time:
            raise JavaFormatError(
                "UnknownFormatConversionException", f"Conversion = '{conversion}'"
            )
        if "<" in flags:
            chosen = last
        elif index:
            chosen = int(index[:-1]) - 1
        else:
            ordinary += 1
            chosen = ordinary
        if chosen < 0 or chosen >= len(args):
            raise JavaFormatError(
                "MissingFormatArgumentException", f"Format specifier '{piece[0]}'"
            )
        last = chosen
        if time or conversion in _NUMERIC_OR_CHAR:
            shown = time or conversion
            raise JavaFormatError(
                "IllegalFormatConversionException", f"{shown} != java.lang.String"
            )
        out.append(_general(conversion, args[chosen], flags, width, precision))
    return "".join(out)
