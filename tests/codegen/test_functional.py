"""Generate from an inline schema, import the package, and check what it does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import io
import json
from decimal import Decimal
from types import ModuleType
from typing import Any
from uuid import UUID

import fastavro
import pytest

from codegen.support import GOLDEN, Build, contracts_of
from contractgen.avro.canonical import canonical_string
from contractgen.avro.resolve import self_contained


def record(name: str, *fields: dict[str, Any], namespace: str = "t.ns") -> dict[str, Any]:
    return {"type": "record", "name": name, "namespace": namespace, "fields": list(fields)}


def models(package: ModuleType, namespace: str = "t.ns") -> ModuleType:
    return importlib.import_module(f"{package.__name__}.models.{namespace}")


def through_fastavro(model: Any) -> Any:
    """model -> to_avro -> bytes -> fastavro (return_record_name) -> from_avro."""
    parsed = fastavro.parse_schema(json.loads(model.AVRO_SCHEMA))
    out = io.BytesIO()
    fastavro.schemaless_writer(out, parsed, model.to_avro())
    out.seek(0)
    datum = fastavro.schemaless_reader(out, parsed, parsed, return_named_type=True)
    return type(model).from_avro(datum)


def test_enum_default_is_honoured_and_unknown_symbols_fail_clearly(build_package: Build) -> None:
    schema = record(
        "R",
        {"name": "a", "type": {"type": "enum", "name": "A", "symbols": ["X", "Y"], "default": "X"}},
        {"name": "b", "type": {"type": "enum", "name": "B", "symbols": ["P", "Q"]}},
    )
    ns = models(build_package(schema))
    assert ns.R.from_avro({"a": "NEW_IN_V2", "b": "Q"}).a is ns.A.X
    with pytest.raises(ValueError, match=r"'Z' is not a symbol of t\.ns\.B \(P, Q\)"):
        ns.R.from_avro({"a": "X", "b": "Z"})


@pytest.mark.parametrize("flavour", ["dataclasses", "pydantic"])
def test_defaults_are_real_values_and_mutable_ones_are_not_shared(
    build_package: Build, flavour: str
) -> None:
    schema = record(
        "R",
        {"name": "items", "type": {"type": "array", "items": "int"}, "default": [1, 2]},
        {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}},
        {
            "name": "scores",  # a literal narrower than the field's type (mypy, pydantic)
            "type": {"type": "map", "values": {"type": "array", "items": ["null", "double"]}},
            "default": {"a": [1.5, None], "b": []},
        },
        {
            "name": "when",
            "type": {"type": "long", "logicalType": "timestamp-millis"},
            "default": 86_400_000,
        },
        {
            "name": "amount",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2},
            "default": "\u0001\u0000",
        },
        {
            "name": "nested",
            "type": record("N", {"name": "x", "type": "int", "default": 3}),
            "default": {},
        },
    )
    ns = models(build_package(schema, flavour=flavour))
    first, second = ns.R(), ns.R()
    first.items.append(3)
    assert second.items == [1, 2]
    first.scores["b"].append(None)
    assert second.scores == {"a": [1.5, None], "b": []}
    assert second.when == dt.datetime(1970, 1, 2, tzinfo=dt.UTC)
    assert second.amount == Decimal("2.56")
    assert second.nested == ns.N(x=3) and first.nested is not second.nested


def test_avro_names_map_to_python_names_and_back(build_package: Build) -> None:
    schema = record(
        "class",
        {"name": "orderId", "type": "string"},
        {"name": "def", "type": "int"},
        {"name": "to_avro", "type": "string"},
        {"name": "str", "type": "string"},
    )
    ns = models(build_package(schema))
    model = ns.Class(order_id="o-1", def_=1, to_avro_="t", str_="s")
    assert model.to_avro() == {"orderId": "o-1", "def": 1, "to_avro": "t", "str": "s"}
    assert through_fastavro(model) == model


def test_every_logical_type_has_its_python_type(build_package: Build) -> None:
    def logical(name: str, base: Any, **extra: Any) -> dict[str, Any]:
        kind = base if isinstance(base, dict) else {"type": base}
        return {"name": name, "type": {**kind, "logicalType": extra.pop("lt"), **extra}}

    schema = record(
        "L",
        logical("d", "bytes", lt="decimal", precision=6, scale=2),
        logical("u", "string", lt="uuid"),
        logical("uf", {"type": "fixed", "name": "U16", "size": 16}, lt="uuid"),
        logical("day", "int", lt="date"),
        logical("tm", "int", lt="time-millis"),
        logical("ts", "long", lt="timestamp-micros"),
        logical("local", "long", lt="local-timestamp-millis"),
        logical("nanos", "long", lt="timestamp-nanos"),
        logical("took", {"type": "fixed", "name": "D12", "size": 12}, lt="duration"),
    )
    package = build_package(schema)
    duration = importlib.import_module(f"{package.__name__}.duration").Duration
    ns = models(package)
    model = ns.L(
        d=Decimal("12.34"),
        u=UUID(int=1),
        uf=UUID(int=2),
        day=dt.date(2024, 2, 29),
        tm=dt.time(1, 2, 3, 4000),
        ts=dt.datetime(2024, 1, 1, 1, 1, 1, 1, tzinfo=dt.UTC),
        local=dt.datetime(2024, 1, 1, 1, 1, 1, 1000),
        nanos=1_700_000_000_000_000_001,
        took=duration(months=1, days=2, millis=3),
    )
    back = through_fastavro(model)
    assert back == model
    assert back.ts.tzinfo is not None and back.local.tzinfo is None
    assert isinstance(back.uf, UUID) and isinstance(back.took, duration)


def test_validate_catches_what_fastavro_would_write_silently(build_package: Build) -> None:
    schema = record(
        "V",
        {"name": "small", "type": "int"},
        {"name": "fixed", "type": {"type": "fixed", "name": "F4", "size": 4}},
        {
            "name": "money",
            "type": {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2},
        },
        {"name": "many", "type": {"type": "array", "items": "int"}, "default": []},
    )
    ns = models(build_package(schema))
    ok: dict[str, Any] = {"small": 1, "fixed": b"1234", "money": Decimal("12.34")}
    ns.V(**ok).validate_avro()
    changes: list[tuple[dict[str, Any], str]] = [
        ({"small": 2**31}, "small: 2147483648 does not fit in an Avro int"),
        ({"fixed": b"12"}, "fixed: 2 bytes given"),
        ({"money": Decimal("123.4")}, "money: 123.4 has more than 4 digits"),
        ({"money": Decimal("1.234")}, "money: 1.234 has more than 2 decimal places"),
        ({"many": [1, -(2**31) - 1]}, "many: -2147483649 does not fit"),
    ]
    for change, message in changes:
        with pytest.raises(ValueError, match=message):
            ns.V(**{**ok, **change}).validate_avro()


def test_same_shapes_in_one_union_stay_distinct(build_package: Build) -> None:
    schema = record(
        "Holder",
        {
            "name": "shape",
            "type": [
                record("Circle", {"name": "size", "type": "double"}),
                record("Square", {"name": "size", "type": "double"}),
                record("Circle", {"name": "size", "type": "double"}, namespace="t.other"),
            ],
        },
    )
    package = build_package(schema)
    ns, other = models(package), models(package, "t.other")
    for shape in (ns.Circle(size=1.0), ns.Square(size=1.0), other.Circle(size=1.0)):
        back = through_fastavro(ns.Holder(shape=shape))
        assert type(back.shape) is type(shape)
    assert ns.Circle is not other.Circle


def test_mutual_recursion_across_namespaces(build_package: Build) -> None:
    person = {
        "type": "record",
        "name": "Person",
        "namespace": "a.people",
        "fields": [
            {
                "name": "employer",
                "type": [
                    "null",
                    {
                        "type": "record",
                        "name": "Company",
                        "namespace": "a.firms",
                        "fields": [
                            {"name": "ceo", "type": ["null", "a.people.Person"], "default": None},
                        ],
                    },
                ],
                "default": None,
            },
        ],
    }
    for flavour in ("dataclasses", "pydantic"):
        package = build_package(person, flavour=flavour)
        people, firms = models(package, "a.people"), models(package, "a.firms")
        model = people.Person(employer=firms.Company(ceo=people.Person()))
        assert through_fastavro(model) == model


def test_docs_become_docstrings_unchanged(build_package: Build) -> None:
    doc = 'Quotes " and """ and \\ and {{ jinja }} and {% tag %}, ending in a quote"'
    schema = {**record("D", {"name": "x", "type": "int"}), "doc": doc}
    assert models(build_package(schema)).D.__doc__ == doc


