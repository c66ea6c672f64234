"""Every JSON pointer maps to where it is written, so findings can say file:line:col."""

from __future__ import annotations

from contractgen.avro.positions import SourceText, pointer_offsets

TEXT = """{
  "type": "record",
  "fields": [
    {"name": "a", "type": ["null", {"type": "map", "values": "int"}]},
    {"name": "b/c~d", "type": "string", "default": "x\\"y"}
  ]
}"""


def test_members_point_at_their_key_and_items_at_their_value() -> None:
    offsets = pointer_offsets(TEXT)
    assert TEXT[offsets["/type"] :].startswith('"type": "record"')
    assert TEXT[offsets["/fields/0"] :].startswith('{"name": "a"')
    assert TEXT[offsets["/fields/0/type/1"] :].startswith('{"type": "map"')
    assert TEXT[offsets["/fields/0/type/1/values"] :].startswith('"values"')
    assert TEXT[offsets["/fields/1/name"] :].startswith('"name": "b/c~d"')
    assert TEXT[offsets["/fields/1/default"] :].startswith('"default"')
    assert offsets[""] == 0


def test_every_pointer_of_the_document_is_mapped() -> None:
    assert len(pointer_offsets(TEXT)) == 14


def test_locations_are_one_based_lines_and_columns() -> None:
    source = SourceText.parse("x.avsc", TEXT)
    where = source.location("/fields/1/type")
    assert (where.file, where.line, where.column) == ("x.avsc", 5, 23)
    assert str(source.location("/fields/0/type/1")) == "x.avsc:4:36"
    assert source.location("/nowhere").line == 0
