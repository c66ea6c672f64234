"""The config file as text and TOML: where the contractgen table is, and where each key was written.

tomllib keeps no positions, so a small line scanner finds a key's line:col for diagnostics. It
scans the text once, on the first location asked for, into an index of every key it defines: a
config of 2,000 topics asks for thousands of locations, and a scan per location was quadratic.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Location

PYPROJECT_FILE = "pyproject.toml"

Keys: TypeAlias = tuple[str | int, ...]
"""A key path inside the contractgen table, such as `("topics", 0, "events")`."""

_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_HEADER = re.compile(r"\s*(\[\[?)([^\]]+)\]")
_TOML_KEY = re.compile(
    r"""\s*((?:[\w-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[\w-]+|"[^"]*"|'[^']*'))*)\s*="""
)


@dataclass(frozen=True, slots=True)
class TomlSource:
    """The config file: its contractgen table, and its text to find where a key was written."""

    path: Path
    """Absolute."""
    display: str
    """The path as diagnostics print it: relative to the working directory, `../` included."""
    text: str
    prefix: tuple[str, ...]
    """Where the contractgen table sits: `("tool", "contractgen")` in pyproject.toml."""
    data: Mapping[str, Any]
    _index: dict[Keys, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)
    """Every key the text defines → its line and column; filled on the first `location`."""

    @classmethod
    def read(cls, path: Path, cwd: Path, text: str | None = None) -> TomlSource:
        """The config at `path`; `text`: its content, when it is not read from disk (the file
        as a git commit holds it)."""
        display = _relative(path, cwd)
        try:
            text = path.read_text("utf-8") if text is None else text
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8"
            fail("CFG001", f"cannot read config file {display}: {reason}", display)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            at = _TOML_ERROR_AT.search(str(error))
            line, column = (int(at[1]), int(at[2])) if at else (1, 1)
            message = _TOML_ERROR_AT.sub("", str(error)).strip()
            fail("CFG002", f"invalid TOML: {message}", display, line, column)
        prefix: tuple[str, ...] = ("tool", "contractgen") if path.name == PYPROJECT_FILE else ()
        data: Any = document
        for key in prefix:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            fail("CFG001", f"{display} has no [tool.contractgen] table", display)
        return cls(path, display, text, prefix, data)

    def location(self, *keys: str | int) -> Location:
        """Where `keys` (relative to the contractgen table) was written, or its nearest parent."""
        full = (*self.prefix, *keys)
        pointer = "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in full)
        if not self._index:
            self._index.update(_index_keys(self.text))
        return Location(self.display, pointer, *_find_key(self._index, full))

    def dotted(self, keys: Keys) -> str:
        """`keys` as a user reads them: `tool.contractgen.topics[0].name`."""
        text = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in (*self.prefix, *keys))
        return text.removeprefix(".")


def fail(code: str, message: str, file: str | None, line: int = 1, column: int = 1) -> NoReturn:
    """Stop on a problem with the file as a whole: nothing else can be checked after it."""
    location = Location(file, "", line, column) if file is not None else None
    raise ContractError([Diagnostic(code, message, location)]) from None


def _relative(path: Path, cwd: Path) -> str:
    """`path` as the user can open it from where they are, `../` included (like compilers do)."""
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return str(path)


def _find_key(index: Mapping[Keys, tuple[int, int]], keys: Keys) -> tuple[int, int]:
    """Line and column of the longest prefix of `keys` defined by a table header or `key =` line."""
    for length in range(len(keys), 0, -1):
        if (found := index.get(keys[:length])) is not None:
            return found
    return 1, 1


def _index_keys(text: str) -> dict[Keys, tuple[int, int]]:
    """Each key path a table header or `key =` line defines → where it is first defined.

    A line scanner, not a TOML parser (tomllib keeps no positions): good enough to point at a key.
    """
    index: dict[Keys, tuple[int, int]] = {}
    table: Keys = ()
    array_counts: dict[Keys, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TOML_HEADER.match(line):
            names = _split_dotted(header[2])
            if header[1] == "[[":
                array_counts[names] = array_counts.get(names, -1) + 1
                table = (*names, array_counts[names])
            else:
                table = names
            defined, column = table, header.start(2) + 1
        elif assignment := _TOML_KEY.match(line):
            defined, column = (*table, *_split_dotted(assignment[1])), assignment.start(1) + 1
        else:
            continue
        index.setdefault(defined, (number, column))
    return index


def _split_dotted(key: str) -> tuple[str, ...]:
    parts = re.findall(r"""\s*("[^"]*"|'[^']*'|[^.]+)\s*(?:\.|$)""", key)
    return tuple(part.strip().strip("\"'") for part in parts)
