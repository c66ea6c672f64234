"""Schema files from the working tree: every `.avsc` under the configured schema roots.

Paths are shown relative to the config file's directory with `/` separators, so diagnostics,
`Contract.files` and `contractgen ls --format json` read the same from any working directory and OS.
"""

from __future__ import annotations

from pathlib import Path

from contractgen.avro.loader import SchemaFile
from contractgen.config import Config
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Location

MISSING_ROOT = "SRC001"
UNREADABLE_FILE = "SRC002"


def read_schema_files(config: Config) -> tuple[SchemaFile, ...]:
    """Every `.avsc` file under `config.schemas`, sorted by path; hidden directories are skipped.

    Raises ContractError naming every missing root and every unreadable or non-UTF-8 file.
    """
    problems: list[Diagnostic] = []
    found: dict[str, Path] = {}
    for index, root in enumerate(config.schemas):
        if not root.is_dir():
            problems.append(
                Diagnostic(
                    MISSING_ROOT,
                    f"schema root {_shown(root, config.root)} is not a directory: create it or fix "
                    "`schemas` in the config",
                    config.source.location("schemas", index),
                )
            )
            continue
        for path in root.rglob("*.avsc"):
            # Overlapping roots (`schemas` and `schemas/orders`) must not load a file twice.
            if path.is_file() and not _hidden(path.relative_to(root)):
                found[_shown(path.resolve(), config.root)] = path
    files: list[SchemaFile] = []
    for shown, path in sorted(found.items()):
        try:
            files.append(SchemaFile(shown, path.read_text("utf-8")))
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8"
            where = Location(shown, "", 1, 1)
            problems.append(Diagnostic(UNREADABLE_FILE, f"cannot read {shown}: {reason}", where))
    if problems:
        raise ContractError(problems)
    return tuple(files)


def _hidden(relative: Path) -> bool:
    """`.git`, `.venv` and editors' dot-directories hold copies of schemas, not contracts."""
    return any(part.startswith(".") for part in relative.parts)


def _shown(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()
