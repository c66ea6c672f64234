"""Writing the catalog's results all at once: a reader never sees half a document or catalog.

A file is written beside its destination and renamed over it; a catalog directory is built beside
its destination and swapped in. An existing directory is only replaced when it is an earlier
catalog (it has the generator mark in its index), so a mistyped `--output` never deletes a
directory of someone's files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from contractgen.diagnostics import ContractError, Diagnostic

CATALOG_MARK = '<meta name="generator" content="contractgen">'
OUTPUT_REFUSED = "CAT001"


def write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(temporary, path)


def _is_catalog(directory: Path) -> bool:
    index = directory / "index.html"
    return index.is_file() and CATALOG_MARK in index.read_text("utf-8", "replace")


def write_directory(directory: Path, files: Mapping[str, str]) -> None:
    """Replace `directory` with exactly `files` (name → text)."""
    if directory.exists() and any(directory.iterdir()) and not _is_catalog(directory):
        message = f"{directory} exists and is not a catalog: choose an empty or new --output"
        raise ContractError([Diagnostic(OUTPUT_REFUSED, message)])
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, "utf-8", newline="\n")
        if directory.exists():
            old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
            os.replace(directory, old)
            os.replace(staging, directory)
            shutil.rmtree(old)
        else:
            os.replace(staging, directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
