"""DESIGN.md §3's import rules and module sizes, enforced.

- `contractgen.runtime` imports nothing else of contractgen, and importing it (all of it) loads
  neither jinja2, click nor the code generator: generated code and services depend on it alone.
- Nothing imports `contractgen.cli`: it is the entry point, the library never calls back into it.
- Every module imports on its own in a fresh interpreter (no import cycles, no import-order luck).
- No module grows past 400 non-blank lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "contractgen"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(module: str) -> set[str]:
    """Every module `module` imports, at any depth of its code, with relative imports resolved."""
    path = SOURCES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (
                package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            )
            target = ".".join([*base, node.module] if node.module else base)
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_runtime_imports_nothing_else_of_contractgen() -> None:
    offenders = {
        module: sorted(
            name
            for name in _imports(module)
            if _within(name, "contractgen")
            and not _within(name, "contractgen.runtime")
            and name != "contractgen"
        )
        for module in SOURCES
        if _within(module, "contractgen.runtime")
    }
    assert {m: names for m, names in offenders.items() if names} == {}


def test_importing_the_runtime_loads_no_generator_or_cli() -> None:
    runtime = [m for m in SOURCES if _within(m, "contractgen.runtime")]
    forbidden = ["jinja2", "click", "contractgen.codegen", "contractgen.cli"]
    script = (
        "import importlib, sys\n"
        f"for name in {runtime!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r} "
        f"or any(m.startswith(f + '.') or m == f for f in {forbidden!r})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"


def test_nothing_imports_the_cli() -> None:
    offenders = {
        module: sorted(name for name in _imports(module) if _within(name, "contractgen.cli"))
        for module in SOURCES
        if not _within(module, "contractgen.cli")
    }
    assert {m: names for m, names in offenders.items() if names} == {}


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_module_imports_on_its_own(module: str) -> None:
    # -W error: a DeprecationWarning at import time is a break waiting for the next release.
    subprocess.run(
        [sys.executable, "-W", "error", "-c", f"import {module}"], cwd=PACKAGE.parent, check=True
    )


def test_modules_stay_small() -> None:
    sizes = {
        module: sum(1 for line in path.read_text("utf-8").splitlines() if line.strip())
        for module, path in SOURCES.items()
    }
    assert {module: size for module, size in sizes.items() if size > MAX_LINES} == {}
