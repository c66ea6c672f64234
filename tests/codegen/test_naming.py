"""Python names for Avro names, including names a lenient (registry) parse lets through."""

from __future__ import annotations

import importlib

import pytest

from codegen.support import Build
from contractgen.codegen.naming import (
    AttributeName,
    ClassName,
    MemberName,
    ModuleName,
    describe_sources,
    unique,
)
from contractgen.ir.model import ContractSet, Field, Primitive, Record


@pytest.mark.parametrize(
    ("avro", "python"),
    [
        ("orderId", "order_id"),
        ("class", "class_"),
        ("str", "str_"),
        ("id", "id"),
        ("type", "type"),
        ("_private", "private"),
        ("__dunder__", "dunder"),
        ("my-field", "my_field"),
        ("2fast", "f_2fast"),
        ("validate", "validate_"),
        ("HTTPStatus", "http_status"),
    ],
)
def test_attribute_names(avro: str, python: str) -> None:
    assert AttributeName(avro) == python


@pytest.mark.parametrize(
    ("avro", "python"),
    [
        ("Order", "Order"),
        ("order_created", "OrderCreated"),
        ("datetime", "Datetime"),
        ("Decimal", "DecimalType"),
        ("ValueError", "ValueErrorType"),
        ("Bad-Name", "BadName"),
        ("1st", "T1st"),
    ],
)
def test_class_names(avro: str, python: str) -> None:
    assert ClassName(avro) == python


def test_members_modules_and_uniqueness() -> None:
    assert [MemberName(s) for s in ("NEW", "name", "None", "_sunder_", "lowerCase", "a-b")] == [
        "NEW",
        "name_",
        "None_",
        "SUNDER",
        "LOWER_CASE",
        "A_B",
    ]
    assert [ModuleName(s) for s in ("acme", "import", "1y", "Orders")] == [
        "acme",
        "import_",
        "ns_1y",
        "orders",
    ]
    assert unique(["a", "a", "a_"]) == ["a", "a_", "a__"]
    assert unique(["Point", "Point"], numbered=True) == ["Point", "Point2"]


def test_names_outside_the_avro_rules_still_generate(build_package: Build) -> None:
    record = Record(
        "x.1y.Bad-Name",
        (Field("my-field", Primitive("int")), Field("my_field", Primitive("string"))),
    )
    files = {record.fullname: "registry/bad.avsc"}
    contracts = ContractSet(topics=(), types={record.fullname: record}, type_files=files)
    package = build_package(contracts=contracts)
    module = importlib.import_module(f"{package.__name__}.models.x.ns_1y")
    model = module.BadName(my_field=1, my_field_="s")
    assert model.to_avro() == {"my-field": 1, "my_field": "s"}
    assert module.BadName.from_avro(model.to_avro()) == model


def test_a_header_names_the_files_their_directory_or_how_many_there_are() -> None:
    assert describe_sources([]) == "its configuration"
    assert describe_sources(["a.avsc", "a.avsc"]) == "a.avsc"
    long = [f"schemas/orders/event_number_{i}.avsc" for i in range(3)]
    assert describe_sources(long) == "schemas/orders/"
    # roots that share no directory (two schema roots): not "/"
    apart = ["contracts/orders/order_created.avsc", "legacy/payments/payment_made.avsc"]
    assert describe_sources(apart) == "2 schema files"
    assert describe_sources(["/srv/a/one_long_name.avsc", "/opt/b/other_long.avsc"]) == (
        "2 schema files"
    )
