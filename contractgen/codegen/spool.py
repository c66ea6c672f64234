"""A module's body while it is rendered: small ones in memory, big ones on a temporary file.

The header of a module comes first but is rendered last (rendering the body records the imports
it needs). A schema of a million fields makes a body of hundreds of megabytes: held as one string,
or as the list of template pieces joined into it, that alone is several times the schema's text.
So the body goes here piece by piece, and is read back in blocks when the file is written or
compared with disk. The temporary file is made where `tempfile` makes them (`TMPDIR`): on a
memory file system it takes memory, though not the process's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO

_BLOCK = 1 << 16
"""Characters gathered before the pieces are joined and passed on (a template yields many tiny
pieces: one write per piece would cost more than rendering them)."""
_IN_MEMORY = 1 << 20
"""Characters kept in memory before the text moves to a temporary file."""
_BATCH = 32
"""Pieces joined at a time. A piece may be a block read back from a record's parts (see
`classbody.py`), of `_READ` characters: a batch stays a couple of megabytes at most."""
_READ = 1 << 16
"""Characters read back from the file at a time."""
_START = 6
"""How many of the first characters `start` keeps: enough to tell `class ` from a statement."""


class Spool:
    """Text written in pieces, its leading and trailing line breaks dropped (`str.strip("\\n")`)."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._pending = 0
        """Characters in `_pieces`."""
        self._blocks: list[str] = []
        self._held = 0
        """Characters in `_blocks`."""
        self._file: IO[str] | None = None
        self._newlines = 0
        """Line breaks held back: they end the text unless more text follows."""
        self.start = ""
        """The text's first characters (up to six)."""

    def write(self, pieces: Iterable[str]) -> None:
        """Append the pieces (a template's output as it yields it)."""
        pieces = iter(pieces)
        # joined a few at a time in C: a module yields tens of thousands of tiny pieces
        while batch := list(islice(pieces, _BATCH)):
            text = "".join(batch)
            self._pieces.append(text)
            self._pending += len(text)
            if self._pending > _BLOCK:
                self._flush()

    @property
    def empty(self) -> bool:
        self._flush()
        return not self.start

    def _flush(self) -> None:
        block = "".join(self._pieces)
        self._pieces.clear()
        self._pending = 0
        if not self.start:
            block = block.lstrip("\n")
        text = block.rstrip("\n")
        if not text:
            self._newlines += len(block)
            return
        kept = "\n" * self._newlines + text if self._newlines else text
        if len(self.start) < _START:
            self.start += kept[: _START - len(self.start)]
        self._keep(kept)
        self._newlines = len(block) - len(text)

    def _keep(self, text: str) -> None:
        if self._file is None and self._held + len(text) > _IN_MEMORY:
            # unnamed (unlinked as soon as it is made): gone once closed (`close`), even on failure
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115
            self._file.writelines(self._blocks)
            self._blocks.clear()
        if self._file is None:
            self._blocks.append(text)
            self._held += len(text)
        else:
            self._file.write(text)

    def chunks(self) -> Iterator[str]:
        """The text so far, in blocks (again on each call)."""
        self._flush()
        if self._file is None:
            yield from self._blocks
            return
        self._file.seek(0)
        while block := self._file.read(_READ):
            yield block
        self._file.seek(0, 2)  # writing goes on at the end

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
