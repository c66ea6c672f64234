"""Fixtures for codegen tests: generate a package from inline schemas, import it, run it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from codegen.support import Schema, contracts_of
from contractgen.codegen.output import write
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.config import Flavour
from contractgen.ir.model import ContractSet


@pytest.fixture
def build_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., ModuleType]]:
    """`build_package(*schemas or contracts=..., flavour=..., frozen=...)` -> the package."""
    monkeypatch.syspath_prepend(str(tmp_path))
    made: list[str] = []

    def build(
        *schemas: Schema,
        contracts: ContractSet | None = None,
        flavour: str = "dataclasses",
        frozen: bool = False,
    ) -> ModuleType:
        package = f"gen{len(made)}_{tmp_path.name.replace('-', '_')}"
        options = Options(package=package, flavour=Flavour(flavour), frozen=frozen)
        generated = generate(contracts or contracts_of(*schemas), options)
        write(tmp_path / package, generated)
        made.append(package)
        importlib.invalidate_caches()
        return importlib.import_module(package)

    yield build
    for name in [m for m in sys.modules if m.split(".")[0] in made]:
        del sys.modules[name]
