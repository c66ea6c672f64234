"""A doc is wrapped a window at a time (a schema's doc may be megabytes): the same lines as
`textwrap.wrap` of the whole paragraph, wherever the windows fall."""

from __future__ import annotations

import ast
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractgen.codegen import pysource
from contractgen.codegen.pysource import docstring

# an escaped paragraph holds no white space but the space (tabs are spaces, the rest escaped)
PARAGRAPHS = st.lists(st.sampled_from(["a", "bb", " ", "  ", "c" * 12, '"', "\\"])).map("".join)


@given(paragraph=PARAGRAPHS, width=st.integers(1, 20), window=st.integers(1, 30))
def test_windows_wrap_as_the_whole_paragraph(paragraph: str, width: int, window: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pysource, "_WINDOW", window)
        got = pysource._wrap_paragraph(paragraph, width)
    whole = textwrap.wrap(paragraph, width=width, break_long_words=False, break_on_hyphens=False)
    assert got == whole


@given(doc=st.text(max_size=400), window=st.integers(1, 50))
def test_docstrings_do_not_depend_on_the_window(doc: str, window: int) -> None:
    whole = docstring(doc, "    ")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pysource, "_WINDOW", window)
        assert docstring(doc, "    ") == whole


@given(doc=st.text(alphabet='a"\\ ', min_size=1, max_size=40))
def test_a_short_doc_reads_back_whatever_quotes_and_backslashes_end_it(doc: str) -> None:
    lines = docstring(doc, "")
    assert len(lines) == (1 if doc.strip() else 0)
    if lines:
        assert ast.literal_eval(lines[0]) == doc.strip()
