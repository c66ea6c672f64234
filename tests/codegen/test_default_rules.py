"""Defaults as Avro reads them: a union's default belongs to the first branch it is valid for,
bytes are ISO-8859-1 as in Java, and a default no Python value can hold is a located error."""

from __future__ import annotations

import importlib
import io
from types import ModuleType
from typing import Any

import fastavro
import pytest

from codegen.support import Build, contracts_of
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.diagnostics import ContractError


def record(*fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "record", "name": "R", "namespace": "t", "fields": list(fields)}


def models(package: ModuleType) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.models.t")


def fastavro_default(schema: dict[str, Any]) -> dict[str, Any]:
    """What fastavro fills in for every field when the writer had none of them."""
    parsed = fastavro.parse_schema(schema)
    empty = fastavro.parse_schema({**schema, "fields": []})
    out = io.BytesIO()
    fastavro.schemaless_writer(out, empty, {})
    out.seek(0)
    result: dict[str, Any] = fastavro.schemaless_reader(out, empty, parsed)
    return result


def test_a_union_default_belongs_to_the_first_branch_it_matches(build_package: Build) -> None:
    shape = {"type": "record", "name": "Shape", "fields": [{"name": "n", "type": "int"}]}
    schema = record(
        {"name": "a", "type": ["string", "null"], "default": None},
        {"name": "b", "type": ["null", "string"], "default": "web"},
        {"name": "c", "type": ["null", "int", shape], "default": {"n": 3}},
        {"name": "d", "type": ["null", "long", "double"], "default": 7},
        {"name": "e", "type": ["null", "double"], "default": 1},
    )
    ns = models(build_package(schema))
    made = ns.R()
    assert (made.a, made.b, made.c, made.d, made.e) == (None, "web", ns.Shape(n=3), 7, 1.0)
    assert type(made.e) is float
    read = ns.R.from_avro(fastavro_default(schema) | {"c": ("t.Shape", {"n": 3})})
    assert (read.a, read.b, read.c, read.d, read.e) == (None, "web", ns.Shape(n=3), 7, 1.0)


@pytest.mark.parametrize("flavour", ["dataclasses", "pydantic"])
def test_bytes_defaults_read_as_java_reads_them(build_package: Build, flavour: str) -> None:
    # Java: String.getBytes(ISO_8859_1); a code point above U+00FF becomes "?"
    schema = record({"name": "b", "type": "bytes", "default": "a\u00ff\u0100\U0001f600"})
    assert models(build_package(schema, flavour=flavour)).R().b == b"a\xff??"


def test_numeric_defaults_beyond_the_type_become_what_java_makes_of_them(
    build_package: Build,
) -> None:
    schema = record(
        {"name": "f", "type": "float", "default": 1e300},
        {"name": "d", "type": "double", "default": -(10**400)},
    )
    made = models(build_package(schema)).R()
    assert (made.f, made.d) == (float("inf"), float("-inf"))


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (
            {"name": "x", "type": {"type": "array", "items": []}},
            r"s0\.avsc:\d+:\d+: GEN004 field `x` of t\.R has an empty union",
        ),
        (
            {"name": "x", "type": []},
            r"s0\.avsc:\d+:\d+: GEN004 field `x` of t\.R has an empty union",
        ),
    ],
)
def test_what_no_value_can_have_is_a_located_error(field: dict[str, Any], message: str) -> None:
    with pytest.raises(ContractError, match=message):
        generate(contracts_of(record(field)), Options())


def test_fixed_defaults_of_another_size_are_cut_or_padded_as_java_does(
    build_package: Build,
) -> None:
    short = {"type": "fixed", "name": "Short", "size": 4}
    long = {"type": "fixed", "name": "Long", "size": 2}
    schema = record(
        {"name": "s", "type": short, "default": "abc"},
        {"name": "l", "type": long, "default": "abc"},
    )
    made = models(build_package(schema)).R()
    assert (made.s, made.l) == (b"abc\x00", b"ab")


def test_a_default_that_never_ends_is_a_located_error() -> None:
    # Java's strict parse: "Schema fields not set yet"
    looping = {
        "type": "record",
        "name": "E",
        "namespace": "t",
        "fields": [
            {"name": "b", "type": "E", "default": {"e": 1}},
            {"name": "e", "type": "int", "default": 1},
        ],
    }
    try:
        contracts = contracts_of(looping)
    except ContractError:
        return  # refused by the parser first: also located, also exit 2
    with pytest.raises(ContractError, match=r"GEN003 field `b` of t\.E: the default never ends"):
        generate(contracts, Options())


@pytest.mark.parametrize("flavour", ["dataclasses", "pydantic"])
def test_an_empty_record_of_another_module_as_a_default(build_package: Build, flavour: str) -> None:
    empty = {"type": "record", "name": "Empty", "namespace": "other", "fields": []}
    schema = record({"name": "e", "type": empty, "default": {}})
    package = build_package(schema, flavour=flavour)
    other = importlib.import_module(f"{package.__name__}.models.other")
    assert models(package).R().e == other.Empty()


@pytest.mark.parametrize(
    ("flavour", "frozen"), [("dataclasses", False), ("dataclasses", True), ("pydantic", False)]
)
def test_a_record_default_may_name_a_record_written_later_in_its_module(
    build_package: Build, flavour: str, frozen: bool
) -> None:
    # Classes are written in full-name order: `t.A`'s class body comes before `t.Z`'s, so the
    # default must not name `Z` until an instance is made (an oracle vector found this).
    later = {"type": "record", "name": "Z", "fields": []}
    schema = {
        "type": "record",
        "name": "A",
        "namespace": "t",
        "fields": [
            {"name": "empty", "type": later, "default": {}},
            {"name": "other", "type": "Z", "default": {}},
        ],
    }
    ns = models(build_package(schema, flavour=flavour, frozen=frozen))
    made = ns.A()
    assert (made.empty, made.other) == (ns.Z(), ns.Z())
    assert made.empty is not made.other


def test_a_string_default_beyond_the_basic_plane_is_that_character(build_package: Build) -> None:
    # a JSON escape would write it as a surrogate pair, which Python reads as two code points
    # that no UTF-8 encoder (so no Avro writer) accepts
    schema = record(
        {"name": "mood", "type": "string", "default": "ok \U0001f600", "doc": "\U0001f600"}
    )
    made = models(build_package(schema)).R()
    assert made.mood == "ok \U0001f600"
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), made.to_avro())
    assert out.getvalue() == b"\x0eok \xf0\x9f\x98\x80"
