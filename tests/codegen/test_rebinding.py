"""A record's AVRO_SCHEMA reads back as that record, or generation is refused where it cannot.

Oracle schemas (by id) whose null-namespace record, written as a schema of its own, has a use of
itself inside a namespace where its bare name means another type (Java and fastavro alike read
`"T"` inside `ns1` as `ns1.T`): no spelling of the name reads back as meant.
"""

from __future__ import annotations

import json

import fastavro
import pytest

from codegen.support import Build, contracts_of
from codegen.vectors import oracle_schemas
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.config import Flavour
from contractgen.diagnostics import ContractError

UNWRITABLE = {"p-1697-3-old": "T", "p-1643-12-old": "F", "p-1396-4-old": "R"}


def test_a_record_with_no_schema_of_its_own_is_refused_where_its_use_is() -> None:
    for ident, (text, java) in oracle_schemas(UNWRITABLE).items():
        assert java["strict_parse"] == "ok"
        with pytest.raises(ContractError) as error:
            generate(contracts_of(text), Options(package="p", flavour=Flavour.DATACLASSES))
        [problem] = error.value.diagnostics
        assert problem.code == "GEN006", ident
        assert problem.message.startswith(f"{UNWRITABLE[ident]} has no schema of its own"), ident
        assert problem.location is not None
        assert problem.location.file == "schemas/s0.avsc"
        assert problem.location.line == 1 and problem.location.column > 1


def test_a_short_name_that_would_rebind_is_written_in_full_in_avro_schema(
    build_package: Build,
) -> None:
    # Java's own text writes `up` as "X": read back, that is the enum (a.b.X is not complete)
    shadowed = {
        "type": "record", "name": "a.b.X",
        "fields": [
            {"name": "e", "type": {"type": "enum", "name": "X", "namespace": "",
                                   "symbols": ["A"]}},
            {"name": "inner", "type": {"type": "record", "name": "In", "fields": [
                {"name": "up", "type": ["null", "a.b.X"], "default": None},
            ]}},
        ],
    }  # fmt: skip
    package = build_package(shadowed)
    schema = json.loads(package.AVRO_TYPES["a.b.X"].AVRO_SCHEMA)
    assert schema["fields"][1]["type"]["fields"][0]["type"] == ["null", "a.b.X"]
    fastavro.parse_schema(schema)
