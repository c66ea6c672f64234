"""Generated defaults are the values fastavro itself reads for the same default JSON.

The oracle: write the default JSON as raw Avro (logical types stripped: they never change the
encoding; bytes and fixed defaults are strings of code points 0-255), read it back with the
logical schema, and `from_avro` it. A record whose fields all have defaults must equal `cls()`.
"""

from __future__ import annotations

import io
import json
from typing import Any

import fastavro
import pytest

from codegen.support import GOLDEN, golden_package

CASES = sorted(p.parent.name for p in GOLDEN.glob("*/expected"))
# The golden cases with records whose fields all have defaults (the others have nothing to
# check here); `test_every_case_with_all_default_records_is_checked` keeps this list complete.
CASES_WITH_DEFAULTS = ["hostile", "logical", "pydantic"]


def _raw(schema: Any, value: Any, named: dict[str, Any]) -> Any:
    """The fastavro datum, with no logical conversion, of a default `value` of `schema`."""
    if isinstance(schema, str):
        schema = named.get(schema, schema)
    if isinstance(schema, list):
        return _raw(schema[0], value, named)
    if isinstance(schema, str):
        return value.encode("latin-1") if schema == "bytes" else value
    kind = schema["type"]
    if kind in ("record", "error", "enum", "fixed"):
        named.setdefault(schema["name"], schema)
    if kind == "record":
        return {
            f["name"]: _raw(f["type"], value.get(f["name"], f.get("default")), named)
            for f in schema["fields"]
        }
    if kind == "array":
        return [_raw(schema["items"], v, named) for v in value]
    if kind == "map":
        return {k: _raw(schema["values"], v, named) for k, v in value.items()}
    if kind in ("bytes", "fixed"):
        return value.encode("latin-1")
    return value


def _strip_logical(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_strip_logical(s) for s in schema]
    if isinstance(schema, dict):
        return {k: _strip_logical(v) for k, v in schema.items() if k != "logicalType"}
    return schema


def _defaults_only(cls: type[Any]) -> dict[str, Any] | None:
    schema: dict[str, Any] = json.loads(cls.AVRO_SCHEMA)
    fields = schema["fields"]
    if not fields or not all("default" in f for f in fields):
        return None
    return schema


def _all_default_records(case: str) -> list[tuple[type[Any], dict[str, Any]]]:
    records = ((cls, _defaults_only(cls)) for cls in golden_package(case).AVRO_TYPES.values())
    return [(cls, schema) for cls, schema in records if schema is not None]


def test_every_case_with_all_default_records_is_checked() -> None:
    assert [case for case in CASES if _all_default_records(case)] == CASES_WITH_DEFAULTS


@pytest.mark.parametrize("case", CASES_WITH_DEFAULTS)
def test_defaults_match_what_fastavro_reads_for_them(case: str) -> None:
    records = _all_default_records(case)
    assert records, f"{case} has no record whose fields all have defaults: nothing was checked"
    for cls, schema in records:
        datum = _raw(schema, {}, {})
        out = io.BytesIO()
        fastavro.schemaless_writer(out, fastavro.parse_schema(_strip_logical(schema)), datum)
        logical = fastavro.parse_schema(schema)
        read = fastavro.schemaless_reader(
            io.BytesIO(out.getvalue()), logical, logical, return_named_type=True
        )
        assert cls() == cls.from_avro(read), cls.AVRO_NAME
