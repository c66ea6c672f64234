"""`string_literal` writes exactly the literals of its earlier, regex-based version.

The reference below is that version (a regex substitution calling a Python function per escape),
kept only as the specification: the fast one must match it byte for byte on every text, hostile
docs included (quotes of both kinds, backslashes before quotes, control characters, DEL, lone
surrogates, characters beyond U+FFFF, line and paragraph separators).
"""

from __future__ import annotations

import ast
import json
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from contractgen.codegen.pysource import string_chunks, string_literal
from tests.codegen.test_string_chunks import reference_chunks

_ESCAPE = re.compile(r"\\(.)")
_ASTRAL = re.compile("([\U00010000-\U0010ffff])")


def reference_literal(text: str) -> str:
    """The replaced `string_literal`, verbatim in behaviour."""
    if not _ASTRAL.search(text):
        body = json.dumps(text)[1:-1]
    else:
        body = "".join(
            f"\\U{ord(part):08x}" if index % 2 else json.dumps(part)[1:-1]
            for index, part in enumerate(_ASTRAL.split(text))
        )
    escaped = f'"{body}"'
    if text.count('"') <= text.count("'"):
        return escaped
    body = _ESCAPE.sub(lambda m: '"' if m.group(1) == '"' else m.group(0), escaped[1:-1])
    return "'" + body.replace("'", "\\'") + "'"


_HOSTILE = list(
    "\"'\\\n\r\t\x00\x08\x0c\x1f\x7f\x80\xa0 ~é€\u2028\u2029\ufeff\U0001f600\ud800\udfff"
)
_CHARACTERS = st.one_of(
    st.sampled_from(_HOSTILE),
    st.characters(codec=None),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
)
_RUNS = ['"', "'", "\\", '\\"', "\\\\", '"""', "a", "\ud83d"]
_TEXTS = st.one_of(
    st.text(_CHARACTERS, max_size=200),
    # runs that decide the quote style and escape pairs: `\"`, `\\"`, `\'`, `"""`
    st.lists(
        st.sampled_from(['"', "'", "\\", '\\"', "\\\\", '"""', "a", "\ud83d"]), max_size=30
    ).map("".join),
)


@settings(max_examples=3000, deadline=None)
@given(text=_TEXTS)
@example(text='\\"')
@example(text='\\\\"x"')
@example(text="\"\"'\\'")
@example(text='"""\u2028\u2029"""')
@example(text='"\x7f"\x00"')
@example(text='"\ud800"\U0010ffff"')
def test_same_literal_as_the_reference(text: str) -> None:
    literal = string_literal(text)
    assert literal == reference_literal(text)
    assert literal.isascii()
    assert ast.literal_eval(literal) == text


def test_quote_style_follows_the_text() -> None:
    """The style follows the quote counts; a backslash before a quote stays escaped."""
    assert string_literal('say "hi"') == "'say \"hi\"'"
    assert string_literal("it's") == '"it\'s"'
    assert string_literal('\\"') == r"""'\\"'"""


_PRINTABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=400)
# printable ASCII without backslashes and without one kind of quote
_PLAIN_TEXTS = st.tuples(_PRINTABLE, st.sampled_from(["'", '"'])).map(
    lambda pair: pair[0].replace("\\", "").replace(pair[1], "")
)


@settings(max_examples=1500, deadline=None)
@given(text=_PLAIN_TEXTS, width=st.integers(min_value=0, max_value=120))
@example(text="", width=0)
@example(text='{"type": "record", "name": "A", "fields": []}', width=12)
@example(text="it's", width=3)
def test_plain_text_chunks_as_the_reference(text: str, width: int) -> None:
    """Printable ASCII with quotes of at most one kind (a canonical schema) takes a short cut in
    `string_chunks`: the literals stay those of the character-by-character reference."""
    assert list(string_chunks(text, width)) == reference_chunks(text, width)
