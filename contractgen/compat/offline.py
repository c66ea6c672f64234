"""`contractgen compat`: a candidate `.avsc` against earlier versions given as files.

The previous files are versions 1..n, oldest first, exactly as a registry numbers a subject's
versions, so the answer (and the verbose messages) are what a Confluent registry holding those
versions would give. Schemas are read through the library entry point (`contractgen.compat.api`):
the candidate strictly, as a registry parses a new schema; earlier versions leniently, as it reads
what it already stores.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from contractgen.avro.loader import SchemaFile, load_schema_files
from contractgen.compat.api import ParsedSchema, parse
from contractgen.compat.checker import check_subject
from contractgen.compat.findings import Report, SubjectReport
from contractgen.compat.levels import HistoryVersion
from contractgen.compat.messages import verbose_messages
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Level, NamedType

UNREADABLE = "CMP001"


def display_path(path: Path, cwd: Path) -> str:
    """A path as messages show it: relative to the working directory when inside it."""
    absolute = path.resolve()
    return os.path.relpath(absolute, cwd) if absolute.is_relative_to(cwd) else str(absolute)


def read_text(path: Path, shown: str) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8"
        raise ContractError([Diagnostic(UNREADABLE, f"cannot read {shown}: {reason}")]) from None


def named_types(directories: Sequence[Path], skip: set[Path], cwd: Path) -> dict[str, NamedType]:
    """Named types from every `.avsc` under `directories`, for schemas that use them by name."""
    files = [
        SchemaFile(display_path(p, cwd), read_text(p, display_path(p, cwd)))
        for directory in directories
        for p in sorted(directory.rglob("*.avsc"))
        if p.resolve() not in skip
    ]
    return load_schema_files(files, strict=False).types if files else {}


def _parse(shown: str, text: str, *, strict: bool, named: Mapping[str, NamedType]) -> ParsedSchema:
    return parse(text, file=shown, strict=strict, named=named)


def _previous(
    path: Path,
    shown: str,
    current: tuple[Path, ParsedSchema] | None,
    named: Mapping[str, NamedType],
) -> ParsedSchema:
    """A previous version: the candidate's parse when it is the candidate's file (`current`: its
    real path and parse; the candidate checked against itself, the usual first run), which is
    then not read again (a big schema's text, and its bytes, would be held beside its parse)."""
    if current is not None and path.resolve() == current[0]:
        return current[1]
    return _parse(shown, read_text(path, shown), strict=False, named=named)


def check_files(
    candidate: Path,
    previous: Sequence[Path],
    level: Level,
    *,
    schema_dirs: Sequence[Path] = (),
    cwd: Path | None = None,
) -> Report:
    """The candidate against `previous` (oldest first) at `level`. ContractError on bad input."""
    cwd = (cwd or Path.cwd()).resolve()
    skip = {p.resolve() for p in (candidate, *previous)}
    named = named_types(schema_dirs, skip, cwd)
    shown = display_path(candidate, cwd)
    # The candidate first: a previous version that is the candidate's file is then its parse.
    # A strict parse that succeeds is the lenient one, as strict mode only adds checks; a failed
    # one is parsed leniently as before.
    current: ParsedSchema | None = None
    late: tuple[Diagnostic, ...] = ()
    try:
        # the text is not kept here: its parse keeps it (compressed, if it is big)
        current = _parse(shown, read_text(candidate, shown), strict=True, named=named)
    except ContractError as error:
        late = error.diagnostics
    problems: list[Diagnostic] = []
    history: list[HistoryVersion] = []
    for number, path in enumerate(previous, start=1):
        old_shown = display_path(path, cwd)
        try:
            same = (candidate.resolve(), current) if current is not None else None
            old = _previous(path, old_shown, same, named)
        except ContractError as error:
            problems += error.diagnostics
            continue
        history.append(HistoryVersion(old.schema, old.text, number, f"version {number}"))
    problems += late
    if problems:
        raise ContractError(problems)
    assert current is not None
    result, findings = check_subject(shown, current.schema, history, level)
    compared = result.compared
    against = compared.name if compared is not None else ""
    status = "skipped" if level is Level.NONE else "checked"
    messages = tuple(verbose_messages(result))
    return Report(
        (SubjectReport(shown, status, str(level), against, tuple(findings), messages),),
        messages=messages,
    )
