"""JSON text with positions: parse a document and map any JSON pointer to its line and column."""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from bisect import bisect_right

from contractgen.avro.depth import JSON_STRING, allow_deep_schemas, check_nesting
from contractgen.avro.gcpause import collector_paused
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import PRIMITIVE_NAMES, JsonValue, Location

MALFORMED_JSON = "AVRO001"


class TextPositions:
    """Where each JSON pointer of a text is written, found on the first question.

    The pointer → offset map costs a pass over the whole text in Python and ~5x the text in
    memory: a command that reports nothing (the usual case) never builds it.
    """

    __slots__ = ("_line_starts", "_offsets", "_packed", "_text", "file", "length")

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.length = len(text)
        big = self.length >= _PACKED_TEXT
        self._text = None if big else text
        self._packed = _pack(text) if big else b""
        self._offsets: dict[str, int] | None = None
        self._line_starts: list[int] = []

    @property
    def text(self) -> str:
        """The text (unpacked again each time it is read, if it is big: rarely, see below)."""
        if self._text is not None:
            return self._text
        return zlib.decompress(self._packed).decode("utf-8", "surrogatepass")

    def line_column(self, pointer: str) -> tuple[int, int]:
        """1-based line and column of `pointer`'s key (else its value); (0, 0) if absent."""
        if self._offsets is None:
            text = self.text
            self._offsets = pointer_offsets(text)
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        offset = self._offsets.get(pointer)
        if offset is None:
            return 0, 0
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


_PACKED_TEXT = 1 << 20
"""A text this long is kept compressed. It is read again only for a line and column (a command
that reports nothing never asks) or to parse it again, and a big schema's text was as large as
any other part of the memory kept for it but its model."""
_CHUNK = 1 << 20


def _pack(text: str) -> bytes:
    """The text compressed (fast: level 1), a chunk at a time (no encoded copy of it whole)."""
    packer = zlib.compressobj(1)
    packed = [
        packer.compress(text[start : start + _CHUNK].encode("utf-8", "surrogatepass"))
        for start in range(0, len(text), _CHUNK)
    ]
    packed.append(packer.flush())
    return b"".join(packed)


def text_digest(text: str) -> bytes:
    """SHA-256 of the text, a chunk at a time: what a cache of parses keys a text by."""
    digest = hashlib.sha256()
    for start in range(0, len(text), _CHUNK):
        digest.update(text[start : start + _CHUNK].encode("utf-8", "surrogatepass"))
    return digest.digest()


_FILE, _POINTER, _LINE, _COLUMN = (
    Location.__dict__[name] for name in ("file", "pointer", "line", "column")
)
"""Location's slots, written directly: a TextLocation keeps other things in them (see below)."""


class TextLocation(Location):
    """A Location in a text whose pointer, line and column are worked out when first read.

    Every parse node and IR node has a location, and a big schema has millions of nodes: finding
    each one's line eagerly was half of `validate`, and its pointer string (`/fields/7/type/1`)
    took more memory than the node. A location made with `child` holds its parent and a member
    instead. It equals, hashes and pickles as the plain Location.

    It has no slots of its own (an object per node: two more slots were a fifth of its size);
    Location's four hold, until the value they name is known:
    - `file`: the TextPositions (the file name is read from it);
    - `pointer`: the parent location, until the pointer is built;
    - `line`: the member, until the line is found (the pointer is built first);
    - `column`: unset, until the line and column are found.
    """

    __slots__ = ()

    def __init__(self, positions: TextPositions, pointer: str) -> None:
        _FILE.__set__(self, positions)
        _POINTER.__set__(self, pointer)

    def child(self, member: str | int) -> TextLocation:
        """The location of `member` of the value here: a schema attribute (a key that needs no
        escaping) or an array index."""
        child = _new(TextLocation)
        _FILE.__set__(child, _FILE.__get__(self, Location))
        _POINTER.__set__(child, self)
        _LINE.__set__(child, member)
        return child

    @property
    def file(self) -> str:
        positions: TextPositions = _FILE.__get__(self, Location)
        return positions.file

    @property
    def pointer(self) -> str:
        known: str | TextLocation = _POINTER.__get__(self, Location)
        if isinstance(known, str):
            return known
        # Up to the nearest location whose pointer is known, then down again (no recursion:
        # schemas nest up to 1,000 levels).
        pending: list[TextLocation] = []
        at: TextLocation = self
        while not isinstance(known, str):
            pending.append(at)
            at = known
            known = _POINTER.__get__(at, Location)
        for location in reversed(pending):
            known = f"{known}/{_LINE.__get__(location, Location)}"
            _POINTER.__set__(location, known)
        return known

    def _found(self) -> tuple[int, int]:
        try:
            column: int = _COLUMN.__get__(self, Location)
        except AttributeError:
            pointer = self.pointer  # before the line replaces the member
            positions: TextPositions = _FILE.__get__(self, Location)
            line, column = positions.line_column(pointer)
            _LINE.__set__(self, line)
            _COLUMN.__set__(self, column)
            return line, column
        return _LINE.__get__(self, Location), column

    @property
    def line(self) -> int:
        return self._found()[0]

    @property
    def column(self) -> int:
        return self._found()[1]

    def _plain(self) -> Location:
        return Location(self.file, self.pointer, *self._found())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return (self.file, self.pointer, self.line, self.column) == (
            other.file,
            other.pointer,
            other.line,
            other.column,
        )

    def __hash__(self) -> int:
        return hash(self._plain())

    def __repr__(self) -> str:
        return repr(self._plain())

    def __reduce__(self) -> tuple[type[Location], tuple[str, str, int, int]]:
        return Location, (self.file, self.pointer, *self._found())


