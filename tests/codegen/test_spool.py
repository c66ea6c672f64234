"""A module's body in a `Spool`: the same text whether it stays in memory or moves to a file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractgen.codegen import spool
from contractgen.codegen.spool import Spool

_PIECES = st.lists(st.text(alphabet="\nab é", max_size=12), max_size=40)


@given(pieces=_PIECES, block=st.integers(1, 8), in_memory=st.sampled_from([0, 5, 1 << 20]))
def test_the_text_is_the_pieces_stripped_of_line_breaks(
    pieces: list[str], block: int, in_memory: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spool, "_BLOCK", block)
        patch.setattr(spool, "_IN_MEMORY", in_memory)
        body = Spool()
        body.write(pieces[:1])
        body.write([""] * 40 + pieces[1:])  # empty pieces (a template yields some) end nothing
        expected = "".join(pieces).strip("\n")
        try:
            assert "".join(body.chunks()) == expected
            assert "".join(body.chunks()) == expected  # again: `--check` reads a file twice
            assert body.start == expected[:6] and body.empty == (not expected)
        finally:
            body.close()


def test_a_big_body_goes_to_a_file_and_reads_back_in_blocks() -> None:
    body = Spool()
    line = "x = 1  # é\n"
    body.write(line for _ in range(300_000))
    try:
        chunks = list(body.chunks())
        assert len(chunks) > 1 and body._file is not None
        assert "".join(chunks) == (line * 300_000).rstrip("\n")
    finally:
        body.close()
