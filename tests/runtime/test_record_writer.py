"""parts_writer writes byte-for-byte what fastavro writes, for every type it takes on, and
declines (None: fastavro is used) what it does not handle."""

import io
import json
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from typing import Any

import fastavro
import pytest
from codegen.support import repo_module
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.runtime.record_writer import Write, long_bytes, parts_writer

MONEY = {
    "type": "record",
    "name": "Money",
    "namespace": "com.acme.common",
    "fields": [
        {
            "name": "amount",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2},
        },
        {"name": "currency", "type": "string"},
    ],
}
EVERYTHING = {
    "type": "record",
    "name": "Everything",
    "namespace": "com.acme.test",
    "fields": [
        {"name": "flag", "type": "boolean"},
        {"name": "small", "type": "int"},
        {"name": "big", "type": "long"},
        {"name": "ratio", "type": "float"},
        {"name": "exact", "type": "double"},
        {"name": "blob", "type": "bytes"},
        {"name": "text", "type": "string"},
        {"name": "nothing", "type": "null"},
        {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "BLUE"]}},
        {"name": "again", "type": "Color"},
        {"name": "maybe", "type": ["null", "string"]},
        {"name": "or_not", "type": ["long", "null"]},
        {"name": "price", "type": MONEY},
        {"name": "prices", "type": {"type": "array", "items": "com.acme.common.Money"}},
        {"name": "labels", "type": {"type": "map", "values": ["null", "int"]}},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "at_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "matrix", "type": {"type": "array", "items": {"type": "array", "items": "int"}}},
    ],
}


def record_writer(schema: Any, namespace: str | None, named: dict[str, Write]) -> Any:
    """An encoder to bytes from parts_writer's writer, or None."""
    write = parts_writer(schema, namespace, named)
    if write is None:
        return None

    def encode(datum: Any) -> bytes:
        parts: list[bytes] = []
        write(datum, parts)
        return b"".join(parts)

    return encode


def values(schema: Any, named: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Valid values of `schema`, in the form generated models' to_avro() gives."""
    if isinstance(schema, list):
        return st.one_of(*(values(branch, named) for branch in schema))
    if isinstance(schema, str) and schema in named:
        return values(named[schema], named)
    kind = schema["type"] if isinstance(schema, dict) else schema
    logical = schema.get("logicalType") if isinstance(schema, dict) else None
    moments = st.datetimes(timezones=st.just(UTC), allow_imaginary=False)
    if logical == "decimal":
        digits, places = schema["precision"], schema["scale"]
        limit = Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)
        return st.decimals(-limit, limit, places=places, allow_nan=False, allow_infinity=False)
    if logical in ("timestamp-millis", "timestamp-micros"):
        return moments
    if logical == "date":
        return st.dates()
    if logical == "uuid":
        return st.uuids()
    if kind == "record":
        named[f"{schema.get('namespace', 'com.acme.test')}.{schema['name']}"] = schema
        named[schema["name"]] = schema
        return st.fixed_dictionaries(
            {f["name"]: values(f["type"], named) for f in schema["fields"]}
        )
    if kind == "enum":
        named[schema["name"]] = schema
        return st.sampled_from(schema["symbols"])
    if kind == "array":
        return st.lists(values(schema["items"], named), max_size=4)
    if kind == "map":
        return st.dictionaries(st.text(max_size=5), values(schema["values"], named), max_size=4)
    return {
        "null": st.none(),
        "boolean": st.booleans(),
        "int": st.integers(-(2**31), 2**31 - 1),
        "long": st.integers(-(2**63), 2**63 - 1),
        "float": st.floats(width=32, allow_nan=False),
        "double": st.floats(allow_nan=False),
        "bytes": st.binary(max_size=20),
        "string": st.text(max_size=20),
    }[kind]


def fastavro_bytes(schema: Any, datum: Any, named: dict[str, Any] | None = None) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema, named_schemas=named), datum)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_handled_type_as_fastavro_writes_it(data: st.DataObject) -> None:
    datum = data.draw(values(EVERYTHING, {}))
    encode = record_writer(EVERYTHING, None, {})
    assert encode is not None
    assert encode(datum) == fastavro_bytes(EVERYTHING, datum)