_new = object.__new__


class SourceText:
    """A JSON document, its parsed value and where each of its JSON pointers is written."""

    __slots__ = ("_value", "file", "positions")

    def __init__(self, file: str, text: str, value: JsonValue) -> None:
        self.file = file
        self._value: JsonValue | _Dropped = value
        self.positions = TextPositions(file, text)

    @property
    def text(self) -> str:
        return self.positions.text

    @property
    def value(self) -> JsonValue:
        """The parsed JSON (read from the text again if it was dropped)."""
        if isinstance(self._value, _Dropped):
            self._value = _loads(self.text)
        return self._value

    def drop_value(self) -> None:
        """Let the parsed JSON go once its parse is built: for a big schema its dicts and lists
        are ~5x the text, and the largest part of the memory at the parse's peak."""
        self._value = _Dropped()

    @classmethod
    def parse(cls, file: str, text: str) -> SourceText:
        check_nesting(file, text)
        allow_deep_schemas()
        try:
            value = _loads(text)
        except _NumberTooLongError as error:
            raise ContractError(
                [
                    Diagnostic(
                        MALFORMED_JSON,
                        f"a number of {len(error.digits)} characters, more than the "
                        f"{MAX_NUMBER_LENGTH} Avro's JSON parser (and so a registry) reads; "
                        "write a shorter number",
                        _location_of(file, text, text.find(error.digits)),
                    )
                ]
            ) from None
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

    def location(self, pointer: str) -> TextLocation:
        """Where `pointer` is written: a member's key if it has one, else its value (1-based).

        Line and column are found when read; the location holds the text, not the parsed value.
        """
        return TextLocation(self.positions, pointer)


class _Dropped:
    """The JSON of a SourceText that let it go."""

    __slots__ = ()


def _loads(text: str) -> JsonValue:
    with collector_paused():
        value: JsonValue = json.loads(
            text,
            object_hook=_shared_type_names,
            parse_constant=_no_constant,
            parse_int=_int,
            parse_float=_float,
        )
    return value


_TYPE_NAMES = {
    name: name for name in (*PRIMITIVE_NAMES, "record", "error", "enum", "fixed", "array", "map")
}


def _shared_type_names(node: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The object with its type names (`"type": "long"`, `"type": ["null", "long"]`) one shared
    string each: the JSON has a new string per use, and a big schema uses one per field, the
    largest part of its JSON after the objects themselves (the parse reads it whole first)."""
    kind = node.get("type")
    if type(kind) is str:
        node["type"] = _TYPE_NAMES.get(kind, kind)
    elif type(kind) is list:
        for index, branch in enumerate(kind):
            if type(branch) is str:
                kind[index] = _TYPE_NAMES.get(branch, branch)
    return node


MAX_NUMBER_LENGTH = 1000
"""Jackson's `StreamReadConstraints.DEFAULT_MAX_NUM_LEN`, as Avro Java 1.12 parses with it.
(Python's own int parsing stops at 4,300 digits with a ValueError.)"""


class _NumberTooLongError(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _int(digits: str) -> int:
    if len(digits) > MAX_NUMBER_LENGTH:
        raise _NumberTooLongError(digits)
    return int(digits)


def _float(digits: str) -> float:
    if len(digits) > MAX_NUMBER_LENGTH:
        raise _NumberTooLongError(digits)
    return float(digits)


def _location_of(file: str, text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(file, "", line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


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


# A member's key (a string followed by a colon), a bracket, or a value (string or bare literal).
# Commas and colons need no token of their own: a key is recognised by its colon.
_TOKEN = re.compile(rf'({JSON_STRING})\s*:|[{{}}\[\]]|{JSON_STRING}|[^\s{{}}\[\],:"]+')


def pointer_offsets(text: str) -> dict[str, int]:
    """JSON pointer → offset of where it is written: a member's key, or an array item's value.

    `text` must be valid JSON (check with `json.loads` first). A single regular-expression pass:
    profiles showed a character-by-character source map costing half of a `check`.
    """
    offsets: dict[str, int] = {}
    # The open containers: their pointers, whether each is an object, the next array index,
    # and the pointer of the object member whose value comes next.
    pointers: list[str] = []
    is_object: list[bool] = []
    index: list[int] = []
    member = ""
    members: list[str] = []
    for match in _TOKEN.finditer(text):
        key = match.group(1)
        if key is not None:
            name = json.loads(key) if "\\" in key else key[1:-1]
            member = f"{pointers[-1]}/{escape_pointer_token(name)}"
            offsets[member] = match.start()
            continue
        first = match.group()[0]
        if first in "}]":
            pointers.pop()
            is_object.pop()
            index.pop()
            member = members.pop()
            continue
        if not pointers:
            pointer = ""
            offsets[pointer] = match.start()
        elif is_object[-1]:
            pointer = member
        else:
            pointer = f"{pointers[-1]}/{index[-1]}"
            index[-1] += 1
            offsets[pointer] = match.start()
        if first in "{[":
            pointers.append(pointer)
            is_object.append(first == "{")
            index.append(0)
            members.append(member)
    return offsets
