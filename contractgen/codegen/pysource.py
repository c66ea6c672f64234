"""Python literals for arbitrary text: docstrings and long strings, safe and within line length.

Schema docs are user input: they may hold quotes, backslashes, triple quotes, control characters or
template syntax. Everything goes through `json.dumps`-style escaping or the docstring escaping
below, never through raw interpolation.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import textwrap
import tokenize
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from json.encoder import encode_basestring_ascii
from urllib.parse import quote

LINE_LENGTH = 100


_ASTRAL = re.compile("([\U00010000-\U0010ffff])")


def _escaped(text: str) -> str:
    """`text` escaped as JSON does (ASCII only, no quotes around it), but a character beyond
    U+FFFF as a Python `\\U` escape: JSON's surrogate pair would read back as two code points."""
    # `encode_basestring_ascii` is what `json.dumps` calls for a string, without its set-up
    if not _ASTRAL.search(text):
        return encode_basestring_ascii(text)[1:-1]
    return "".join(  # split() puts the astral characters at the odd indices
        f"\\U{ord(part):08x}" if index % 2 else encode_basestring_ascii(part)[1:-1]
        for index, part in enumerate(_ASTRAL.split(text))
    )


def string_literal(text: str) -> str:
    """A Python string literal, ASCII only (JSON escapes are valid Python escapes).

    Double-quoted unless that needs more escapes than single quotes (JSON, typically), as ruff
    and black would write it, so schema strings read as JSON rather than a wall of backslashes.
    """
    if text.isascii() and text.isidentifier():  # nothing to escape (most Avro names)
        return f'"{text}"'
    escaped = _escaped(text)
    if text.count('"') <= text.count("'"):
        return f'"{escaped}"'
    # JSON writes a quote only as `\"` (the backslash before a quote is always its escape: an
    # escaped backslash is `\\`) and never escapes an apostrophe, so two replacements suffice.
    return "'" + escaped.replace('\\"', '"').replace("'", "\\'") + "'"


def comment_text(text: str) -> str:
    """`text` for a `#` comment: percent-encoded (RFC 3986, UTF-8) unless it is a letter, digit,
    space or one of `/,.-_~`. No line break survives, and without `:` or `=` no comment can be
    read as an encoding declaration (PEP 263), whatever a file or directory is called."""
    return quote(text, safe="/, ", errors="surrogatepass")


def bytes_literal(data: bytes) -> str:
    """A double-quoted bytes literal with lower-case hex escapes."""
    body = "".join(
        "\\" + chr(b) if chr(b) in '\\"' else chr(b) if 32 <= b < 127 else f"\\x{b:02x}"
        for b in data
    )
    return f'b"{body}"'


# Printable ASCII but the backslash: one character each in a literal (quotes counted apart).
_PLAIN_OR_ONE = re.compile(r"([ -\[\]-~]+)|.", re.DOTALL)
_PLAIN = re.compile(r"[ -\[\]-~]*")


def spooled_string_chunks(blocks: Callable[[], Iterable[str]], width: int) -> Iterator[str]:
    """`string_chunks` of a text read in blocks (`blocks()` gives them again on each call), the
    same literals without the text held whole when it is plain (a canonical schema): one pass
    tells, the next cuts. Otherwise the text is joined and cut by `string_chunks`."""
    plain = quotes = apostrophes = False
    for block in blocks():
        plain = _PLAIN.fullmatch(block) is not None
        quotes = quotes or '"' in block
        apostrophes = apostrophes or "'" in block
        if not plain or (quotes and apostrophes):
            yield from string_chunks("".join(blocks()), width)
            return
    step = max(1, width - 2)
    carry, cut = "", False
    for block in blocks():
        text = carry + block
        whole = len(text) - len(text) % step
        for i in range(0, whole, step):
            piece = text[i : i + step]
            yield f"'{piece}'" if '"' in piece else f'"{piece}"'
        carry, cut = text[whole:], cut or whole > 0
    if carry or not cut:
        yield f"'{carry}'" if '"' in carry else f'"{carry}"'