@pytest.mark.parametrize("topic", ["orders", "payments"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_generated_events_as_fastavro_writes_them(topic: str, data: st.DataObject) -> None:
    """Each event record of the repository's envelopes, from its generated model's to_avro."""
    envelope = json.loads(repo_module(f"generated.{topic}").TOPIC.value_schema)
    compiled: dict[str, Write] = {}
    parsed: dict[str, Any] = {}
    fastavro.parse_schema(envelope, named_schemas=parsed)
    named: dict[str, Any] = {}
    for branch in envelope["fields"][-1]["type"]:
        encode = record_writer(branch, envelope["namespace"], compiled)
        assert encode is not None
        datum = data.draw(values(branch, named))
        schema = {**branch, "namespace": branch.get("namespace", envelope["namespace"])}
        assert encode(datum) == fastavro_bytes(schema, datum, dict(parsed))


def test_longs_at_the_edges_and_beyond() -> None:
    for value in (0, -1, 63, -64, 64, 2**63 - 1, -(2**63)):
        assert long_bytes(value) == fastavro_bytes("long", value)
    with pytest.raises(OverflowError):
        long_bytes(2**63)


def test_bad_values_raise_as_fastavro_does() -> None:
    encode = record_writer(MONEY, None, {})
    assert encode is not None
    with pytest.raises(TypeError):
        encode({"amount": Decimal("1.00"), "currency": 5})
    for scale_or_precision in ("1.001", "1.000", "99999999999.99", "1000000000000"):
        with pytest.raises(ValueError, match=r"does not match|bigger than allowed"):
            encode({"amount": Decimal(scale_or_precision), "currency": "EUR"})
        with pytest.raises(ValueError, match=r"does not match|bigger than allowed"):
            fastavro_bytes(MONEY, {"amount": Decimal(scale_or_precision), "currency": "EUR"})
    color = {"type": "enum", "name": "Color", "symbols": ["RED"]}
    enum = record_writer(
        {"type": "record", "name": "R", "fields": [{"name": "c", "type": color}]}, None, {}
    )
    assert enum is not None
    with pytest.raises(ValueError, match="GREEN"):
        enum({"c": "GREEN"})


@pytest.mark.parametrize(
    "field_type",
    [
        ["null", "string", "long"],
        ["string", "long"],
        {"type": "fixed", "name": "F", "size": 2},
        "Unknown",
        "R",  # recursive
    ],
)
def test_what_it_does_not_handle_is_left_to_fastavro(field_type: Any) -> None:
    schema = {"type": "record", "name": "R", "fields": [{"name": "f", "type": field_type}]}
    assert record_writer(schema, None, {}) is None


def test_timestamps_before_the_epoch() -> None:
    schema = {"type": "record", "name": "T", "fields": [EVERYTHING["fields"][15]]}
    encode = record_writer(schema, None, {})
    assert encode is not None
    moment = {"at": datetime(1969, 12, 30, 23, 59, 59, 999500, tzinfo=UTC)}
    assert encode(moment) == fastavro_bytes(schema, moment)


@pytest.mark.parametrize(
    "amount",
    ["0.00", "-0.00", "1", "-1.5", "127.99", "-128.00", "1.27", "-1.28", "9999999999.99", "1E+2"],
)
def test_decimals_as_fastavro_writes_them_whatever_the_context(amount: str) -> None:
    datum = {"amount": Decimal(amount), "currency": "EUR"}
    encode = record_writer(MONEY, None, {})
    assert encode is not None
    with localcontext(prec=3):  # a caller's context must not round the value
        assert encode(datum) == fastavro_bytes(MONEY, datum)


def test_a_naive_timestamp_is_fastavros_local_time() -> None:
    schema = {"type": "record", "name": "T", "fields": [EVERYTHING["fields"][15]]}
    encode = record_writer(schema, None, {})
    assert encode is not None
    for datum in ({"at": datetime(2026, 3, 1, 12, 0, 0, 1500)}, {"at": 1234}):
        assert encode(datum) == fastavro_bytes(schema, datum)


def test_inline_fields_take_what_fastavro_takes() -> None:
    """The compiled record's inline primitives: ints in float fields (fastavro's float()),
    missing fields written from their defaults, long boundaries, and long strings."""
    schema = {
        "type": "record",
        "name": "Inline",
        "fields": [
            {"name": "f", "type": "float"},
            {"name": "d", "type": "double"},
            {"name": "maybe_d", "type": ["null", "double"]},
            {"name": "n", "type": "long", "default": -65},
            {"name": "s", "type": "string", "default": "x" * 70},
            {"name": "b", "type": ["bytes", "null"]},
        ],
    }
    encode = record_writer(schema, None, {})
    assert encode is not None
    for datum in (
        {"f": 3, "d": True, "maybe_d": 7, "b": b""},
        {"f": 1.5, "d": -2, "maybe_d": None, "n": 2**63 - 1, "s": "é" * 40, "b": None},
        {"f": 0, "d": 0, "maybe_d": 0.25, "n": -(2**63), "b": b"z" * 100},
    ):
        assert encode(datum) == fastavro_bytes(schema, datum)
    with pytest.raises(OverflowError):
        encode({"f": 0, "d": 0, "maybe_d": None, "n": 2**63, "b": None})
