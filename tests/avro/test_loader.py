"""Loading many files: names resolve across files in any order, and every mistake is located."""

from __future__ import annotations

import json
import random

import pytest

from contractgen.avro.canonical import canonical_string, identity
from contractgen.avro.loader import ParseMemo, SchemaFile, load_schema_files
from contractgen.avro.parse import parse_schema
from contractgen.codegen.package import generate
from contractgen.codegen.render import Options
from contractgen.diagnostics import ContractError
from contractgen.ir.model import ContractSet

MONEY = {
    "type": "record", "name": "Money", "namespace": "com.acme.common",
    "fields": [{"name": "units", "type": "long"}, {"name": "currency", "type": "string"}],
}  # fmt: skip
LINE = {
    "type": "record", "name": "LineItem", "namespace": "com.acme.orders",
    "fields": [{"name": "sku", "type": "string"},
               {"name": "price", "type": "com.acme.common.Money"}],
}  # fmt: skip
ORDER = {
    "type": "record", "name": "OrderCreated", "namespace": "com.acme.orders",
    "fields": [
        {"name": "items", "type": {"type": "array", "items": "LineItem"}},
        {"name": "total", "type": "com.acme.common.Money"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"],
                                    "default": "NEW"}, "default": "NEW"},
        {"name": "next", "type": ["null", "OrderCreated"], "default": None},
    ],
}  # fmt: skip


def files(**schemas: object) -> list[SchemaFile]:
    return [SchemaFile(f"{name}.avsc", json.dumps(s, indent=2)) for name, s in schemas.items()]


def problems(error: pytest.ExceptionInfo[ContractError]) -> list[str]:
    return [str(d) for d in error.value.diagnostics]


def test_types_resolve_across_files_and_inline_at_first_use() -> None:
    loaded = load_schema_files(files(money=MONEY, line=LINE, order=ORDER))
    schema = loaded.schema_for("com.acme.orders.OrderCreated")
    assert canonical_string(schema) == (
        '{"type":"record","name":"OrderCreated","namespace":"com.acme.orders","fields":['
        '{"name":"items","type":{"type":"array","items":{"type":"record","name":"LineItem",'
        '"fields":[{"name":"sku","type":"string"},{"name":"price","type":{"type":"record",'
        '"name":"Money","namespace":"com.acme.common","fields":[{"name":"units","type":"long"},'
        '{"name":"currency","type":"string"}]}}]}}},'
        '{"name":"total","type":"com.acme.common.Money"},'
        '{"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"],'
        '"default":"NEW"},"default":"NEW"},'
        '{"name":"next","type":["null","OrderCreated"],"default":null}]}'
    )
    assert loaded.type_files["com.acme.common.Money"] == "money.avsc"


def test_the_same_files_in_any_order_give_identical_results() -> None:
    inputs = files(money=MONEY, line=LINE, order=ORDER)
    expected = load_schema_files(inputs)
    rng = random.Random(7)
    for _ in range(30):
        shuffled = inputs[:]
        rng.shuffle(shuffled)
        loaded = load_schema_files(shuffled)
        assert loaded.types == expected.types
        for name in expected.types:
            ours, theirs = loaded.schema_for(name), expected.schema_for(name)
            assert identity(ours) == identity(theirs)


def test_a_self_contained_file_parses_the_same_as_its_parts() -> None:
    loaded = load_schema_files(files(money=MONEY, line=LINE, order=ORDER))
    text = canonical_string(loaded.schema_for("com.acme.orders.OrderCreated"))
    assert canonical_string(parse_schema(text)) == text


def test_malformed_json_is_located() -> None:
    with pytest.raises(ContractError) as error:
        load_schema_files([SchemaFile("bad.avsc", '{\n  "type": "record",\n  "name": }')])
    assert problems(error) == [
        "bad.avsc:3:11: AVRO001 malformed JSON: Expecting value; "
        "fix the JSON syntax at this position"
    ]


@pytest.mark.parametrize("number", ["9" * 5000, "1." + "5" * 1200])
def test_a_number_longer_than_avro_reads_is_located(number: str) -> None:
    # Jackson (inside Avro Java) refuses numbers over 1,000 characters; Python's int() fails at
    # 4,300 digits with a ValueError that was a traceback
    text = '{"type": "record", "name": "R",\n "fields": [{"name": "a", "type": "double", '
    with pytest.raises(ContractError) as error:
        load_schema_files([SchemaFile("big.avsc", f'{text}"default": {number}}}]}}')])
    assert problems(error) == [
        f"big.avsc:2:56: AVRO001 a number of {len(number)} characters, more than the 1000 "
        "Avro's JSON parser (and so a registry) reads; write a shorter number"
    ]


def test_an_unknown_type_name_is_located() -> None:
    broken = {**LINE, "fields": [{"name": "price", "type": "Monee"}]}
    with pytest.raises(ContractError) as error:
        load_schema_files(files(money=MONEY, line=broken))
    [message] = problems(error)
    assert message.startswith("line.avsc:8:7: AVRO002 unknown type 'Monee'")


