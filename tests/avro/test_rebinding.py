"""Names bind as Avro Java binds them, and every text contractgen writes reads back as meant.

Java's parser looks a short name up in the enclosing namespace first, then as written, among the
types whose definitions are complete (a record only from the end of its fields); Java's
`toString()` writes a null-namespace type by its bare name everywhere. Schemas from the Java
oracle vectors (by id) show where the two meet.
"""

from __future__ import annotations

import json

import fastavro
from codegen.vectors import oracle_schemas

from contractgen.avro.canonical import (
    Rebinding,
    canonical_string,
    checked_identity,
    parsing_canonical_form,
    write_reparsable,
)
from contractgen.avro.loader import SchemaFile, load_schema_files
from contractgen.avro.parse import parse_schema
from contractgen.avro.resolve import self_contained
from contractgen.ir.model import Array, AvroSchema, Enum, NamedRef, Record


def reparsable_string(schema: AvroSchema) -> tuple[str, list[Rebinding]]:
    """What `write_reparsable` writes, whole."""
    pieces: list[str] = []
    unwritable = write_reparsable(schema, pieces.extend)
    return "".join(pieces), unwritable


# Loaded as project files, these bound some short names differently from Java (a name the file
# itself defines was taken as known from the start): other types, other canonical strings.
DIFFERED = [
    "p-1010-5-new", "p-1013-0-old", "p-1013-9-old", "p-1014-7-old", "p-1018-12-old",
    "p-1033-11-old", "p-1072-7-old", "p-1100-17-new", "p-1289-4-old", "p-1918-1-old",
]  # fmt: skip


def test_a_project_file_binds_names_as_java_parses_the_same_text() -> None:
    for ident, (text, java) in oracle_schemas(DIFFERED).items():
        loaded = load_schema_files([SchemaFile("s.avsc", text)], strict=False)
        single = parse_schema(text, strict=False)
        root = single.root
        assert isinstance(root, Record), ident
        schema = self_contained(loaded.types[root.fullname], loaded.types)
        assert canonical_string(schema) == java["canonical"], ident
        assert parsing_canonical_form(schema) == parsing_canonical_form(single), ident


def test_a_default_java_accepts_through_that_binding_is_accepted() -> None:
    # f29 is `{"type": "array", "items": "X"}` inside record a.b.X, after an enum X of the null
    # namespace: a.b.X is not complete yet, so "X" is the enum and ["UNKNOWN"] a valid default
    [(text, java)] = oracle_schemas(["p-1918-1-old"]).values()
    assert java["strict_parse"] == "ok"
    loaded = load_schema_files([SchemaFile("s.avsc", text)])
    record = loaded.types["a.b.X"]
    assert isinstance(record, Record)
    f29 = next(f for f in record.fields if f.name == "f29")
    assert f29.type == Array(NamedRef("X"))
    assert isinstance(loaded.types["X"], Enum)


SHADOWED = {
    "type": "record", "name": "a.b.X",
    "fields": [
        {"name": "e", "type": {"type": "enum", "name": "X", "namespace": "", "symbols": ["A"]}},
        {"name": "again", "type": "X"},  # the enum: a.b.X is not complete yet
        {"name": "inner", "type": {"type": "record", "name": "In", "fields": [
            {"name": "up", "type": ["null", "a.b.X"]},  # the record, written in full
        ]}},
    ],
}  # fmt: skip


def test_java_s_own_text_can_rebind_and_the_reparsable_one_does_not() -> None:
    schema = parse_schema(json.dumps(SHADOWED))
    inner = schema.named["a.b.In"]
    assert isinstance(inner, Record)
    assert inner.fields[0].type.branches[1] == NamedRef("a.b.X")  # type: ignore[union-attr]
    java = canonical_string(schema)
    assert '"type":["null","X"]' in java  # Java writes it short: read back, it is the enum
    [rebinding] = checked_identity(schema)[1]
    assert (rebinding.meant, rebinding.written, rebinding.read_as) == ("a.b.X", "X", "X")
    assert rebinding.location is not None
    assert rebinding.location.pointer == "/fields/2/type/fields/0/type/1"
    text, unwritable = reparsable_string(schema)
    assert unwritable == []
    assert text == java.replace('["null","X"]', '["null","a.b.X"]')
    assert parsing_canonical_form(parse_schema(text)) == parsing_canonical_form(schema)
    # fastavro reads it as meant too
    parsed = fastavro.parse_schema(json.loads(text))
    up = parsed["fields"][2]["type"]["fields"][0]["type"]
    assert up == ["null", "a.b.X"]


def test_a_null_namespace_type_re_rooted_inside_its_namesake_cannot_be_written() -> None:
    # T (null namespace) holds, through ns1.Y, the record ns1.T, whose field `id` is T: from T
    # on, that use comes inside namespace ns1, where "T" means ns1.T to Java and fastavro alike
    [(text, _)] = oracle_schemas(["p-1697-3-old"]).values()
    loaded = load_schema_files([SchemaFile("s.avsc", text)])
    text, [unwritable] = reparsable_string(self_contained(loaded.types["T"], loaded.types))
    assert (unwritable.meant, unwritable.written, unwritable.read_as) == ("T", "T", "ns1.T")
    assert unwritable.location is not None
    assert unwritable.location.file == "s.avsc"
    back = parse_schema(text, strict=False)
    ns1_t = back.named["ns1.T"]
    assert isinstance(ns1_t, Record)
    assert ns1_t.fields[1].type == NamedRef("ns1.T")  # what Avro would make of the text
