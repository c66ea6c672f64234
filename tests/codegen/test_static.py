"""Every golden tree and the repository's generated/ pass ruff and `mypy --strict`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from golden.regen import GOLDEN

REPO = GOLDEN.parent.parent
TREES = sorted(p for p in GOLDEN.glob("*/expected/*") if p.is_dir())
BIN = Path(sys.executable).parent


def _packages() -> list[Path]:
    generated = REPO / "generated"
    return [*TREES, *([generated] if (generated / "__init__.py").is_file() else [])]


def _ruff(*arguments: str) -> subprocess.CompletedProcess[str]:
    paths = [str(p) for p in _packages()]
    command = [str(BIN / "ruff"), "check", "--no-cache", "--output-format", "concise"]
    return subprocess.run(
        [*command, *arguments, *paths], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_is_clean_on_generated_code() -> None:
    result = _ruff()
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_layout_passes_pycodestyle_blank_line_rules() -> None:
    # E1/E2/E3 are preview rules in ruff: they check what a formatter would otherwise fix
    result = _ruff("--preview", "--select", "E1,E2,E3,W")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_is_already_formatted() -> None:
    # generation runs no formatter; its output must already be what `ruff format` writes
    paths = [str(p) for p in _packages()]
    command = [
        str(BIN / "ruff"),
        "format",
        "--check",
        "--no-cache",
        "--config",
        "extend-exclude=[]",
    ]
    result = subprocess.run(
        [*command, *paths], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean_on_generated_code() -> None:
    packages = _packages()
    search = os.pathsep.join([str(REPO), *(str(p.parent) for p in packages)])
    arguments = [arg for p in packages for arg in ("-p", p.name)]
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": search},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_follows_the_installed_contractgen_from_anywhere(tmp_path: Path) -> None:
    # a service type-checks its copy of the generated package against the installed contractgen
    # (the quick start's editable install included): no MYPYPATH, not run from this repository
    shutil.copytree(REPO / "generated", tmp_path / "generated")
    environment = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", "-p", "generated"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
