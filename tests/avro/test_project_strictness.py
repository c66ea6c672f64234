"""Project files are held to exactly what Avro Java's strict parse accepts (oracle vectors).

A project's schema file is loaded with `load_schema_files`, not the registry-style single-text
parse the oracle test scores; both must accept and refuse what Java 1.12.1's strict parse does.
"""

from __future__ import annotations

import gzip
import json
from itertools import islice

import pytest
from codegen.vectors import DATA, oracle_schemas

from contractgen.avro.loader import SchemaFile, load_schema_files
from contractgen.diagnostics import ContractError

# Java's verdicts a project load once disagreed with: an enum default that is no symbol (Java
# takes any string), a forward reference that is an empty record while its default is checked,
# a record default that reaches a record still being defined.
CASES = {
    "p-1020-12-old": "ok",
    "p-1013-19-old": "ok",
    "p-1918-1-old": "ok",
    "p-1150-3-new": "AvroTypeException",
    "p-1125-15-new": "AvroTypeException",
    "p-1007-5-new": "AvroRuntimeException",
}


def _accepted(text: str) -> bool:
    try:
        load_schema_files([SchemaFile("s.avsc", text)])
    except ContractError as error:
        assert all(d.location for d in error.diagnostics)
        return False
    return True


def test_the_cases_that_disagreed_agree() -> None:
    for ident, (text, java) in oracle_schemas(CASES).items():
        assert java["strict_parse"].split(":")[0] == CASES[ident]
        assert _accepted(text) == (CASES[ident] == "ok"), ident


@pytest.mark.slow
def test_every_tenth_vector_is_accepted_exactly_when_java_accepts_it() -> None:
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        vectors = [json.loads(line) for line in islice(lines, 0, None, 10)]
    disagree = [
        f"{vector['id']}-{side}"
        for vector in vectors
        for side in ("old", "new")
        if _accepted(vector[side]) != (vector["java"][side]["strict_parse"] == "ok")
    ]
    assert len(vectors) == 2_000
    assert disagree == []
