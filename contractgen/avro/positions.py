"""JSON text with positions: parse a document and map any JSON pointer to its line and column."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from json_source_map import calculate
from json_source_map.types import Entry

from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import JsonValue, Location

MALFORMED_JSON = "AVRO001"


@dataclass(slots=True)
class SourceText:
    """A JSON document, its parsed value and a lazily built pointer → position map."""

    file: str
    text: str
    value: JsonValue
    _entries: dict[str, Entry] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, file: str, text: str) -> SourceText:
        try:
            value: JsonValue = json.loads(text)
        except json.JSONDecodeError as error:
            where = Location(file, "", error.lineno, error.colno)
            raise ContractError(
                [
                    Diagnostic(
                        MALFORMED_JSON,
                        f"malformed JSON: {error.msg}; fix the JSON syntax at this position",
                        where,
                    )
                ]
            ) from None
        return cls(file, text, value)

    def location(self, pointer: str) -> Location:
        """Where `pointer` is written: a member's key if it has one, else its value (1-based)."""
        if self._entries is None:
            self._entries = dict(calculate(self.text))
        entry = self._entries.get(pointer)
        if entry is None:
            return Location(self.file, pointer, 0, 0)
        start = entry.key_start or entry.value_start
        return Location(self.file, pointer, start.line + 1, start.column + 1)


def escape_pointer_token(token: str | int) -> str:
    """RFC 6901 escaping of one JSON pointer reference token."""
    return str(token).replace("~", "~0").replace("/", "~1")
