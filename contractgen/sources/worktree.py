"""Schema files from the working tree: every `.avsc` under the configured schema roots.

Paths are shown relative to the config file's directory with `/` separators (`../shared/x.avsc`
for a root outside it), so diagnostics, `Contract.files` and `contractgen ls --format json` read the
same from any working directory and OS, and every shown path is relative, whatever the layout.
Symlinked directories are followed (a symlinked schema root is a realistic layout); a symlink loop
or a directory that cannot be listed is reported, never skipped silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from contractgen.avro.loader import SchemaFile
from contractgen.config import Config
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Location

MISSING_ROOT = "SRC001"
UNREADABLE_FILE = "SRC002"


def read_schema_files(config: Config) -> tuple[SchemaFile, ...]:
    """Every `.avsc` file under `config.schemas`, sorted by path; hidden directories are skipped.

    Raises ContractError naming every missing root, every unreadable directory or symlink loop
    and every unreadable or non-UTF-8 file.
    """
    problems: list[Diagnostic] = []
    roots: list[Path] = []
    for index, root in enumerate(config.schemas):
        if root.is_dir():
            roots.append(root)
            continue
        problems.append(missing_root(config, index))
    files = read_avsc(roots, config.root, problems)
    if problems:
        raise ContractError(problems)
    return files


def missing_root(config: Config, index: int) -> Diagnostic:
    """The problem of `config.schemas[index]`, which is not a directory."""
    return Diagnostic(
        MISSING_ROOT,
        f"schema root {shown_path(config.schemas[index], config.root)} is not a directory: "
        "create it or fix `schemas` in the config",
        config.source.location("schemas", index),
    )


def read_avsc(
    paths: Iterable[Path], base: Path, problems: list[Diagnostic]
) -> tuple[SchemaFile, ...]:
    """The `.avsc` files given (files as they are, directories searched), shown relative to `base`.

    A file reached twice (overlapping roots, a symlink) is read once. Problems are appended to
    `problems`, so a caller reports them together with its own.
    """
    found: dict[Path, str] = {}  # real path → shown path (the first way it was reached)
    for path in paths:
        if path.is_dir():
            for real, shown in _walk(path, problems, base):
                found.setdefault(real, shown)
        else:
            found.setdefault(path.resolve(), shown_path(path, base))
    files: list[SchemaFile] = []
    for real, shown in sorted(found.items(), key=lambda item: item[1]):
        try:
            files.append(SchemaFile(shown, real.read_text("utf-8")))
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8"
            problems.append(
                Diagnostic(UNREADABLE_FILE, f"cannot read {shown}: {reason}", _at(shown))
            )
    return tuple(files)


def _walk(root: Path, problems: list[Diagnostic], base: Path) -> list[tuple[Path, str]]:
    """`.avsc` files under `root` (real path, shown path), following symlinks, skipping hidden
    (`.git`, `.venv`) entries.

    Only the root and symlinks are resolved: below a directory whose real path is known, an
    entry that is not a symlink is at that path plus its name (and shown at the directory's
    shown path plus its name), without a `realpath` per file.
    """
    found: list[tuple[Path, str]] = []
    real_root = root.resolve()
    pending = [(root, real_root, shown_path(root, base), frozenset({real_root}))]
    while pending:
        directory, real_directory, shown_directory, ancestors = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            problems.append(Diagnostic(
                UNREADABLE_FILE,
                f"cannot list schema directory {shown_directory}: {error.strerror or error}; "
                "fix its permissions or move it out of the schema root",
                _at(shown_directory),
            ))  # fmt: skip
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = directory / entry.name
            shown = entry.name if shown_directory == "." else f"{shown_directory}/{entry.name}"
            link = entry.is_symlink()
            if _is_dir(entry):
                real = _real(path) if link else real_directory / entry.name
                if real is None or real in ancestors:
                    target = "itself" if real is None else shown_path(real, base)
                    problems.append(Diagnostic(
                        UNREADABLE_FILE,
                        f"symlink loop: {shown} points back to {target}; remove the link",
                        _at(shown),
                    ))  # fmt: skip
                    continue
                pending.append((path, real, shown, ancestors | {real}))
            elif entry.name.endswith(".avsc"):
                if link and not path.exists():
                    problems.append(Diagnostic(
                        UNREADABLE_FILE, f"cannot read {shown}: broken symlink", _at(shown)
                    ))  # fmt: skip
                    continue
                found.append((path.resolve() if link else real_directory / entry.name, shown))
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop makes stat fail (ELOOP): treat it as the directory it names
        return entry.is_symlink()


def _real(path: Path) -> Path | None:
    """The directory a path names, None for a symlink cycle that names no directory at all."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # ELOOP; Python 3.11 raises RuntimeError for a cycle
        return None


def _at(shown: str) -> Location:
    return Location(shown, "", 1, 1)


def shown_path(path: Path, base: Path) -> str:
    """`path` relative to `base` (with `..` when outside it), `/`-separated; absolute only when
    no relative path exists (another drive on Windows)."""
    absolute = Path(os.path.abspath(path))
    try:
        return Path(os.path.relpath(absolute, os.path.abspath(base))).as_posix()
    except ValueError:
        return absolute.as_posix()