def test_a_conflicting_duplicate_definition_names_both_files() -> None:
    other = {**MONEY, "fields": [{"name": "cents", "type": "long"}]}
    with pytest.raises(ContractError) as error:
        load_schema_files(files(money=MONEY, money2=other))
    [message] = problems(error)
    assert message.startswith("money2.avsc:1:1: AVRO003 'com.acme.common.Money' is already")
    assert "money.avsc" in message


def test_an_identical_duplicate_definition_is_accepted() -> None:
    loaded = load_schema_files(files(money=MONEY, copy=MONEY))
    assert list(loaded.types) == ["com.acme.common.Money"]


def test_a_default_that_does_not_match_its_type_is_located() -> None:
    broken = {**MONEY, "fields": [{"name": "units", "type": "long", "default": "ten"}]}
    with pytest.raises(ContractError) as error:
        load_schema_files(files(money=broken))
    [message] = problems(error)
    assert message.startswith("money.avsc:9:7: AVRO004 default 'ten' of field 'units'")


def test_a_union_default_may_match_any_branch() -> None:
    schema = {"type": "record", "name": "R", "fields": [
        {"name": "x", "type": ["null", "string"], "default": "a"}]}  # fmt: skip
    assert parse_schema(json.dumps(schema)).root


def test_invalid_names_are_refused_in_strict_mode_only() -> None:
    schema = {"type": "record", "name": "test-schema", "fields": [{"name": "a-b", "type": "int"}]}
    with pytest.raises(ContractError) as error:
        load_schema_files(files(bad=schema))
    assert [m.split(" ", 2)[1] for m in problems(error)] == ["AVRO005", "AVRO005"]
    lenient = load_schema_files(files(bad=schema), strict=False)
    assert list(lenient.types) == ["test-schema"]


def test_every_problem_is_reported_at_once() -> None:
    one = {**MONEY, "fields": [{"name": "units", "type": "Nope"}]}
    two = {**LINE, "name": "Line", "fields": [{"name": "x", "type": "Neither"}]}
    with pytest.raises(ContractError) as error:
        load_schema_files(files(one=one, two=two))
    assert len(error.value.diagnostics) == 2


def test_structural_mistakes_are_reported() -> None:
    cases = [
        {"type": "record", "name": "R"},
        {"type": "enum", "name": "E", "symbols": ["A", "A"]},
        {"type": "enum", "name": "E", "symbols": ["A"], "default": "B"},
        {"type": "fixed", "name": "F"},
        {"type": "record", "name": "R", "fields": [{"name": "u", "type": ["int", "int"]}]},
        {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"},
                                                    {"name": "a", "type": "int"}]},
    ]  # fmt: skip
    for case in cases:
        with pytest.raises(ContractError) as error:
            parse_schema(json.dumps(case))
        assert error.value.diagnostics[0].code == "AVRO006", case


def test_an_enum_default_outside_the_symbols_is_valid_avro_but_generates_no_code() -> None:
    # Java's strict parse takes any string as an enum's default (oracle vectors p-1020-12-old,
    # p-1013-19-old); no value of the enum holds it, so codegen refuses it, located
    status = {"type": "enum", "name": "Status", "namespace": "acme", "symbols": ["A", "B"]}
    user = {"type": "record", "name": "User", "namespace": "acme",
            "fields": [{"name": "s", "type": "Status", "default": "NOPE"}]}  # fmt: skip
    loaded = load_schema_files(files(status=status, user=user))
    contracts = ContractSet(topics=(), types=loaded.types, type_files=loaded.type_files)
    with pytest.raises(ContractError) as error:
        generate(contracts, Options(package="p"))
    [problem] = error.value.diagnostics
    assert problem.code == "GEN003"
    assert "'NOPE' is not a symbol of acme.Status (A, B; Avro accepts" in problem.message
    assert problem.location is not None and problem.location.file.endswith("user.avsc")


def test_a_memo_reuses_unchanged_files_and_gives_the_same_result() -> None:
    memo = ParseMemo()
    first = files(money=MONEY, line=LINE, order=ORDER)
    load_schema_files(first, memo=memo)
    kept = dict(memo.parsed)
    scale = {"name": "scale", "type": "int", "default": 0}
    wider = {**MONEY, "fields": [*MONEY["fields"], scale]}
    second = files(money=wider, line=LINE, order=ORDER)
    loaded = load_schema_files(second, memo=memo)
    fresh = load_schema_files(second)
    # Only the changed file was parsed again; the others are the very parses of the first load.
    assert len(memo.parsed) == len(kept) + 1
    assert all(memo.parsed[key] is parsed for key, parsed in kept.items())
    assert loaded.types == fresh.types
    for name in fresh.types:
        assert identity(loaded.schema_for(name)) == identity(fresh.schema_for(name))
