"""Runs the AsyncAPI project's own parser (`@asyncapi/parser` with `@asyncapi/avro-schema-parser`,
from the npm registry, versions pinned in package-lock.json) on a document, under node.

The packages are installed with `npm ci` on first use: into tests/catalog/node_modules when that
exists (a developer's `npm ci` there), else into a cache directory keyed by the lock file's hash
(`CONTRACTGEN_TEST_CACHE`, default ~/.cache/contractgen-tests), so CI installs them once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
FILES = ("package.json", "package-lock.json", "validate.js")


def _cache_root() -> Path:
    given = os.environ.get("CONTRACTGEN_TEST_CACHE")
    return Path(given) if given else Path.home() / ".cache" / "contractgen-tests"


def parser_directory() -> Path:
    """A directory with validate.js and its installed packages; skips without node or npm."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip(
            "node and npm are needed to run the AsyncAPI parser (apt-get install nodejs npm)"
        )
    if (HERE / "node_modules" / "@asyncapi" / "parser").is_dir():
        return HERE
    lock = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()[:16]
    target = _cache_root() / f"asyncapi-{lock}"
    if not (target / "node_modules" / "@asyncapi" / "parser").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.copy(HERE / name, target / name)
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=target, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"
    shutil.copy(HERE / "validate.js", target / "validate.js")  # the script may have changed
    return target


def parse(directory: Path, document: Path) -> tuple[int, list[dict[str, Any]]]:
    """(exit status, diagnostics) of the AsyncAPI parser on `document`."""
    done = subprocess.run(
        ["node", "validate.js", str(document)],
        cwd=directory, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), f"the parser crashed:\n{done.stderr}"
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines() if line]
