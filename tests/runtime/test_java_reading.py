"""The runtime reads every schema as Avro Java does, including Java texts fastavro alone reads
otherwise or refuses: a null-namespace type named by its bare name inside a namespace, and a
primitive written as an object with an integer default on a float or double."""

from __future__ import annotations

import copy
import gzip
import importlib
import io
import json
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import fastavro
import pytest
from codegen.samples import samples
from codegen.support import contracts_of
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from fastavro.schema import UnknownType, to_parsing_canonical_form

from contractgen.avro.canonical import parsing_canonical_form
from contractgen.avro.parse import parse_schema
from contractgen.avro.resolve import self_contained
from contractgen.codegen.output import write
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.diagnostics import ContractError
from contractgen.runtime.codec import AvroCodec, parse
from contractgen.runtime.framing import frame_header
from contractgen.runtime.java_reading import java_reading
from contractgen.runtime.registry import SchemaIds

VECTORS = (
    Path(__file__).resolve().parent.parent / "compat" / "data" / "java-oracle-vectors.jsonl.gz"
)

# Oracle-vector schemas (strictly valid for Java) whose generated AVRO_SCHEMA fastavro refused
# before: `UnknownType` (a null-namespace type by its bare name inside a namespace) ...
NULL_NAMESPACE = ["p-1041-8-old", "p-1163-4-old", "p-1230-19-old", "p-1027-18-new"]
# ... and a float/double written as an object with an integer (or "NaN") default
FLOAT_DEFAULT = ["p-1377-6-old", "p-1177-0-new", "p-1408-12-old", "p-1147-3-new"]

# Java's toString of a record with both shapes: fixed `Inner` of the null namespace, named
# `"Inner"` inside record `a.b.X`; a float written as an object, with the default 1
WRITER = {
    "type": "record",
    "name": "E",
    "fields": [
        {"name": "d", "type": "int"},
        {"name": "x", "type": {"type": "fixed", "name": "Inner", "size": 2}},
        {
            "name": "a",
            "type": [
                "null",
                {
                    "type": "record",
                    "name": "X",
                    "namespace": "a.b",
                    "fields": [
                        {"name": "e", "type": "Inner"},
                        {"name": "f", "type": {"type": "float", "custom": True}, "default": 1},
                    ],
                },
            ],
        },
    ],
}


