"""How deep a schema may nest: as deep as Avro Java reads, and no deeper.

Avro Java 1.12 reads schema JSON with Jackson, whose `StreamReadConstraints` refuse a document
nested more than 1,000 arrays/objects deep (the default since Jackson 2.15). Anything Java
accepts must work here too: parsing, the canonical string, resolution, the check, the IR and
code generation all recurse once or a few times per level, so the interpreter's recursion limit
(1,000 frames by default) is raised once to cover the deepest accepted schema. Deeper text is
refused up front with its location, never with a `RecursionError`.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from itertools import accumulate

from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Location

MAX_JSON_NESTING = 1000
"""Jackson's `StreamReadConstraints.DEFAULT_MAX_DEPTH`, as Avro Java 1.12 parses with it."""
TOO_DEEP = "AVRO007"
_FRAMES_PER_LEVEL = 24
"""A generous bound on the Python frames any stage spends per JSON nesting level."""
JSON_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
r"""A JSON string token, unrolled (runs of plain characters between escapes): the equivalent
`"(?:[^"\\]|\\.)*"` keeps a backtracking frame per character, 100x the text in memory for a
long doc."""
_BRACKETS = re.compile(rf"{JSON_STRING}|[\[{{]|[\]}}]")
_NEXT_BRACKET = re.compile(rf'(?:{JSON_STRING}|"|[^"\[\]{{}}]++)*+([\[\]{{}}]|$)')
"""`findall` gives each bracket outside strings (and "" at the end): strings, and whatever else
lies between brackets, are skipped inside one match. (A quote that starts no string is skipped
as one character; possessive, so each character is read once.)"""
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1, "": 0}


def allow_deep_schemas() -> None:
    """Raise the recursion limit so the deepest schema Java accepts cannot overflow it."""
    needed = MAX_JSON_NESTING * _FRAMES_PER_LEVEL
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


def check_nesting(file: str, text: str) -> None:
    """Raise ContractError (exit 2 on the command line) when `text` nests deeper than Java reads."""
    if text.count("[") + text.count("{") <= MAX_JSON_NESTING:
        return  # too few brackets to nest that deep: skip the scan
    # The deepest nesting from the brackets outside strings, summed in C: a Python step per
    # token was a fifth of `validate` on a big schema. Only deep text is scanned for the place.
    # `findall` gives one-character strings (shared): a list of pointers, one per bracket (one
    # per string too was ~1.4x the text, not all given back before the JSON is read). Removing
    # the strings with `sub` made a piece object per gap, 7x the text at the peak of `validate`.
    steps = _NEXT_BRACKET.findall(text)
    if max(accumulate(map(_DEPTH_STEP.__getitem__, steps)), default=0) <= MAX_JSON_NESTING:
        return
    depth = deepest = 0
    first = -1
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_JSON_NESTING and first < 0:
                first = match.start()
        elif token in "]}":
            depth -= 1
    if first < 0:
        return
    starts = [0, *(m.end() for m in re.finditer("\n", text[:first]))]
    line = bisect_right(starts, first)
    raise ContractError(
        [
            Diagnostic(
                TOO_DEEP,
                f"the schema nests {deepest} arrays/objects deep, more than the "
                f"{MAX_JSON_NESTING} Avro (and so a registry) reads; flatten it",
                Location(file, "", line, first - starts[line - 1] + 1),
            )
        ]
    )
