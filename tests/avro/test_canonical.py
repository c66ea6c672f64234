"""The registry's canonical string and the Parsing Canonical Form, checked against known answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastavro.schema import fingerprint, to_parsing_canonical_form
from fastavro.schema import parse_schema as fastavro_parse

from contractgen.avro.canonical import (
    canonical_string,
    identity,
    normalized_string,
    parsing_canonical_form,
)
from contractgen.avro.jsontext import java_double
from contractgen.avro.parse import parse_schema

VECTORS = Path(__file__).parents[2] / "tests" / "compat" / "data" / "vectors.json"
SHARED_VECTORS = Path(__file__).parents[3] / "shared" / "compat-vectors" / "vectors.json"


def canonical(schema: object) -> str:
    return canonical_string(parse_schema(json.dumps(schema), strict=False))


def test_the_registry_example_is_reproduced() -> None:
    text = '{"type": "record", "name": "myrecord", "fields": [{"type": "string", "name": "f1"}]}'
    assert canonical(json.loads(text)) == (
        '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"}]}'
    )


def test_attribute_order_follows_java_not_the_source() -> None:
    schema = {
        "aliases": ["Old"],
        "fields": [
            {"default": 1, "doc": "d", "type": "int", "name": "a", "order": "descending",
             "aliases": ["b"], "x-prop": 1},
        ],
        "doc": "rec",
        "namespace": "ns",
        "name": "R",
        "type": "record",
        "custom": "p",
    }  # fmt: skip
    assert canonical(schema) == (
        '{"type":"record","name":"R","namespace":"ns","doc":"rec","fields":['
        '{"name":"a","type":"int","doc":"d","default":1,"order":"descending",'
        '"aliases":["b"],"x-prop":1}],"custom":"p","aliases":["Old"]}'
    )


def test_names_are_written_relative_to_the_enclosing_namespace() -> None:
    schema = {
        "type": "record", "name": "a.R",
        "fields": [
            {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["X"]}},
            {"name": "e2", "type": "a.E"},
            {"name": "f", "type": {"type": "fixed", "name": "b.F", "size": 2}},
            {"name": "f2", "type": "b.F"},
            {"name": "n", "type": {"type": "record", "name": "N", "namespace": "", "fields": []}},
        ],
    }  # fmt: skip
    assert canonical(schema) == (
        '{"type":"record","name":"R","namespace":"a","fields":['
        '{"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}},'
        '{"name":"e2","type":"E"},'
        '{"name":"f","type":{"type":"fixed","name":"F","namespace":"b","size":2}},'
        '{"name":"f2","type":"b.F"},'
        '{"name":"n","type":{"type":"record","name":"N","namespace":"","fields":[]}}]}'
    )


def test_whitespace_and_redundant_forms_do_not_change_the_canonical_string() -> None:
    terse = {"type": "record", "name": "a.R", "fields": [{"name": "x", "type": "int"}]}
    verbose = {
        "namespace": "a", "type": "record", "name": "a.R",
        "fields": [{"name": "x", "type": {"type": "int"}}],
    }  # fmt: skip
    assert canonical(terse) == canonical(verbose)


def test_docs_and_defaults_change_the_canonical_string_but_not_the_parsing_form() -> None:
    base = {"type": "record", "name": "R", "fields": [{"name": "x", "type": "int"}]}
    documented = {**base, "doc": "now documented"}
    first, second = (parse_schema(json.dumps(s)) for s in (base, documented))
    assert canonical_string(first) != canonical_string(second)
    assert identity(first).crc64 == identity(second).crc64


def test_a_one_branch_union_is_not_the_bare_type() -> None:
    assert canonical(["int"]) == '["int"]'
    assert canonical("int") == '"int"'


def test_normalized_form_sorts_properties_and_aliases_and_uses_full_names() -> None:
    schema = {
        "type": "record", "name": "a.R", "aliases": ["Z", "B"], "zz": 1, "aa": 2,
        "fields": [{"name": "r", "type": ["null", "R"]}],
    }  # fmt: skip
    assert normalized_string(parse_schema(json.dumps(schema))) == (
        '{"type":"record","name":"R","namespace":"a","fields":[{"name":"r",'
        '"type":["null","a.R"]}],"aa":2,"zz":1,"aliases":["B","Z"]}'
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1.0"), (0.5, "0.5"), (1e-7, "1.0E-7"), (1e20, "1.0E20"), (12345678.9, "1.23456789E7"),
     (-0.001, "-0.001"), (100.25, "100.25"), (0.0, "0.0")],
)  # fmt: skip
def test_doubles_are_written_as_java_writes_them(value: float, text: str) -> None:
    assert java_double(value) == text


def _corpus_schemas() -> list[Any]:
    path = VECTORS if VECTORS.exists() else SHARED_VECTORS
    schemas: list[Any] = []
    for vector in json.loads(path.read_text()):
        for key in ("reader", "writer", "candidate"):
            if key in vector:
                schemas.append(vector[key])
        schemas.extend(vector.get("history", []))
    return schemas


def test_parsing_canonical_form_and_fingerprint_agree_with_fastavro_on_the_corpus() -> None:
    checked = 0
    for schema in _corpus_schemas():
        try:
            expected = to_parsing_canonical_form(fastavro_parse(schema))
        except Exception:  # names fastavro refuses (e.g. `test-schema`) are not comparable
            continue
        ours = parse_schema(json.dumps(schema), strict=False)
        assert parsing_canonical_form(ours) == expected
        assert identity(ours).crc64 == fingerprint(expected, "CRC-64-AVRO")
        checked += 1
    assert checked > 300


def test_types_from_references_are_written_by_name() -> None:
    money = parse_schema('{"type":"record","name":"a.Money","fields":[{"name":"u","type":"long"}]}')
    text = '{"type":"record","name":"a.Order","fields":[{"name":"m","type":"Money"}]}'
    order = parse_schema(text, named=money.named)
    assert canonical_string(order, known=money.named) == (
        '{"type":"record","name":"Order","namespace":"a","fields":[{"name":"m","type":"Money"}]}'
    )
    assert '"fields":[{"name":"u"' in canonical_string(order)


def test_a_short_name_spelled_like_a_type_is_written_in_full() -> None:
    text = (
        '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":'
        '{"type":"fixed","name":"int","size":2}},{"name":"b","type":"ns.int"}],'
        '"aliases":["map","Other"]}'
    )
    assert canonical_string(parse_schema(text, strict=False)) == (
        '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":'
        '{"type":"fixed","name":"int","size":2}},{"name":"b","type":"ns.int"}],'
        '"aliases":["ns.map","Other"]}'
    )
