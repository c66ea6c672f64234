"""A plain primitive where a type is used has no location of its own (one shared object per
name, to keep big schemas small): a finding about one is still located where it is written,
found from its parent (`<field>/type`, `<union>/<index>`, `<array>/items`, `<map>/values`)."""

from __future__ import annotations

from contractgen.compat import check

# each type on a line of its own, apart from its field, so a position falling back to the
# field (or the union, the array, the map) would show
NEW = """{"type": "record", "name": "R", "fields": [
 {"name": "u",
  "type": ["null",
           "int"]},
 {"name": "a", "type": {"type": "array",
   "items": "int"}},
 {"name": "m", "type": {"type": "map",
   "values": "int"}},
 {"name": "p",
  "type": "int"}
]}"""


def test_findings_about_plain_primitives_point_at_the_types_themselves() -> None:
    result = check(NEW, [NEW.replace('"int"', '"string"')], "BACKWARD")
    found = [
        (f.type, f.location, f.where and (f.where.line, f.where.column)) for f in result.findings
    ]
    assert found == [
        ("MISSING_UNION_BRANCH", "/fields/0/type/1", (4, 12)),
        ("TYPE_MISMATCH", "/fields/1/type/items", (6, 4)),
        ("TYPE_MISMATCH", "/fields/2/type/values", (8, 4)),
        ("TYPE_MISMATCH", "/fields/3/type", (10, 3)),
    ]


def test_a_union_of_plain_primitives_is_located_where_it_is_written() -> None:
    # such a union is shared too (one object for all its uses in a document)
    unions = """{"type": "record", "name": "R", "fields": [
 {"name": "v",
  "type": ["null",
           "int"]},
 {"name": "w", "type": {"type": "array",
   "items": ["null", "int"]}}
]}"""
    plain = """{"type": "record", "name": "R", "fields": [
 {"name": "v", "type": "string"},
 {"name": "w", "type": {"type": "array", "items": "string"}}
]}"""
    result = check(unions, [plain], "BACKWARD")
    found = [(f.location, f.where and (f.where.line, f.where.column)) for f in result.findings]
    assert found == [("/fields/0/type", (3, 3)), ("/fields/1/type/items", (6, 4))]
