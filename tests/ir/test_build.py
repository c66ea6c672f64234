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
