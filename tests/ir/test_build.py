"""The IR built from config + schemas: subjects, envelopes, and config mistakes located."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from contractgen.avro.loader import load_schema_files
from contractgen.config import load_config
from contractgen.diagnostics import ContractError
from contractgen.ir.build import build, envelope_name
from contractgen.ir.dump import dump
from contractgen.ir.model import Record, Union
from contractgen.project import load_project
from contractgen.sources.worktree import read_schema_files

REPO = Path(__file__).parents[2]
EVENT = {"type": "record", "name": "Happened", "namespace": "acme",
         "fields": [{"name": "id", "type": "string"}]}  # fmt: skip


def make_project(tmp_path: Path, topics: str, strategy: str = "topic") -> Path:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "Happened.avsc").write_text(json.dumps(EVENT))
    (tmp_path / "contractgen.toml").write_text(
        f'schemas = ["schemas"]\nsubject_strategy = "{strategy}"\n{topics}'
    )
    return tmp_path


def test_the_repository_contracts_load() -> None:
    project = load_project(cwd=REPO)
    names = [t.name for t in project.contracts.topics]
    assert names == ["orders", "payments"]
    orders = project.contracts.topics[0]
    assert (orders.key.subject, orders.value.subject) == ("orders-key", "orders-value")
    envelope = orders.value.schema.root
    assert isinstance(envelope, Record)
    assert envelope.fullname == "com.acme.orders.OrdersEnvelope"
    payload = envelope.fields[-1].type
    assert isinstance(payload, Union)
    assert len(payload.branches) == 3


def test_loading_in_any_file_order_gives_the_same_ir_and_fingerprints() -> None:
    config = load_config(cwd=REPO)
    files = list(read_schema_files(config))
    expected = json.dumps(dump(build(config, load_schema_files(files))))
    rng = random.Random(11)
    for _ in range(20):
        rng.shuffle(files)
        assert json.dumps(dump(build(config, load_schema_files(files)))) == expected


def test_the_dump_is_stable_across_runs(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copytree(REPO / "schemas", copy / "schemas")
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    assert dump(load_project(cwd=copy).contracts) == dump(load_project(cwd=REPO).contracts)


@pytest.mark.parametrize(
    ("strategy", "key", "value"),
    [("topic", "t-key", "t-value"), ("record", "string", "acme.TEnvelope"),
     ("topic_record", "t-string", "t-acme.TEnvelope")],
)  # fmt: skip
def test_subjects_follow_the_naming_strategy(
    tmp_path: Path, strategy: str, key: str, value: str
) -> None:
    topics = '[[topics]]\nname = "t"\nkey = "string"\nevents = ["acme.Happened"]\n'
    project = load_project(cwd=make_project(tmp_path, topics, strategy))
    topic = project.contracts.topics[0]
    assert (topic.key.subject, topic.value.subject) == (key, value)


def test_an_unknown_event_is_reported_at_its_config_key(tmp_path: Path) -> None:
    topics = '[[topics]]\nname = "t"\nkey = "string"\nevents = ["acme.Happened", "acme.Nope"]\n'
    with pytest.raises(ContractError) as error:
        load_project(cwd=make_project(tmp_path, topics))
    [problem] = error.value.diagnostics
    assert problem.code == "IR001"
    assert "'acme.Nope' is not defined" in problem.message
    assert problem.location is not None
    assert problem.location.file.endswith("contractgen.toml")
    assert problem.location.line == 6


def test_a_key_field_missing_from_an_event_is_reported(tmp_path: Path) -> None:
    topics = (
        '[[topics]]\nname = "t"\nkey = "string"\nkey_field = "nope"\nevents = ["acme.Happened"]\n'
    )
    with pytest.raises(ContractError) as error:
        load_project(cwd=make_project(tmp_path, topics))
    assert [d.code for d in error.value.diagnostics] == ["IR002"]


def test_envelope_names_are_valid_avro_names() -> None:
    assert envelope_name("orders") == "OrdersEnvelope"
    assert envelope_name("order-events.v1") == "OrderEventsV1Envelope"
    assert envelope_name("42-things") == "T42ThingsEnvelope"


def test_the_dead_letter_topic_is_configured_or_derived(tmp_path: Path) -> None:
    topics = (
        '[[topics]]\nname = "a"\nkey = "string"\nevents = ["acme.Happened"]\n'
        '[[topics]]\nname = "b"\nkey = "string"\nevents = ["acme.Happened"]\ndlq = "b.failed"\n'
    )
    project = load_project(cwd=make_project(tmp_path, topics))
    assert [t.dead_letter_topic for t in project.contracts.topics] == ["a-dlq", "b.failed"]


KEY = {"type": "record", "name": "WidgetKey", "namespace": "acme",
       "fields": [{"name": "id", "type": "long"}]}  # fmt: skip


def typed_project(tmp_path: Path, field_type: object, key: str, strategy: str = "topic") -> Path:
    """A topic keyed by `key` whose one event carries `widget_id` of `field_type`."""
    make_project(tmp_path, "", strategy)
    event = {"type": "record", "name": "Made", "namespace": "acme",
             "fields": [{"name": "widget_id", "type": field_type}]}  # fmt: skip
    (tmp_path / "schemas" / "Made.avsc").write_text(json.dumps(event))
    (tmp_path / "schemas" / "WidgetKey.avsc").write_text(json.dumps(KEY))
    with (tmp_path / "contractgen.toml").open("a") as config:
        config.write(
            f'[[topics]]\nname = "widgets"\nkey = "{key}"\nkey_field = "widget_id"\n'
            'events = ["acme.Made"]\n'
        )
    return tmp_path


@pytest.mark.parametrize(
    ("field_type", "key", "shown", "key_shown"),
    [("long", "acme.WidgetKey", "long", "acme.WidgetKey"),
     ("string", "long", "string", "long"),
     ("int", "long", "int", "long"),
     (["null", "string"], "string", "union [null, string]", "string"),
     ({"type": "int", "logicalType": "date"}, "string", "int (date)", "string")],
)  # fmt: skip
def test_a_key_field_of_another_type_than_the_key_is_reported(
    tmp_path: Path, field_type: object, key: str, shown: str, key_shown: str
) -> None:
    with pytest.raises(ContractError) as error:
        load_project(cwd=typed_project(tmp_path, field_type, key))
    [problem] = error.value.diagnostics
    assert problem.code == "IR002"
    assert problem.message == (
        f"topic 'widgets': key_field 'widget_id' of acme.Made is {shown}, but the key is "
        f"{key_shown}; the field's type must be the key type"
    )
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == ("contractgen.toml", 6)


@pytest.mark.parametrize(
    ("field_type", "key"),
    [("long", "long"), ("string", "string"),
     ({"type": "string", "logicalType": "uuid"}, "string"),
     ("acme.WidgetKey", "acme.WidgetKey"),
     ({"type": "record", "name": "Inline", "fields": []}, "acme.Inline")],
)  # fmt: skip
def test_a_key_field_of_the_key_type_is_accepted(
    tmp_path: Path, field_type: object, key: str
) -> None:
    project = load_project(cwd=typed_project(tmp_path, field_type, key))
    assert project.contracts.topics[0].key_field == "widget_id"


SHARED_KEY = (
    '[[topics]]\nname = "a"\nkey = "string"\nevents = ["acme.Happened"]\n{a}'
    '[[topics]]\nname = "b"\nkey = "string"\nevents = ["acme.Happened"]\n{b}'
)


def test_topics_may_share_an_identical_subject_which_is_listed_once(tmp_path: Path) -> None:
    topics = SHARED_KEY.format(a="", b="")
    contracts = load_project(cwd=make_project(tmp_path, topics, "record")).contracts
    assert [t.key.subject for t in contracts.topics] == ["string", "string"]
    assert [c.subject for c in contracts.contracts()] == [
        "string",
        "acme.AEnvelope",
        "acme.BEnvelope",
    ]


def test_topics_sharing_a_subject_at_different_levels_is_an_error(tmp_path: Path) -> None:
    topics = SHARED_KEY.format(a='compatibility = "FULL"\n', b="")
    with pytest.raises(ContractError) as error:
        load_project(cwd=make_project(tmp_path, topics, "record"))
    [problem] = error.value.diagnostics
    assert problem.code == "IR003"
    assert problem.message == (
        "topics 'a' (key) and 'b' (key) both map to subject 'string' with different levels "
        '(FULL and BACKWARD); set subject_strategy = "topic" (or "topic_record") to give each '
        "topic its own subjects, or make them agree"
    )
    assert problem.location is not None
    assert problem.location.line == 10  # topic b's key


def test_topics_sharing_a_subject_with_different_schemas_is_an_error(tmp_path: Path) -> None:
    other = {**EVENT, "name": "Other"}
    topics = (
        '[[topics]]\nname = "a-b"\nkey = "string"\nevents = ["acme.Happened"]\n'
        '[[topics]]\nname = "a_b"\nkey = "long"\nevents = ["acme.Other"]\n'
    )
    make_project(tmp_path, topics, "record")
    (tmp_path / "schemas" / "Other.avsc").write_text(json.dumps(other))
    with pytest.raises(ContractError) as error:
        load_project(cwd=tmp_path)
    [problem] = error.value.diagnostics
    assert problem.code == "IR003"
    assert "'a-b' (value) and 'a_b' (value)" in problem.message
    assert "subject 'acme.ABEnvelope' with different schemas;" in problem.message


def test_a_topic_schema_a_registry_would_read_back_as_another_is_reported(
    tmp_path: Path,
) -> None:
    # Java writes the use of a.b.X in `up` as "X"; a registry stores that text and reads it back
    # as the enum X of the null namespace (a.b.X is not complete there)
    shadowed = {
        "type": "record", "name": "a.b.X",
        "fields": [
            {"name": "e", "type": {"type": "enum", "name": "X", "namespace": "",
                                   "symbols": ["A"]}},
            {"name": "inner", "type": {"type": "record", "name": "In", "fields": [
                {"name": "up", "type": ["null", "a.b.X"]},
            ]}},
        ],
    }  # fmt: skip
    project = make_project(tmp_path, '[[topics]]\nname = "t"\nkey = "string"\nevents = ["a.b.X"]\n')
    (project / "schemas" / "X.avsc").write_text(json.dumps(shadowed))
    with pytest.raises(ContractError) as error:
        load_project(cwd=project)
    [problem] = error.value.diagnostics
    assert problem.code == "IR004"
    assert "writes the type 'a.b.X' (at schemas/X.avsc:1:" in problem.message
    assert "reads back as 'X'" in problem.message
    assert problem.location is not None
    assert problem.location.file.endswith("contractgen.toml")
