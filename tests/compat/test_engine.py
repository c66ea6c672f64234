"""The engine's Java quirks and Confluent's message assembly, beyond what the vectors pin."""

from __future__ import annotations

import json
from typing import Any

from contractgen.avro.canonical import canonical_string
from contractgen.avro.parse import parse_schema
from contractgen.compat.explain import branch_reasons
from contractgen.compat.levels import HistoryVersion, check_level
from contractgen.compat.messages import MAX_SCHEMA_SIZE_FOR_LOGGING, verbose_messages
from contractgen.compat.resolution import check_reader_writer
from contractgen.ir.model import AvroSchema, Field, Level, Primitive, Record


def schema(value: Any) -> AvroSchema:
    return parse_schema(json.dumps(value), strict=False)


def record(name: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def version(value: Any, number: int = 1) -> HistoryVersion:
    parsed = schema(value)
    return HistoryVersion(parsed, canonical_string(parsed), number)


def triples(reader: Any, writer: Any) -> list[tuple[str, str, str]]:
    found = check_reader_writer(schema(reader), schema(writer))
    return [(i.type.value, i.location, i.message) for i in found.incompatibilities]


def test_ambiguous_field_alias_is_javas_exception() -> None:
    reader = record("R", {"name": "a", "type": "int", "aliases": ["b"]})
    writer = record("R", {"name": "a", "type": "int"}, {"name": "b", "type": "int"})
    found = check_reader_writer(schema(reader), schema(writer))
    assert found.incompatibilities == ()
    assert found.error == (
        "Reader record field a type:INT pos:0 matches multiple fields in writer record schema "
        '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}'
    )
    result = check_level(schema(reader), [version(writer)], Level.BACKWARD)
    assert verbose_messages(result)[0] == (
        "Unexpected exception during compatibility check: " + found.error
    )


def test_shared_nodes_still_report_every_occurrence() -> None:
    # The envelope shares Primitive objects between fields; Java would have one object each.
    text = Primitive("string")
    reader = AvroSchema(Record("R", (Field("a", text), Field("b", text))), {})
    writer = schema(record("R", {"name": "a", "type": "int"}, {"name": "b", "type": "int"}))
    locations = [i.location for i in check_reader_writer(reader, writer).incompatibilities]
    assert locations == ["/fields/0/type", "/fields/1/type"]


def test_recursive_types_terminate() -> None:
    node = record("Node", {"name": "v", "type": "int"}, {"name": "next", "type": ["null", "Node"]})
    grown = record(
        "Node",
        {"name": "v", "type": "int"},
        {"name": "next", "type": ["null", "Node"]},
        {"name": "w", "type": "int"},
    )
    assert triples(node, node) == []
    assert triples(grown, node) == [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/2", "w")]


def test_namespace_only_change_in_a_union_branch() -> None:
    old = ["null", record("Rec", {"name": "a", "type": "int"}, namespace="one")]
    new = ["null", record("Rec", {"name": "a", "type": "int"}, namespace="two")]
    assert triples(new, old) == []


def test_short_reader_alias_is_qualified_with_the_reader_namespace() -> None:
    reader = record("New", {"name": "a", "type": "int"}, namespace="a", aliases=["Old"])
    assert triples(reader, record("Old", {"name": "a", "type": "int"}, namespace="a")) == []
    assert triples(reader, record("Old", {"name": "a", "type": "int"}, namespace="b")) == [
        ("NAME_MISMATCH", "/name", "expected: b.Old")
    ]


def test_full_reports_both_halves_and_the_old_schema_once() -> None:
    old = record("R", {"name": "a", "type": "int"}, {"name": "b", "type": "int"})
    new = record("R", {"name": "a", "type": "int"}, {"name": "c", "type": "int"})
    result = check_level(schema(new), [version(old, 7)], Level.FULL)
    assert verbose_messages(result) == [
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path "
        "'/fields/1' in the old schema has no default value and is missing in the new schema', "
        "additionalInfo:'b'}",
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'c' at path "
        "'/fields/1' in the new schema has no default value and is missing in the old schema', "
        "additionalInfo:'c'}",
        "{oldSchemaVersion: 7}",
        "{oldSchema: '" + version(old).canonical + "'}",
        "{validateFields: 'false', compatibility: 'FULL'}",
    ]


def test_long_old_schema_is_truncated() -> None:
    fields = [{"name": f"field_{i:04}", "type": "string", "doc": "x" * 40} for i in range(200)]
    old = version(record("Big", *fields))
    new = schema(record("Big", *fields, {"name": "extra", "type": "int"}))
    assert len(old.canonical) > MAX_SCHEMA_SIZE_FOR_LOGGING
    messages = verbose_messages(check_level(new, [old], Level.BACKWARD))
    assert messages[2] == (
        "{oldSchema: <truncated> '" + old.canonical[:MAX_SCHEMA_SIZE_FOR_LOGGING] + "...'}"
    )


def test_unknown_version_number_is_left_out() -> None:
    old = version(record("R", {"name": "a", "type": "int"}))
    unnumbered = HistoryVersion(old.schema, old.canonical)
    new = schema(record("R", {"name": "a", "type": "string"}))
    messages = verbose_messages(check_level(new, [unnumbered], Level.BACKWARD))
    assert not any(m.startswith("{oldSchemaVersion") for m in messages)


def test_none_and_empty_history_check_nothing() -> None:
    old = version(record("R", {"name": "a", "type": "int"}))
    new = schema(record("R", {"name": "a", "type": "string"}))
    assert check_level(new, [old], Level.NONE).checks == ()
    assert check_level(new, [], Level.FULL_TRANSITIVE).is_compatible
    assert verbose_messages(check_level(new, [old], Level.NONE)) == []


def test_a_changed_union_member_is_explained() -> None:
    old = ["null", record("Rec", {"name": "a", "type": "int"})]
    new = ["null", record("Rec", {"name": "a", "type": "int"}, {"name": "b", "type": "int"})]
    reader, writer = schema(new), schema(old)
    [union] = check_reader_writer(reader, writer).incompatibilities
    assert (union.type.value, union.location) == ("MISSING_UNION_BRANCH", "/1")
    [(branch, cause, _)] = branch_reasons(union, reader, writer)
    assert (branch, cause.location, cause.message) == ("Rec", "/1/fields/1", "b")
    plain = schema(record("Rec", {"name": "a", "type": "int"}))
    [union] = check_reader_writer(reader, plain).incompatibilities
    assert union.location == "/"
    [(_, cause, _)] = branch_reasons(union, reader, plain)
    assert cause.location == "/1/fields/1"
