"""The per-field parts of a record's class, written as each field's view is made.

A class lists its fields four times: declarations, `to_avro`'s entries, `from_avro`'s arguments
and `validate_avro`'s checks. A record of a million fields would hold a million field views (and
their lines) until the last part is written: instead each view goes into the four parts at once,
each a `Spool` (small ones in memory, big ones on a temporary file), and is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from contractgen.codegen.pysource import LINE_LENGTH, fit
from contractgen.codegen.spool import Spool

_GATHER = 512
"""Fields whose lines are joined before they go to the spools (a call per line costs more)."""


@dataclass(slots=True)  # not frozen: made once per field, and frozen init costs 3x
class FieldView:
    attribute: str
    key: str
    """The Avro field name as a Python string literal."""
    annotation: str
    default: str | None
    """Python source of the default value, when it is shared safely."""
    factory: str | None
    """Python source of a zero-argument callable making the default, for mutable values."""
    doc: list[str]
    write: list[str]
    """The dict entry converting `self.<attribute>` for fastavro (lines, indented)."""
    read: list[str]
    """The keyword argument converting `data[<key>]` from fastavro (lines, indented)."""
    checks: list[str]

    def declaration(self, suffix: str) -> list[str]:
        """`attribute: annotation<suffix>` within the line length: as ruff formats it, a call
        after `=` is split inside its parentheses before the annotation is."""
        whole = f"    {self.attribute}: {self.annotation}{suffix}"
        if len(whole) <= LINE_LENGTH:
            return [whole]
        first = f"    {self.attribute}: {self.annotation}{suffix.partition('(')[0]}("
        inner = f"        {suffix.partition('(')[2][:-1]}"
        if suffix.endswith(")") and len(first) <= LINE_LENGTH:
            return [first, inner, "    )"]
        return fit("    ", f"{self.attribute}: ", self.annotation, suffix)


class ClassBody:
    """The four per-field parts of one class, each read back as lines ending in a line break."""

    def __init__(self, factory: Callable[[], str]) -> None:
        self._factory = factory
        """Imports and names the callable behind `default_factory=` (the flavour's)."""
        self._parts: tuple[Spool, ...] = ()
        """Made once a record has more fields than `_GATHER` (most have a few)."""
        self._lines: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
        self._gathered = 0
        self.fields = 0
        self._checked = False

    def add(self, view: FieldView) -> None:
        declarations, writes, reads, checks = self._lines
        if view.factory:
            suffix = f" = {self._factory()}(default_factory={view.factory})"
        elif view.default:
            suffix = f" = {view.default}"
        else:
            suffix = ""
        declarations += view.declaration(suffix)
        declarations += view.doc
        writes += view.write
        reads += view.read
        checks += [f"        {line}" for line in view.checks]
        self._checked = self._checked or bool(view.checks)
        self.fields += 1
        self._gathered += 1
        if self._gathered == _GATHER:
            self._flush()

    def _flush(self) -> None:
        self._parts = self._parts or (Spool(), Spool(), Spool(), Spool())
        for spool, lines in zip(self._parts, self._lines, strict=True):
            if lines:
                spool.write(["\n".join(lines), "\n"])
                lines.clear()
        self._gathered = 0

    def _part(self, index: int) -> Iterator[str]:
        if self._parts:
            self._flush()
            yield from self._parts[index].chunks()
        else:
            yield "\n".join(self._lines[index])
        yield "\n"

    def declarations(self) -> Iterator[str]:
        """Each field's declaration and docstring."""
        return self._part(0)

    def writes(self) -> Iterator[str]:
        return self._part(1)

    def reads(self) -> Iterator[str]:
        return self._part(2)

    def checks(self) -> Iterator[str]:
        """The body of validate_avro()."""
        return self._part(3) if self._checked else iter(("        return\n",))

    def close(self) -> None:
        for spool in self._parts:
            spool.close()