def test_frozen_models(build_package: Build) -> None:
    ns = models(build_package(record("F", {"name": "x", "type": "int"}), frozen=True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        ns.F(x=1).x = 2


def test_pydantic_flavour_validates_on_construction(build_package: Build) -> None:
    import pydantic

    schema = record(
        "P",
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "items", "type": {"type": "array", "items": "int"}, "default": []},
    )
    ns = models(build_package(schema, flavour="pydantic"))
    model = ns.P(id=UUID(int=5), items=[1])
    assert through_fastavro(model) == model
    with pytest.raises(pydantic.ValidationError):
        ns.P(id="not a uuid")


def test_avro_schema_is_the_registry_canonical_string(build_package: Build) -> None:
    schema = record("S", {"name": "x", "type": ["null", "string"], "default": None})
    contracts = contracts_of(schema)
    expected = canonical_string(self_contained(contracts.types["t.ns.S"], contracts.types))
    assert expected == models(build_package(schema)).S.AVRO_SCHEMA


def test_the_package_checks_the_runtime_api_level(
    build_package: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractgen.runtime import api_level

    monkeypatch.setattr(api_level, "RUNTIME_API_LEVEL", 0)
    with pytest.raises(ImportError, match="needs contractgen runtime API level 1"):
        build_package(record("X", {"name": "x", "type": "int"}))


@pytest.mark.parametrize("flavour", ["dataclasses", "pydantic"])
def test_hostile_names_work_in_both_flavours(build_package: Build, flavour: str) -> None:
    hostile = json.loads((GOLDEN / "hostile/schemas/hostile.avsc").read_text("utf-8"))
    package = build_package(hostile, flavour=flavour)
    cls = package.AVRO_TYPES["hostile.import.str.class"]
    other = package.AVRO_TYPES["hostile.other.Str"]
    datetime_record = package.AVRO_TYPES["hostile.import.str.datetime"]
    model = cls(
        def_=1,
        none="n",
        str_="s",
        int_=2,
        datetime_=3,
        datetime_record=datetime_record(),
        same_name=other(),
        cls_=4,
    )
    assert through_fastavro(model) == model
    assert model.to_avro()["cls"] == 4 and model.to_avro()["__dunder__"] == 6


def test_records_in_unions_are_read_by_name_or_alias(build_package: Build) -> None:
    renamed = {**record("Shipped", {"name": "at", "type": "long"}), "aliases": ["Sent"]}
    schema = record("Log", {"name": "entry", "type": ["null", renamed, record("Lost")]})
    ns = models(build_package(schema))
    assert ns.Shipped.AVRO_ALIASES == ("t.ns.Sent",)
    assert ns.Log.from_avro({"entry": ("t.ns.Sent", {"at": 1})}).entry == ns.Shipped(at=1)
    assert ns.Log.from_avro({"entry": ("t.ns.Lost", {})}).entry == ns.Lost()
    with pytest.raises(ValueError, match=r"unexpected branch 't\.ns\.Gone' in union"):
        ns.Log.from_avro({"entry": ("t.ns.Gone", {})})


def test_unions_differing_only_in_a_logical_type_get_their_own_helpers(
    build_package: Build,
) -> None:
    uuid = {"type": "string", "logicalType": "uuid"}
    local = {"type": "long", "logicalType": "local-timestamp-millis"}
    aware = {"type": "long", "logicalType": "timestamp-millis"}
    schema = record(
        "U",
        {"name": "plain", "type": ["int", "string"]},
        {"name": "ident", "type": ["int", uuid]},
        {"name": "local", "type": ["string", local]},
        {"name": "aware", "type": ["string", aware]},
    )
    ns = models(build_package(schema))
    model = ns.U(
        plain="x",
        ident=UUID(int=7),
        local=dt.datetime(2024, 1, 1, 12),
        aware=dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC),
    )
    assert through_fastavro(model) == model
