"""datum_reader returns what fastavro's schemaless_reader returns (return_named_type=True, no
reader schema) from the same bytes, value for value and type for type, and raises where the bytes
end early."""

import io
import json
from decimal import Decimal, localcontext
from typing import Any

import fastavro
import pytest
from codegen.support import repo_module
from hypothesis import given, settings
from hypothesis import strategies as st

from contractgen.runtime.record_reader import MAX_LINES, datum_reader

from .test_record_writer import EVERYTHING, MONEY, fastavro_bytes, values


def fastavro_datum(parsed: Any, data: bytes) -> Any:
    return fastavro.schemaless_reader(io.BytesIO(data), parsed, None, return_named_type=True)


def assert_reads_as_fastavro(schema: Any, data: bytes) -> Any:
    parsed = fastavro.parse_schema(schema)
    read = datum_reader(parsed)
    assert read is not None
    ours, theirs = read(b"\x00\x00\x00\x00\x07" + data, 5), fastavro_datum(parsed, data)
    # repr: the same types too (a Decimal's exponent, a datetime's tzinfo, a tuple for a union)
    assert repr(ours) == repr(theirs)
    return ours


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_type_as_fastavro_reads_it(data: st.DataObject) -> None:
    datum = data.draw(values(EVERYTHING, {}))
    assert_reads_as_fastavro(EVERYTHING, fastavro_bytes(EVERYTHING, datum))


