"""Every JSON pointer maps to where it is written, so findings can say file:line:col."""

from __future__ import annotations

import pytest

from contractgen.avro.positions import SourceText, pointer_offsets
from contractgen.diagnostics import ContractError

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"type": "record", "name": "Trunc', "1:28: AVRO001 malformed JSON: Unterminated string;"),
        ('{"name": "a\tb"}', "1:12: AVRO001 malformed JSON: Invalid control character;"),
        ('{"name": }', "1:10: AVRO001 malformed JSON: Expecting value;"),
    ],
)
def test_malformed_json_messages_do_not_dangle(text: str, expected: str) -> None:
    # Python's messages end in "at" / "starting at": the position is printed separately.
    with pytest.raises(ContractError) as raised:
        SourceText.parse("x.avsc", text)
    (diagnostic,) = raised.value.diagnostics
    assert str(diagnostic) == f"x.avsc:{expected} fix the JSON syntax at this position"
