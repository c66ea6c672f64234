"""Schemas of the Avro Java oracle vectors (every profile), both flavours: each one Java's strict
parse accepts generates code that imports, passes `mypy --strict` and ruff's defaults, and
round-trips byte-exactly, or is refused with a located message. (Generation alone was swept over
all 40,000 schemas of the vectors, both flavours: none makes it crash.)"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.support import contracts_of, round_trip
from contractgen.codegen.output import write
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.config import Flavour
from contractgen.diagnostics import ContractError

SAMPLE = Path(__file__).with_name("vector_schemas.jsonl")
"""The first three `new` schemas Java's strict parse accepts of every profile of the oracle vectors
(`shared/compat-vectors/java-oracle/vectors.jsonl.gz`, which may be copied into tests), with
their vector id: a lean sample that keeps this to one mypy and one ruff run. Then `old` schemas
(id `-old`) a sweep of all the vectors' schemas found mishandled: a decimal Avro ignores (precision
`13e0`), a decimal of precision 1, two uuid fixed in one union, a short name Java's own text
rebinds, a branch named like another branch's alias, and a null-namespace record with no schema of
its own (refused, located); and p-1477-22 (`new`), whose nested maps of arrays make a conversion
too long for one line (it was once marked `# noqa: E501`, which ruff's defaults report); and
p-1247-4, p-1069-17 (`old`), whose defaults hold a record that refers back to the record being
defined (pydantic cannot build such a default in the class body)."""
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, Any]]]:
    root = tmp_path_factory.mktemp("vectors")
    made: list[tuple[str, Any]] = []
    rows = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    for identifier, text in ((row["id"], row["schema"]) for row in rows):
        try:
            contracts = contracts_of(text)
        except ContractError as error:
            assert all(d.location for d in error.diagnostics), identifier
            continue
        for flavour in Flavour:
            package = f"v_{identifier.replace('-', '_')}_{flavour.value}"
            try:
                files = generate(contracts, Options(package=package, flavour=flavour))
            except ContractError as error:  # e.g. a uuid string whose default is no UUID
                assert all(d.location for d in error.diagnostics), identifier
                continue
            write(root / package, files)
            made.append((package, contracts))
    return root, made


@pytest.mark.slow
def test_vector_schemas_round_trip(generated: tuple[Path, list[tuple[str, Any]]]) -> None:
    root, made = generated
    sys.path.insert(0, str(root))
    try:
        for package, contracts in made:
            round_trip(importlib.import_module(package), contracts)
    finally:
        sys.path.remove(str(root))


@pytest.mark.slow
def test_vector_schemas_type_check_and_lint(
    generated: tuple[Path, list[tuple[str, Any]]],
) -> None:
    root, made = generated
    packages = [arg for package, _ in made for arg in ("-p", package)]
    mypy = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", "--cache-dir=/dev/null", *packages],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-5000:]
    ruff = subprocess.run(
        [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout[-5000:]
    assert len({re.sub(r"_(dataclasses|pydantic)$", "", p) for p, _ in made}) >= 10
