"""JSON text with positions: parse a document and map any JSON pointer to its line and column."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from contractgen.avro.depth import allow_deep_schemas, check_nesting
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import JsonValue, Location

MALFORMED_JSON = "AVRO001"


@dataclass(slots=True)
class SourceText:
    """A JSON document, its parsed value and a lazily built pointer → position map."""

    file: str
    text: str
    value: JsonValue
    _offsets: dict[str, int] | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, file: str, text: str) -> SourceText:
        check_nesting(file, text)
        allow_deep_schemas()
        try:
            value: JsonValue = json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as error:
            where = Location(file, "", error.lineno, error.colno)
            raise ContractError(
                [
                    Diagnostic(
                        MALFORMED_JSON,
                        f"malformed JSON: {_json_message(error.msg)}; fix the JSON syntax at "
                        "this position",
                        where,
                    )
                ]
            ) from None
        return cls(file, text, value)

    def location(self, pointer: str) -> Location:
        """Where `pointer` is written: a member's key if it has one, else its value (1-based)."""
        if self._offsets is None or self._line_starts is None:
            self._offsets = pointer_offsets(self.text)
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        offset = self._offsets.get(pointer)
        if offset is None:
            return Location(self.file, pointer, 0, 0)
        line = bisect_right(self._line_starts, offset)
        return Location(self.file, pointer, line, offset - self._line_starts[line - 1] + 1)


def _no_constant(name: str) -> JsonValue:
    # Jackson (inside Avro Java) refuses the NaN and Infinity literals Python's json accepts.
    raise json.JSONDecodeError(f"{name} is not a JSON value", name, 0)


def _json_message(message: str) -> str:
    """Python's message without its dangling "at" / "starting at" (it expects a position after)."""
    return re.sub(r"\s+(?:starting\s+)?at$", "", message)


def escape_pointer_token(token: str | int) -> str:
    """RFC 6901 escaping of one JSON pointer reference token."""
    text = str(token)
    if "~" not in text and "/" not in text:
        return text
    return text.replace("~", "~0").replace("/", "~1")


# A string, a punctuation mark, or a bare literal (number, true, false, null).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def pointer_offsets(text: str) -> dict[str, int]:
    """JSON pointer → offset of where it is written: a member's key, or an array item's value.

    `text` must be valid JSON (check with `json.loads` first). A single regular-expression pass:
    profiles showed a character-by-character source map costing half of a `check`.
    """
    offsets: dict[str, int] = {}
    # One frame per open container: [pointer, is_object, next array index, pending member pointer]
    stack: list[list[object]] = []
    expecting_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in ",:":
            expecting_key = first == "," and bool(stack) and stack[-1][1] is True
            continue
        if first in "}]":
            stack.pop()
            expecting_key = False
            continue
        if expecting_key:
            frame = stack[-1]
            key = json.loads(token) if "\\" in token else token[1:-1]
            frame[3] = f"{frame[0]}/{escape_pointer_token(key)}"
            offsets[str(frame[3])] = match.start()
            expecting_key = False
            continue
        if not stack:
            pointer = ""
            offsets[pointer] = match.start()
        elif stack[-1][1] is True:
            pointer = str(stack[-1][3])
        else:
            frame = stack[-1]
            index = frame[2]
            assert isinstance(index, int)
            pointer = f"{frame[0]}/{index}"
            frame[2] = index + 1
            offsets[pointer] = match.start()
        if first == "{":
            stack.append([pointer, True, 0, ""])
            expecting_key = True
        elif first == "[":
            stack.append([pointer, False, 0, ""])
    return offsets
