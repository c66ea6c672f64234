"""Reading older (and newer) writers without fastavro's resolution gives exactly what
fastavro's resolution gives, and every other kind of change is left to fastavro."""

import copy
import io
from typing import Any

import fastavro
import pytest

from contractgen.runtime.writer_plan import added_defaults, fill

STATUS = {"type": "enum", "name": "Status", "symbols": ["NEW", "DONE"], "default": "NEW"}
ITEM = {"type": "record", "name": "Item", "fields": [{"name": "sku", "type": "string"}]}


def envelope(*fields: dict[str, Any], item: dict[str, Any] = ITEM) -> dict[str, Any]:
    created = {
        "type": "record",
        "name": "Created",
        "doc": "the first event",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "items", "type": {"type": "array", "items": item}},
            *fields,
        ],
    }
    paid = {"type": "record", "name": "Paid", "fields": [{"name": "id", "type": "string"}]}
    return {
        "type": "record",
        "name": "Envelope",
        "namespace": "com.acme",
        "fields": [
            {"name": "event_id", "type": "string"},
            {"name": "payload", "type": [created, paid]},
        ],
    }


COUPON = {"name": "coupon", "type": ["null", "string"], "default": None}
ATTRIBUTES = {"name": "attributes", "type": {"type": "map", "values": "string"}, "default": {}}
TAGS = {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []}
STATUS_FIELD = {"name": "status", "type": STATUS, "default": "DONE"}
COUNT = {"name": "count", "type": "int", "default": 3}
QTY = {"name": "qty", "type": "int", "default": 1}
AT = {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": 0}

# (writer, reader) pairs of the kinds the plan handles
PLANNED = {
    "added optional": (envelope(), envelope(COUPON)),
    "added map, array, enum, int": (envelope(), envelope(ATTRIBUTES, TAGS, STATUS_FIELD, COUNT)),
    "dropped (newer writer)": (envelope(COUPON, ATTRIBUTES), envelope()),
    "added and dropped": (envelope(COUPON), envelope(ATTRIBUTES)),
    "docs only": (envelope(), {**envelope(), "doc": "changed"}),
}
# changes fastavro must resolve
RESOLVED = {
    "promoted type": (
        envelope({"name": "n", "type": "int"}),
        envelope({"name": "n", "type": "long"}),
    ),
    "nested record changed": (
        envelope(),
        envelope(item={**ITEM, "fields": [*ITEM["fields"], QTY]}),
    ),
    "logical default": (envelope(), envelope(AT)),
    "renamed by alias": (
        envelope(COUPON),
        envelope({**COUPON, "name": "code", "aliases": ["coupon"]}),
    ),
    "union default not null-first": (
        envelope(),
        envelope({"name": "s", "type": ["string", "null"], "default": "x"}),
    ),
}


def datum(schema: dict[str, Any], branch: int) -> dict[str, Any]:
    record = schema["fields"][1]["type"][branch]
    fields: dict[str, Any] = {"id": "o-1", "items": [{"sku": "s"}]} if branch == 0 else {"id": "p"}
    values = {"coupon": "SPRING", "attributes": {"a": "b"}, "n": 7}
    for field in record["fields"]:
        if field["name"] in values:
            fields[field["name"]] = values[field["name"]]
    return {"event_id": "e", "payload": (f"com.acme.{record['name']}", fields)}


@pytest.mark.parametrize("case", PLANNED)
@pytest.mark.parametrize("branch", [0, 1])
def test_planned_decoding_equals_fastavros_resolution(case: str, branch: int) -> None:
    writer, reader = PLANNED[case]
    plan = added_defaults(writer, reader)
    assert plan is not None
    parsed_writer, parsed_reader = fastavro.parse_schema(writer), fastavro.parse_schema(reader)
    out = io.BytesIO()
    fastavro.schemaless_writer(out, parsed_writer, datum(writer, branch))
    resolved = fastavro.schemaless_reader(
        io.BytesIO(out.getvalue()), parsed_writer, parsed_reader, return_record_name=True
    )
    for _ in range(2):  # defaults are fresh per message: filling one never changes the next
        planned = fastavro.schemaless_reader(
            io.BytesIO(out.getvalue()), parsed_writer, None, return_record_name=True
        )
        fill(plan, planned)
        assert planned == resolved
        for value in planned["payload"][1].values():  # a handler changing its event's values
            if isinstance(value, list):
                value.append("x")
            elif isinstance(value, dict):
                value["x"] = "x"


@pytest.mark.parametrize("case", RESOLVED)
def test_other_changes_are_left_to_fastavro(case: str) -> None:
    writer, reader = RESOLVED[case]
    assert added_defaults(writer, reader) is None


def test_a_writer_branch_the_reader_lacks_is_left_to_fastavro() -> None:
    reader = envelope()
    writer = copy.deepcopy(reader)
    writer["fields"][1]["type"].append({"type": "record", "name": "Refunded", "fields": []})
    assert added_defaults(writer, reader) is None