def string_chunks(text: str, width: int) -> Iterator[str]:
    """`text` as adjacent string literals of at most `width` characters each, as `string_literal`
    writes them; an escape sequence is never split and the cost stays linear in the text. One at
    a time: a big schema's are several times its text, held together.

    Each literal takes as many characters as fit (at least one). Runs of plain characters, most
    of a schema, are measured with `str.count` a chunk at a time rather than a character at a
    time: a literal's size only grows with each character, so the fitting length is searched.
    """
    if _PLAIN.fullmatch(text) and ('"' not in text or "'" not in text):
        # The common case (a canonical schema): every character is one in a literal, and no
        # literal needs an escape (that takes quotes of both kinds): slices of one size, in the
        # quotes `string_literal` picks (single ones around a double quote).
        step = max(1, width - 2)
        for i in range(0, len(text) or 1, step):
            piece = text[i : i + step]
            yield f"'{piece}'" if '"' in piece else f'"{piece}"'
        return
    start = base = double = single = 0
    for match in _PLAIN_OR_ONE.finditer(text):
        index, end = match.span()
        if match.group(1) is None:  # a character with an escape of its own, or a backslash
            size = _escaped_size(text[index])
            if index > start and _literal_size(base + size, double, single) > width:
                yield string_literal(text[start:index])
                start, base, double, single = index, 0, 0, 0
            base += size
            continue
        while index < end:
            taken = _plain_fit(text, index, end, (base, double, single), width)
            if taken == 0 and index == start:
                taken = 1  # a literal holds at least one character, however long
            quotes = text.count('"', index, index + taken)
            apostrophes = text.count("'", index, index + taken)
            base += taken - quotes - apostrophes
            double += quotes
            single += apostrophes
            index += taken
            if index < end:  # the next character does not fit
                yield string_literal(text[start:index])
                start, base, double, single = index, 0, 0, 0
    yield string_literal(text[start:])


def _plain_fit(text: str, index: int, end: int, sizes: tuple[int, int, int], width: int) -> int:
    """How many plain characters from `index` (before `end`) still fit a literal of `sizes`."""
    base, double, single = sizes

    def fits(count: int) -> bool:
        quotes = text.count('"', index, index + count)
        apostrophes = text.count("'", index, index + count)
        grown = _literal_size(
            base + count - quotes - apostrophes, double + quotes, single + apostrophes
        )
        return grown <= width

    # each character adds at least one to the size, so no more than this can fit
    low, high = 0, max(0, min(end - index, width - _literal_size(base, double, single)))
    if fits(high):
        return high
    while low < high - 1:  # fits(low) (or low == 0), not fits(high)
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low


def _literal_size(base: int, double: int, single: int) -> int:
    """The length of `string_literal` for text of that escaped size and those quote counts."""
    if double <= single:
        return 2 + base + 2 * double + single
    return 2 + base + double + 2 * single


@cache
def _escaped_size(char: str) -> int:
    return len(_escaped(char))


def docstring(text: str | None, indent: str) -> list[str]:
    """The lines of a docstring for `text` (empty if there is none), wrapped to the line length."""
    if not text or not text.strip():
        return []
    escaped = _escape(text.strip())
    width = LINE_LENGTH - len(indent)
    lines: list[str] = []
    for paragraph in _paragraphs(escaped):
        wrapped = _wrap_paragraph(paragraph, width - 6) or [""]
        lines.extend(piece for line in wrapped for piece in _split_long(line, width - 6))
    # a doc may be megabytes: its lines are enough from here, and nothing else may hold them
    del escaped, wrapped
    if len(lines) == 1 and len(lines[0]) + 6 <= width:
        return [f'{indent}"""{lines[0]}"""']
    for index, line in enumerate(lines):  # in place: one copy of a long doc's lines at a time
        if line:
            lines[index] = f"{indent}{line}"
    return [f'{indent}"""', *lines, f'{indent}"""']


def _paragraphs(escaped: str) -> Iterator[str]:
    """`escaped.splitlines()` one at a time: `\\n` is the only line break `_escape` leaves."""
    start = 0
    while (end := escaped.find("\n", start)) >= 0:
        yield escaped[start:end]
        start = end + 1
    if start < len(escaped):
        yield escaped[start:]


_WINDOW = 1 << 16
"""Characters of a paragraph wrapped at a time: textwrap makes an object per word and per
space, several times the text of a paragraph of megabytes (a schema's doc may be one)."""


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    """`textwrap.wrap` (long words stay whole: splitting one could split an escape sequence),
    a window at a time. Wrapping is greedy, so every line of a window but its last is final; the
    last one is wrapped again with the next window. The only white space left in an escaped
    paragraph is the space (see `_escape`), so a window ends after a word before a space."""
    lines: list[str] = []
    start, carried = 0, ""
    while True:
        end = len(paragraph)
        if end - start > _WINDOW:
            space = paragraph.rfind(" ", start, start + _WINDOW)
            word_end = len(paragraph[start:space].rstrip(" ")) + start if space > start else start
            end = word_end if word_end > start else end  # one word filling the window: all
        wrapped = textwrap.wrap(
            carried + paragraph[start:end],
            width=width,
            break_long_words=False,
            break_on_hyphens=False,
        )
        if end == len(paragraph):
            return lines + wrapped
        lines += wrapped[:-1]
        carried, start = wrapped[-1], end


_ATOM = re.compile(r"\\(?:U[0-9a-f]{8}|u[0-9a-f]{4}|.)|.", re.DOTALL)


