"""Property: for random schemas, generated code round-trips every sample byte for byte.

Schemas mix every Avro type, logical types, nesting and unions; unions only combine branches of
distinct Python classes (the others are written as one chosen branch: test_union_branches).
"""

from __future__ import annotations

import io
import json
from itertools import count
from typing import Any

import fastavro
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.samples import samples
from codegen.support import Build, contracts_of
from contractgen.avro.resolve import self_contained

NAMES = count()

PRIMITIVES: list[Any] = [
    "boolean",
    "int",
    "long",
    "double",
    "bytes",
    "string",
    {"type": "string", "logicalType": "uuid"},
    {"type": "int", "logicalType": "date"},
    {"type": "long", "logicalType": "time-micros"},
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "long", "logicalType": "local-timestamp-micros"},
    {"type": "long", "logicalType": "timestamp-nanos"},
    {"type": "bytes", "logicalType": "decimal", "precision": 8, "scale": 3},
]
# the Python class each branch reads back as: a union holds at most one of each
READ_AS = {
    "boolean": "bool",
    "int": "int",
    "long": "int",
    "double": "float",
    "bytes": "bytes",
    "string": "str",
    "uuid": "UUID",
    "date": "date",
    "time-micros": "time",
    "timestamp-millis": "datetime",
    "local-timestamp-micros": "datetime",
    "timestamp-nanos": "int",
    "decimal": "Decimal",
    "enum": "str",
    "fixed": "bytes",
    "array": "list",
    "map": "dict",
}


def _name(prefix: str) -> str:
    return f"{prefix}{next(NAMES)}"


def _kind(schema: Any) -> str:
    if isinstance(schema, str):
        return schema
    return str(schema.get("logicalType") or schema["type"])


def types(depth: int) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.sampled_from(PRIMITIVES),
        st.builds(lambda: {"type": "enum", "name": _name("E"), "symbols": ["A", "B", "C"]}),
        st.builds(lambda: {"type": "fixed", "name": _name("F"), "size": 4}),
    )
    if depth == 0:
        return leaves
    inner = types(depth - 1)
    return st.one_of(
        leaves,
        st.builds(lambda t: {"type": "array", "items": t}, inner),
        st.builds(lambda t: {"type": "map", "values": t}, inner),
        records(depth - 1),
        unions(depth - 1),
    )


def unions(depth: int) -> st.SearchStrategy[Any]:
    def distinct(branches: list[Any]) -> list[Any]:
        seen: set[str] = set()
        kept = []
        for branch in branches:
            kind = _kind(branch)
            read_as = READ_AS[kind] if kind in READ_AS else f"record {branch['name']}"
            # Avro allows one branch per unnamed type (a logical type counts as its base type)
            base = branch if isinstance(branch, str) else branch.get("name", branch["type"])
            if read_as not in seen and base not in seen:
                seen.update((read_as, base))
                kept.append(branch)
        return kept

    non_union = st.one_of(
        st.sampled_from(PRIMITIVES),
        st.builds(lambda: {"type": "enum", "name": _name("E"), "symbols": ["A", "B"]}),
        records(max(depth - 1, 0)),
        st.builds(lambda: {"type": "array", "items": "int"}),
    )
    return st.builds(
        lambda null, branches: (["null"] if null else []) + distinct(branches),
        st.booleans(),
        st.lists(non_union, min_size=1, max_size=4),
    )


def records(depth: int) -> st.SearchStrategy[Any]:
    field_types = types(depth) if depth > 0 else st.sampled_from(PRIMITIVES)
    return st.builds(
        lambda fields: {
            "type": "record",
            "name": _name("R"),
            "namespace": f"ns{next(NAMES) % 3}",
            "fields": [{"name": f"f{i}", "type": t} for i, t in enumerate(fields)],
        },
        st.lists(field_types, min_size=0, max_size=5),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records(2), st.sampled_from(["dataclasses", "pydantic"]))
def test_random_schemas_round_trip(
    build_package: Build, schema: dict[str, Any], flavour: str
) -> None:
    package = build_package(schema, flavour=flavour)
    contracts = contracts_of(schema)
    cls = package.AVRO_TYPES[f"{schema['namespace']}.{schema['name']}"]
    parsed = fastavro.parse_schema(json.loads(cls.AVRO_SCHEMA))
    schema_ir = contracts.types[f"{schema['namespace']}.{schema['name']}"]
    for datum in samples(self_contained(schema_ir, contracts.types)):
        out = io.BytesIO()
        fastavro.schemaless_writer(out, parsed, datum)
        original = out.getvalue()
        read = fastavro.schemaless_reader(
            io.BytesIO(original), parsed, parsed, return_named_type=True
        )
        model = cls.from_avro(read)
        again = io.BytesIO()
        fastavro.schemaless_writer(again, parsed, model.to_avro())
        assert again.getvalue() == original
        model.validate_avro()
