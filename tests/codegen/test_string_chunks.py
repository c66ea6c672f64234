"""`string_chunks` cuts text into the same literals as the character-by-character original.

The reference below is the implementation `string_chunks` replaced (a Python loop over every
character), kept here only as the specification the fast version must match byte for byte.
"""

from __future__ import annotations

import ast
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.codegen.pysource import spooled_string_chunks, string_chunks, string_literal


def reference_chunks(text: str, width: int) -> list[str]:
    """The original `string_chunks`: greedy, one character at a time."""

    def literal_size(base: int, double: int, single: int) -> int:
        if double <= single:
            return 2 + base + 2 * double + single
        return 2 + base + double + 2 * single

    chunks: list[str] = []
    start = base = double = single = 0
    for index, char in enumerate(text):
        # a character beyond U+FFFF is one `\\U` escape of 10 characters
        size = 0 if char in "\"'" else 10 if ord(char) > 0xFFFF else len(json.dumps(char)) - 2
        grown = (base + size, double + (char == '"'), single + (char == "'"))
        if index > start and literal_size(*grown) > width:
            chunks.append(text[start:index])
            start, base, double, single = index, 0, 0, 0
            grown = (size, int(char == '"'), int(char == "'"))
        base, double, single = grown
    chunks.append(text[start:])
    return [string_literal(chunk) for chunk in chunks]


# Weighted toward what changes a literal's size: quotes, backslashes, control characters,
# DEL, non-ASCII (one and two UTF-16 units), lone surrogates, and long plain runs.
_CHARACTERS = st.one_of(
    st.sampled_from(list("\"'\\\n\t\x00\x1f\x7f ~[]é€\U0001f600\ud800\udfff")),
    st.characters(codec=None),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
)
_TEXTS = st.one_of(
    st.text(_CHARACTERS, max_size=300),
    st.lists(st.sampled_from(['"', "'", "a" * 40, "\\", "\n", "\ud83d", "x"]), max_size=40).map(
        "".join
    ),
)


@settings(max_examples=1500, deadline=None)
@given(text=_TEXTS, width=st.integers(min_value=0, max_value=120))
def test_same_literals_as_the_reference(text: str, width: int) -> None:
    assert list(string_chunks(text, width)) == reference_chunks(text, width)


@given(text=_TEXTS, width=st.integers(min_value=14, max_value=120))
def test_literals_fit_and_read_back_as_the_text(text: str, width: int) -> None:
    chunks = list(string_chunks(text, width))
    assert all(len(chunk) <= width for chunk in chunks)
    # every code point reads back as itself (beyond U+FFFF too: not as a JSON surrogate pair)
    assert "".join(ast.literal_eval(chunk) for chunk in chunks) == text


def test_long_schema_text_matches_the_reference() -> None:
    schema = json.dumps({"type": "record", "name": "R", "doc": 'it\'s a "doc"\n' * 500})
    for width in (86, 88):
        assert list(string_chunks(schema, width)) == reference_chunks(schema, width)


@settings(max_examples=800, deadline=None)
@given(
    text=_TEXTS,
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=6),
    width=st.integers(min_value=0, max_value=120),
)
def test_a_text_read_in_blocks_gives_the_same_literals(
    text: str, cuts: list[int], width: int
) -> None:
    # a generated record's AVRO_SCHEMA is read back in blocks from a spool, cut anywhere
    ends = sorted({min(cut, len(text)) for cut in cuts} | {len(text)})
    blocks = [text[start:end] for start, end in zip([0, *ends], ends, strict=False)]
    assert list(spooled_string_chunks(lambda: iter(blocks), width)) == list(
        string_chunks(text, width)
    )
