"""The semantic diff: each kind of change, found where Avro's resolution would match things."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contractgen.avro.parse import parse_schema
from contractgen.catalog.semdiff import KINDS, semantic_diff


def record(*fields: dict[str, Any], name: str = "a.R", **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def diff(old: Any, new: Any) -> list[tuple[str, str, str]]:
    before = parse_schema(json.dumps(old))
    after = parse_schema(json.dumps(new))
    return [(c.kind, c.path, c.detail) for c in semantic_diff(before, after)]


ID = {"name": "id", "type": "string"}
STATUS = {"type": "enum", "name": "Status", "symbols": ["A", "B"]}


def fld(name: str, avro_type: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": avro_type, **extra}


CASES = [
    (record(ID), record(ID, fld("n", "int", default=0)),
     [("field-added-with-default", "a.R.n", "'n': int = 0")]),
    (record(ID), record(ID, fld("n", "int")),
     [("field-added-without-default", "a.R.n", "'n': int")]),
    (record(ID, fld("n", "int")), record(ID), [("field-removed", "a.R.n", "'n': int")]),
    (record(fld("n", "int")), record(fld("n", "long")),
     [("type-promoted", "a.R.n", "int -> long")]),
    (record(fld("n", "int")), record(fld("n", "string")),
     [("type-changed", "a.R.n", "int -> string")]),
    (record(fld("s", STATUS)), record(fld("s", {**STATUS, "symbols": ["A", "B", "C"]})),
     [("enum-symbol-added", "a.Status", "C")]),
    (record(fld("s", STATUS)), record(fld("s", {**STATUS, "symbols": ["A"]})),
     [("enum-symbol-removed", "a.Status", "B")]),
    (record(fld("n", "int", doc="old")), record(fld("n", "int", doc="new")),
     [("doc-changed", "a.R.n", "field doc")]),
    (record(ID, doc="x"), record(ID, doc="y"), [("doc-changed", "a.R", "type doc")]),
    (record(fld("old", "int")), record(fld("new", "int", aliases=["old"])),
     [("field-renamed", "a.R.new", "old -> new")]),
    (record(fld("n", "string")), record(fld("n", ["null", "string"], default=None)),
     [("union-branch-added", "a.R.n", "null"), ("default-added", "a.R.n", "null")]),
    (record(fld("n", "int", default=1)), record(fld("n", "int", default=2)),
     [("default-changed", "a.R.n", "1 -> 2")]),
    (record(fld("d", {"type": "long", "logicalType": "timestamp-millis"})),
     record(fld("d", {"type": "long", "logicalType": "timestamp-micros"})),
     [("logical-type-changed", "a.R.d",
       'long {"logicalType": "timestamp-millis"} -> long {"logicalType": "timestamp-micros"}')]),
    (record(fld("m", {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2})),
     record(fld("m", {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2})),
     [("logical-type-changed", "a.R.m",
       'bytes {"logicalType": "decimal", "precision": 9, "scale": 2} -> '
       'bytes {"logicalType": "decimal", "precision": 12, "scale": 2}')]),
    (record(fld("f", {"type": "fixed", "name": "F", "size": 4})),
     record(fld("f", {"type": "fixed", "name": "F", "size": 8})),
     [("fixed-size-changed", "a.F", "4 -> 8")]),
    (record(fld("xs", {"type": "array", "items": "int"})),
     record(fld("xs", {"type": "array", "items": "double"})),
     [("type-promoted", "a.R.xs[]", "int -> double")]),
    (record(ID), record(ID, name="a.S", aliases=["a.R"]), [("type-renamed", "a.S", "a.R -> a.S")]),
    (record(fld("n", "int", default=1)), record(fld("n", "int")),
     [("default-removed", "a.R.n", "was 1")]),
    (record(fld("s", {**STATUS, "default": "A"})), record(fld("s", {**STATUS, "default": "B"})),
     [("enum-default-changed", "a.Status", "A -> B")]),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_each_kind_of_change(old: Any, new: Any, expected: list[tuple[str, str, str]]) -> None:
    assert diff(old, new) == expected


def test_every_kind_is_covered_and_an_identical_schema_has_no_change() -> None:
    covered = {kind for _, _, expected in CASES for kind, _, _ in expected}
    assert covered | {"enum-default-changed", "union-branch-removed", "default-removed"} == set(
        KINDS
    )
    assert diff(record(ID), record(ID)) == []


def test_union_branches_match_by_name_and_recursion_ends() -> None:
    node = record({"name": "next", "type": ["null", "a.R"], "default": None}, ID)
    grown = record({"name": "next", "type": ["null", "a.R", "a.Q"], "default": None}, ID)
    grown["fields"][0]["type"][2] = record({"name": "q", "type": "int"}, name="a.Q")
    assert diff(node, grown) == [("union-branch-added", "a.R.next", "a.Q")]
    assert diff(grown, node) == [("union-branch-removed", "a.R.next", "a.Q")]