@pytest.mark.parametrize("topic", ["orders", "payments"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_generated_envelopes_as_fastavro_reads_them(topic: str, data: st.DataObject) -> None:
    envelope = json.loads(repo_module(f"generated.{topic}").TOPIC.value_schema)
    parsed = fastavro.parse_schema(envelope)
    branches = envelope["fields"][-1]["type"]
    named: dict[str, Any] = {}
    datum = {
        "event_id": data.draw(st.uuids()),
        "event_type": data.draw(st.text(max_size=40)),
        "occurred_at": data.draw(values(envelope["fields"][2]["type"], named)),
        "producer": data.draw(st.text(max_size=70)),  # past the one-byte length
        "correlation_id": data.draw(st.none() | st.text(max_size=5)),
        "trace_id": None,
    }
    payloads = []  # in definition order: a branch may use a type an earlier one defined
    for branch in branches:
        name = f"{branch.get('namespace', envelope['namespace'])}.{branch['name']}"
        payloads.append((name, data.draw(values(branch, named))))
    datum["payload"] = data.draw(st.sampled_from(payloads))
    assert_reads_as_fastavro(parsed, fastavro_bytes(parsed, datum))


NAMED_UNION = [
    "null",
    "long",
    {"type": "record", "name": "R", "namespace": "n", "fields": [{"name": "a", "type": "int"}]},
    {"type": "enum", "name": "E", "symbols": ["A", "B"]},
    {"type": "fixed", "name": "F", "size": 3},
    "n.R",
    {"type": "string", "logicalType": "uuid"},
]


@pytest.mark.parametrize(
    "data",
    [
        b"\x00",
        b"\x02\x81\x01",
        b"\x04\x08",
        b"\x06\x02",
        b"\x08abc",
        b"\x0a\x7f",
        b"\x0c\x48" + b"12345678-1234-5678-1234-567812345678",
    ],
)
def test_union_branches_named_as_fastavro_names_them(data: bytes) -> None:
    assert_reads_as_fastavro(NAMED_UNION, data)


def test_recursive_records_arrays_and_maps_in_blocks() -> None:
    node = {
        "type": "record",
        "name": "Node",
        "fields": [
            {"name": "value", "type": "int"},
            {"name": "next", "type": ["null", "Node"]},
            {"name": "tags", "type": {"type": "map", "values": {"type": "array", "items": "long"}}},
        ],
    }
    empty = b"\x00"
    # a block of 2 given with its byte size (negative count), then a block of 1, then the end
    tags = b"\x02" + b"\x02k" + b"\x03\x04\x02\x04" + b"\x02\x06" + empty + empty
    data = b"\x02" + b"\x02" + b"\x04" + b"\x00" + empty + tags
    assert assert_reads_as_fastavro(node, data) == {
        "value": 1,
        "next": ("Node", {"value": 2, "next": None, "tags": {}}),
        "tags": {"k": [1, 2, 3]},
    }


@pytest.mark.parametrize(
    "unscaled", [0, 1, -1, 127, -128, 10**12 - 1, -(10**12) + 1, 10**12, -(10**12), 10**40]
)
def test_decimals_within_and_beyond_their_precision_whatever_the_context(unscaled: int) -> None:
    """Beyond the precision (bytes another writer may send) fastavro rounds: so does the reader."""
    data = unscaled.to_bytes((abs(unscaled).bit_length() + 8) // 8, "big", signed=True)
    encoded = fastavro_bytes("bytes", data) + fastavro_bytes("string", "EUR")
    wide = {"type": "bytes", "logicalType": "decimal", "precision": 40, "scale": 3}
    with localcontext(prec=3):  # a caller's context must not round the value
        assert_reads_as_fastavro(MONEY, encoded)
        assert_reads_as_fastavro(wide, fastavro_bytes("bytes", data))
    amount = assert_reads_as_fastavro(MONEY, encoded)["amount"]
    if abs(unscaled) < 10**12:  # within the precision: exactly the scale's places
        assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2


def test_timestamps_at_the_edges() -> None:
    for millis in (0, -1, 1, 2**41, -(2**40), 253402300799999):
        assert_reads_as_fastavro(EVERYTHING["fields"][15]["type"], fastavro_bytes("long", millis))
        assert_reads_as_fastavro(EVERYTHING["fields"][16]["type"], fastavro_bytes("long", millis))


def test_long_strings_bytes_and_longs() -> None:
    record = {
        "type": "record",
        "name": "Long",
        "fields": [
            {"name": "s", "type": "string"},
            {"name": "b", "type": "bytes"},
            {"name": "n", "type": "long"},
            {"name": "m", "type": "int"},
        ],
    }
    for text, blob, number in (
        ("é" * 40, b"x" * 64, 2**63 - 1),
        ("", b"", -(2**63)),
        ("a" * 63, b"y" * 63, 64),
    ):
        datum = {"s": text, "b": blob, "n": number, "m": -65}
        assert assert_reads_as_fastavro(record, fastavro_bytes(record, datum)) == datum


def test_the_message_ending_early_raises_as_in_fastavro() -> None:
    datum = {"s": "x" * 70, "t": "abc"}
    record = {
        "type": "record",
        "name": "Short",
        "fields": [{"name": k, "type": "string"} for k in ("s", "t")],
    }
    data = fastavro_bytes(record, datum)
    read = datum_reader(fastavro.parse_schema(record))
    assert read is not None
    for end in range(len(data)):
        with pytest.raises((EOFError, IndexError)):
            read(data[:end], 0)
        with pytest.raises((EOFError, IndexError)):
            fastavro_datum(fastavro.parse_schema(record), data[:end])


@pytest.mark.parametrize(
    ("schema", "data"),
    [
        (["null", "string", "long"], b"\x01\x04"),
        (["null", "string"], b"\x03\x02x"),
        ({"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}, b"\x03"),
    ],
)
def test_negative_indices_count_from_the_end_as_in_fastavro(schema: Any, data: bytes) -> None:
    """Corrupt data, read as fastavro reads it (a list index)."""
    assert_reads_as_fastavro(schema, data)


@pytest.mark.parametrize(
    ("schema", "data"),
    [
        ("string", b"\x01x"),
        ({"type": "enum", "name": "E", "symbols": ["A"]}, b"\x03"),
        (["null", "string"], b"\x04"),
    ],
)
def test_negative_lengths_and_indices_out_of_range_raise(schema: Any, data: bytes) -> None:
    parsed = fastavro.parse_schema(schema)
    read = datum_reader(parsed)
    assert read is not None
    with pytest.raises((EOFError, IndexError)):
        read(data, 0)
    with pytest.raises((EOFError, IndexError)):
        fastavro_datum(parsed, data)


def test_a_name_it_cannot_find_is_left_to_fastavro() -> None:
    assert (
        datum_reader({"type": "record", "name": "R", "fields": [{"name": "f", "type": "Nowhere"}]})
        is None
    )


@pytest.mark.parametrize("depth", [10, 11])
def test_nesting_past_pythons_block_limit_is_left_to_fastavro(depth: int) -> None:
    """An array of arrays... takes two loops a level; Python compiles at most 20 nested."""
    schema: Any = "int"
    data = b"\x00"
    for _ in range(depth):
        schema = {"type": "array", "items": schema}
        data = b"\x02" + data + b"\x00"  # one item: the inner array
    read = datum_reader(fastavro.parse_schema(schema))
    if depth <= 10:
        assert_reads_as_fastavro(schema, data)
    else:
        assert read is None


def test_a_schema_too_large_to_compile_is_left_to_fastavro() -> None:
    def wide(count: int) -> Any:
        fields = [{"name": f"f{n}", "type": "string"} for n in range(count)]
        return fastavro.parse_schema({"type": "record", "name": "Wide", "fields": fields})

    # a string field is 8 lines: just under and over the limit
    assert datum_reader(wide(MAX_LINES // 8 - 10)) is not None
    assert datum_reader(wide(MAX_LINES // 8 + 10)) is None
