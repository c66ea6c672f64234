"""A module maps each distinct field type without named types once, and each default of it once
(`view.ModuleScope.field_type` / `field_default`): fields whose types or defaults are equal as
Python values but differ as Avro must still get their own source."""

from __future__ import annotations

from codegen.support import contracts_of
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options

FIELDS: list[tuple[str, object, object, str]] = [
    ("a", "double", 0.0, "a: float = 0.0"),
    ("b", "double", -0.0, "b: float = -0.0"),  # equal to 0.0, and the same hash
    ("c", ["null", "long"], None, "c: int | None = None"),
    ("d", "long", 1, "d: int = 1"),
    ("e", "boolean", True, "e: bool = True"),  # True == 1
    ("g", ["null", "long"], None, "g: int | None = None"),
    ("h", "double", 1, "h: float = 1.0"),  # the int 1 of another type than `d`
    ("i", "long", 1, "i: int = 1"),
]


def _source(fields: list[tuple[str, object, object, str]]) -> str:
    schema = {
        "type": "record",
        "name": "R",
        "namespace": "t",
        "fields": [{"name": n, "type": t, "default": d} for n, t, d, _ in fields],
    }
    (models,) = [
        f for f in generate(contracts_of(schema), Options()) if f.path.endswith("t/__init__.py")
    ]
    return models.text


def test_equal_defaults_of_one_type_keep_their_own_source() -> None:
    text = _source(FIELDS)
    for _, _, _, line in FIELDS:
        assert f"    {line}\n" in text
    # the checks of a shared union are written for each field, with its own name
    assert 'check_long(self.c, "c")' in text
    assert 'check_long(self.g, "g")' in text