def _vector_schemas(ids: list[str]) -> dict[str, str]:
    """`id` (vector id + `-old`/`-new`) -> schema text, from the Java oracle vectors."""
    wanted = {i.rsplit("-", 1)[0] for i in ids}
    found: dict[str, str] = {}
    with gzip.open(VECTORS, "rt", encoding="utf-8") as lines:
        for line in lines:
            vector_id = line[len('{"id": "') :].split('"', 1)[0]
            if vector_id in wanted:
                row = json.loads(line)
                found.update({f"{vector_id}-{side}": row[side] for side in ("old", "new")})
    return {i: found[i] for i in ids}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Per vector schema: its contract set and the generated package, imported."""
    root = tmp_path_factory.mktemp("java_reading")
    sys.path.insert(0, str(root))
    made: dict[str, Any] = {}
    try:
        for ident, text in _vector_schemas(NULL_NAMESPACE + FLOAT_DEFAULT).items():
            contracts = contracts_of(text)
            package = f"jr_{ident.replace('-', '_')}"
            write(root / package, generate(contracts, Options(package=package)))
            made[ident] = (contracts, importlib.import_module(package))
        yield made
    finally:
        sys.path.remove(str(root))


def _write(schema: Any, datum: Any) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, schema, datum)
    return out.getvalue()


def _types(pcf: str) -> dict[str, Any]:
    """A Parsing Canonical Form as the structure it names: every named type's definition (types
    inside it by name) and the root's, under "". Where a definition sits in the text doesn't
    matter (Java writes it at the first use, which a forward reference moves)."""
    found: dict[str, Any] = {}

    def named(node: Any) -> Any:
        if isinstance(node, list):
            return [named(branch) for branch in node]
        if not isinstance(node, dict):
            return node
        node = {
            **node,
            **{k: named(node[k]) for k in ("items", "values") if k in node},
            **(
                {"fields": [{**f, "type": named(f["type"])} for f in node["fields"]]}
                if "fields" in node
                else {}
            ),
        }
        if "name" not in node:
            return node
        found[node["name"]] = node
        return node["name"]

    found[""] = named(json.loads(pcf))
    return found


def _java_reading(text: str) -> dict[str, Any] | None:
    """The schema as Java reads it (contractgen's parser decides as Java 1.12 does; leniently, as
    a registry reads what it holds), None if Java refuses it."""
    try:
        return _types(parsing_canonical_form(parse_schema(text, strict=False)))
    except ContractError:
        return None


def _fastavro_reading(parsed: Any) -> dict[str, Any]:
    return _types(to_parsing_canonical_form(parsed))


@pytest.mark.parametrize("ident", NULL_NAMESPACE + FLOAT_DEFAULT)
def test_generated_types_of_oracle_schemas_round_trip(
    generated: dict[str, Any], ident: str
) -> None:
    contracts, package = generated[ident]
    for name, cls in package.AVRO_TYPES.items():
        java = _java_reading(cls.AVRO_SCHEMA)
        if java is None:  # a nested type's text Java cannot read back (a codegen matter)
            with pytest.raises(UnknownType):
                parse(cls.AVRO_SCHEMA)
            continue
        parsed = parse(cls.AVRO_SCHEMA)  # what the generated producer's and consumer's codec does
        # the structure fastavro encodes by is the one Java reads: names bound alike
        assert _fastavro_reading(parsed) == java, name
        contract = self_contained(contracts.types[name], contracts.types)
        if java != _types(parsing_canonical_form(contract)):
            continue  # the text means another schema than the contract to Java (a codegen matter)
        fastavro_alone = None
        if ident in FLOAT_DEFAULT:  # fastavro's own parse, with its default check skipped
            fastavro_alone = fastavro.parse_schema(
                json.loads(cls.AVRO_SCHEMA), _ignore_default_error=True
            )
        for datum in samples(contract):
            first = _write(parsed, datum)
            if fastavro_alone is not None:
                assert _write(fastavro_alone, datum) == first, name
            read = fastavro.schemaless_reader(
                io.BytesIO(first), parsed, parsed, return_named_type=True
            )
            assert _write(parsed, cls.from_avro(read).to_avro()) == first, name


def test_a_null_namespace_name_inside_a_namespace_binds_as_in_java() -> None:
    text = json.dumps(WRITER)
    parsed = parse(text)
    assert _fastavro_reading(parsed) == _java_reading(text)
    datum = {"d": 1, "x": b"ab", "a": ("a.b.X", {"e": b"cd", "f": 1.5})}
    # by the specification: zig-zag int, fixed bytes, union index 1, fixed bytes, float LE
    expected = b"\x02ab\x02cd" + struct.pack("<f", 1.5)
    assert _write(parsed, datum) == expected
    for _ in range(2):  # fastavro's reader and writer take the parsed schema as it is
        assert fastavro.schemaless_reader(
            io.BytesIO(expected), parsed, parsed, return_named_type=True
        ) == {"d": 1, "x": b"ab", "a": ("a.b.X", {"e": b"cd", "f": 1.5})}


def test_the_enclosing_namespace_comes_first_and_a_record_is_known_after_its_fields() -> None:
    def record(name: str, space: str, *fields: Any) -> dict[str, Any]:
        return {"type": "record", "name": name, "namespace": space, "fields": list(fields)}

    null_x = {"name": "n", "type": {"type": "enum", "name": "X", "namespace": "", "symbols": ["A"]}}
    ns_x = {"name": "s", "type": {"type": "fixed", "name": "X", "size": 1}}
    use = {"name": "u", "type": ["null", "X"]}
    cases = [
        record("R", "a.b", null_x, use),  # only the null namespace's X: Java takes it
        record("R", "a.b", null_x, ns_x, use),  # a.b.X known too: the enclosing namespace's
        record("X", "a.b", null_x, use),  # itself, being parsed: Java doesn't know it yet
        record("R", "a.b", use, ns_x),  # a forward reference: bound at the end, to a.b.X
    ]
    for schema in cases:
        text = json.dumps(schema)
        assert _fastavro_reading(parse(text)) == _java_reading(text)


VALUE = {"d": 1, "x": b"ab", "a": ("a.b.X", {"e": b"cd", "f": 2.0})}


@pytest.mark.parametrize(
    ("schema", "datum"),
    [
        ({"type": "array", "items": WRITER}, [VALUE]),
        (["null", {"type": "map", "values": WRITER}], {"k": VALUE}),
    ],
    ids=["array", "union of a map"],
)
def test_a_top_level_other_than_a_record_is_read_as_java_reads_it(schema: Any, datum: Any) -> None:
    parsed = parse(json.dumps(schema))
    for _ in range(2):  # fastavro parses an unmarked top level again on every call
        encoded = _write(parsed, datum)
        read = fastavro.schemaless_reader(
            io.BytesIO(encoded), parsed, parsed, return_named_type=True
        )
        assert read == datum


def test_a_float_written_as_an_object_is_the_float() -> None:
    schema, placeholders = java_reading(
        {
            "type": "record",
            "name": "R",
            "fields": [
                {"name": "f", "type": {"type": "float", "custom": True}, "default": 1},
                {"name": "n", "type": {"type": "double", "x": 1}, "default": "NaN"},
                {"name": "d", "type": {"type": "int", "logicalType": "date", "p": 1}},
                {"name": "m", "type": {"type": "int", "logicalType": "made-up"}},
            ],
        }
    )
    assert [f["type"] for f in schema["fields"]] == [
        "float",
        "double",
        {"type": "int", "logicalType": "date", "p": 1},  # a logical type Avro honours stays
        "int",  # one it ignores goes, and the int is the int
    ]
    assert placeholders == {}
    assert _write(fastavro.parse_schema(schema), {"f": 1, "n": 2.5, "d": 3, "m": 4}) == (
        struct.pack("<f", 1) + struct.pack("<d", 2.5) + b"\x06\x08"
    )


def test_a_schema_fastavro_reads_as_java_is_returned_unchanged() -> None:
    schema = {
        "type": "record",
        "name": "Order",
        "namespace": "shop",
        "fields": [
            {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "item", "type": {"type": "record", "name": "Item", "fields": []}},
            {"name": "items", "type": {"type": "array", "items": "Item"}},
            {"name": "by_key", "type": {"type": "map", "values": ["null", "shop.Item"]}},
            {"name": "next", "type": ["null", "Order"], "default": None},
            # a default is data: keys that look like a schema's stay as they are
            {
                "name": "meta",
                "type": {"type": "map", "values": "string"},
                "default": {"type": "float", "logicalType": "made-up"},
            },
        ],
    }
    before = copy.deepcopy(schema)
    normalised, placeholders = java_reading(schema)
    assert normalised is schema and placeholders == {}
    assert schema == before


def test_the_input_is_not_modified() -> None:
    schema = copy.deepcopy(WRITER)
    normalised, placeholders = java_reading(schema)
    assert schema == WRITER
    assert normalised != WRITER and list(placeholders.values()) == ["Inner"]


def test_a_consumer_reads_a_writer_schema_of_this_shape(registry: SchemaRegistryClient) -> None:
    """The writer's schema comes from the registry by id and differs from the reader's (a field
    added with a default): the codec parses it, and resolves it onto the reader's."""
    subject = f"java-reading-{uuid4().hex[:10]}-value"
    writer_id = registry.register_schema(subject, Schema(json.dumps(WRITER), "AVRO"))
    reader = copy.deepcopy(WRITER)
    reader["fields"].append({"name": "added", "type": "long", "default": 7})
    codec = AvroCodec(SchemaIds(registry), subject, json.dumps(reader))
    message = frame_header(writer_id) + b"\x02ab\x02cd" + struct.pack("<f", 1.5)
    assert codec.decode(message) == (
        writer_id,
        {"d": 1, "x": b"ab", "a": ("a.b.X", {"e": b"cd", "f": 1.5}), "added": 7},
    )
