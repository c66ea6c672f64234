"""Locations found lazily (pointer, line and column on first read) equal the eager ones."""

from __future__ import annotations

import copy
import gc
import pickle

from contractgen.avro.gcpause import collector_paused
from contractgen.avro.positions import SourceText, pointer_offsets
from contractgen.ir.model import Location

TEXT = """{
  "type": "record", "name": "R",
  "fields": [
    {"name": "a", "type": ["null", {"type": "map", "values": "int"}], "default": null}
  ]
}"""


def _eager(pointer: str) -> Location:
    offset = pointer_offsets(TEXT)[pointer]
    line = TEXT.count("\n", 0, offset) + 1
    return Location("x.avsc", pointer, line, offset - (TEXT.rfind("\n", 0, offset) + 1) + 1)


def test_a_child_location_is_the_location_of_its_pointer() -> None:
    source = SourceText.parse("x.avsc", TEXT)
    field = source.location("").child("fields").child(0)
    values = field.child("type").child(1).child("values")
    assert values.pointer == "/fields/0/type/1/values"
    assert TEXT.splitlines()[values.line - 1][values.column - 1 :].startswith('"values": "int"')
    assert values == _eager("/fields/0/type/1/values") and _eager(values.pointer) == values
    assert hash(field.child("default")) == hash(_eager("/fields/0/default"))
    assert str(field) == "x.avsc:4:5" and repr(field) == repr(_eager("/fields/0"))
    assert source.location("/nowhere").line == 0


def test_it_pickles_and_copies_as_a_plain_location() -> None:
    where = SourceText.parse("x.avsc", TEXT).location("").child("name")
    for copied in (pickle.loads(pickle.dumps(where)), copy.deepcopy(where)):
        assert type(copied) is Location
        assert copied == _eager("/name")


def test_dropped_json_is_read_again() -> None:
    source = SourceText.parse("x.avsc", TEXT)
    value = source.value
    source.drop_value()
    assert source.value == value and source.value is not value


def test_the_collector_runs_again_after_a_pause() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
