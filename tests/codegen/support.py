"""Helpers shared by the codegen tests (pytest puts tests/ on sys.path: `codegen.support`)."""

from __future__ import annotations

import importlib
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import fastavro

from codegen.samples import samples
from contractgen.avro.loader import SchemaFile, load_schema_files
from contractgen.avro.resolve import self_contained
from contractgen.ir.model import ContractSet
from contractgen.runtime.codec import parse

GOLDEN = Path(__file__).resolve().parent.parent / "golden"

Schema = dict[str, Any] | list[Any] | str
Build = Callable[..., ModuleType]
"""The `build_package` fixture: inline schemas (or a ContractSet) -> the imported package."""


def contracts_of(*schemas: Schema) -> ContractSet:
    """The contract set (no topics) of inline schema documents, as if each were a file."""
    files = [
        SchemaFile(f"schemas/s{i}.avsc", s if isinstance(s, str) else json.dumps(s))
        for i, s in enumerate(schemas)
    ]
    loaded = load_schema_files(files)
    return ContractSet(topics=(), types=loaded.types, type_files=loaded.type_files)


def golden_package(case: str) -> ModuleType:
    """The committed expected package of a golden case, imported."""
    config = (GOLDEN / case / "contractgen.toml").read_text("utf-8")
    package = next(line.split('"')[1] for line in config.splitlines() if line.startswith("package"))
    root = str(GOLDEN / case / "expected")
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(package)


def repo_module(name: str) -> ModuleType:
    """A module of the repository's own generated package (`generated.orders`, ...)."""
    root = str(GOLDEN.parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(name)


def round_trip(module: ModuleType, contracts: ContractSet) -> None:
    """Every sample of every generated type, written by fastavro with the type's AVRO_SCHEMA as
    the generated code's codec parses it, read into the model and written again: the same bytes.
    Raises AssertionError naming the type that differs."""
    for name, cls in module.AVRO_TYPES.items():
        parsed = parse(cls.AVRO_SCHEMA)
        try:
            data = samples(self_contained(contracts.types[name], contracts.types))
        except RecursionError:  # a record that holds itself outside a union: no value
            continue
        for datum in data:
            first = io.BytesIO()
            fastavro.schemaless_writer(first, parsed, datum)
            read = fastavro.schemaless_reader(
                io.BytesIO(first.getvalue()), parsed, parsed, return_named_type=True
            )
            again = io.BytesIO()
            fastavro.schemaless_writer(again, parsed, cls.from_avro(read).to_avro())
            assert again.getvalue() == first.getvalue(), f"{module.__name__}: {name} differs"