def _split_long(line: str, width: int) -> list[str]:
    """A line holding a word longer than `width`, cut between escape sequences (never inside)."""
    if len(line) <= width:
        return [line]
    pieces = [""]
    for atom in _ATOM.findall(line):
        if len(pieces[-1]) + len(atom) > width:
            pieces.append("")
        pieces[-1] += atom
    return [piece.strip() for piece in pieces if piece.strip()]


_PRINTABLE = re.compile(r"[ -~\n\t]*")
"""Text whose every character stays as it is in a docstring (most docs: no loop over them)."""


def _escape(text: str) -> str:
    quoted = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if not _PRINTABLE.fullmatch(quoted):
        quoted = "".join(_escape_char(char) for char in quoted)
    escaped = quoted.replace("\t", "    ")
    # a docstring may not end in an unescaped quote: it would merge with the closing quotes
    if not escaped.endswith('"'):
        return escaped
    quote = len(escaped) - 1
    before = quote  # the backslashes before it (counted: a slice would copy a long doc)
    while before > 0 and escaped[before - 1] == "\\":
        before -= 1
    return escaped[:-1] + '\\"' if (quote - before) % 2 == 0 else escaped


def _escape_char(char: str) -> str:
    # non-ASCII is escaped too: ruff flags look-alike characters (RUF002)
    if char in "\n\t" or (char.isascii() and char.isprintable()):
        return char
    if 0xD800 <= ord(char) <= 0xDFFF:
        # a lone surrogate is shown, not kept: CPython refuses one in a class's __doc__
        return f"\\\\u{ord(char):04x}"
    return json.dumps(char)[1:-1] if ord(char) < 0x10000 else f"\\U{ord(char):08x}"


def fit(indent: str, prefix: str, expression: str, suffix: str) -> list[str]:
    """`prefix expression suffix` on one line if it fits, else the expression in parentheses.

    A union type too long for one line is split before each `|`. An expression that still does
    not fit (deeply nested comprehensions over long names) is broken between its tokens.
    """
    line = f"{indent}{prefix}{expression}{suffix}"
    if len(line) <= LINE_LENGTH:
        return [line]
    inner = indent + "    "
    if len(inner) + len(expression) <= LINE_LENGTH:
        return [f"{indent}{prefix}(", f"{inner}{expression}", f"{indent}){suffix}"]
    parts = _top_level_split(expression, " | ")
    body = [f"{inner}{'| ' if i else ''}{part}" for i, part in enumerate(parts)]
    if len(parts) == 1 and expression.startswith("None if "):
        # `None if x is None else convert(x)`, one clause a line
        condition, _, converted = expression.removeprefix("None if ").partition(" else ")
        body = [f"{inner}None", f"{inner}if {condition}", f"{inner}else {converted}"]
    elif len(parts) == 1 and expression[:1] in "[{":
        body = _comprehension(expression, inner)
    wrapped = [piece for line in body for piece in _wrap(line)]
    return [f"{indent}{prefix}(", *wrapped, f"{indent}){suffix}"]


def _wrap(line: str) -> list[str]:
    """A line inside parentheses, broken between tokens where it is too long: inside brackets
    Python allows a line break wherever there is space between two tokens. No `# noqa` marker:
    ruff's default rules flag the marker itself (RUF100) where E501 is not enabled. A single token
    longer than a line stays whole (E501 ignores a line that is one word)."""
    if len(line) <= LINE_LENGTH:
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    text = line.strip()
    continued = indent + "    "
    lines: list[str] = []
    current, start = indent, 0
    for gap in (*_token_gaps(text), len(text)):
        piece = text[start:gap].strip()
        if current.strip() and len(current) + 1 + len(piece) > LINE_LENGTH:
            lines.append(current)
            current = continued + piece
        else:
            current = f"{current} {piece}" if current.strip() else current + piece
        start = gap
    return [*lines, current]


def _token_gaps(text: str) -> list[int]:
    """Offsets of the spaces between two tokens of `text` (never inside a string literal)."""
    gaps: list[int] = []
    previous_end = 0
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    with contextlib.suppress(tokenize.TokenError):  # a line's brackets need not balance
        for token in tokens:
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
                break
            column = token.start[1]
            if column > previous_end > 0:
                gaps.append(previous_end)
            previous_end = token.end[1]
    return gaps


def _comprehension(expression: str, indent: str) -> list[str]:
    """`[item for v in values]` as three lines inside its brackets, as ruff would lay it out."""
    opening, body, closing = expression[0], expression[1:-1], expression[-1]
    item, *loops = _top_level_split(body, " for ")
    if len(loops) != 1:
        return [f"{indent}{expression}"]
    inner = indent + "    "
    return [f"{indent}{opening}", f"{inner}{item}", f"{inner}for {loops[0]}", f"{indent}{closing}"]


def _top_level_split(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    depth = start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    parts.append(text[start:])
    return parts
