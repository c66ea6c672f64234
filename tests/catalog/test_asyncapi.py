"""`contractgen asyncapi`: the AsyncAPI project's parser accepts the document of this repository's
contracts and of the `init` scaffold without errors or warnings, and the document says what the
contracts say (topics, partitions, levels, subjects, the Avro envelope, the DLQ, the clients)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from contractgen.cli.main import main
from tests.catalog.asyncapi_parser import parse, parser_directory

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # node starts, and installs the parser once


@pytest.fixture(scope="module")
def parser() -> Path:
    return parser_directory()


def asyncapi(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, ["asyncapi", *args])
    assert result.exit_code == 0, result.output
    return result.output


def problems(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in diagnostics if d["severity"] in ("error", "warning")]


def test_the_repository_document_parses_without_errors_or_warnings(
    parser: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "asyncapi.yaml"
    asyncapi(REPO, "--output", str(document), monkeypatch=monkeypatch)
    status, diagnostics = parse(parser, document)
    assert status == 0 and problems(diagnostics) == [], diagnostics
    data = yaml.safe_load(document.read_text())
    orders = data["channels"]["orders"]
    assert orders["bindings"]["kafka"]["partitions"] == 4
    assert orders["x-contractgen-compatibility"] == "FULL_TRANSITIVE"
    assert orders["x-contractgen-subjects"] == {"key": "orders-key", "value": "orders-value"}
    assert data["channels"]["orders-dlq"]["address"] == "orders-dlq"
    envelope = data["components"]["schemas"]["orders-value"]
    assert envelope["schemaFormat"] == "application/vnd.apache.avro;version=1.9.0"
    assert [f["name"] for f in envelope["schema"]["fields"]][-1] == "payload"
    created = data["components"]["messages"]["orders.com_acme_orders_OrderCreated"]
    assert created["bindings"]["kafka"]["key"]["type"] == "string"
    assert created["examples"][0]["payload"]["event_type"] == "com.acme.orders.OrderCreated"
    assert data["operations"]["send_orders"]["title"] == "generated.OrdersProducer"
    assert data["operations"]["receive_orders"]["action"] == "receive"


def test_the_scaffold_document_parses_without_errors_or_warnings(
    parser: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["init", "scaffold"]).exit_code == 0
    text = asyncapi(tmp_path / "scaffold", "--format", "json", monkeypatch=monkeypatch)
    document = tmp_path / "asyncapi.json"
    document.write_text(text)
    status, diagnostics = parse(parser, document)
    assert status == 0 and problems(diagnostics) == [], diagnostics
    assert json.loads(text)["asyncapi"] == "3.0.0"


def test_the_parser_reports_a_broken_avro_payload(
    parser: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above can fail: the parser does read the Avro schemas."""
    data = yaml.safe_load(asyncapi(REPO, monkeypatch=monkeypatch))
    data["components"]["schemas"]["orders-value"]["schema"]["type"] = "recrd"
    document = tmp_path / "broken.yaml"
    document.write_text(yaml.safe_dump(data))
    _, diagnostics = parse(parser, document)
    assert any(d["severity"] == "error" for d in diagnostics)


def test_output_is_deterministic_and_both_formats_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    first = asyncapi(REPO, monkeypatch=monkeypatch)
    assert asyncapi(REPO, monkeypatch=monkeypatch) == first
    assert yaml.safe_load(first) == json.loads(asyncapi(REPO, "--format", "json",
                                                        monkeypatch=monkeypatch))  # fmt: skip


def test_record_keys_record_subjects_dotted_topics_and_recursive_events(
    parser: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemas" / "a").mkdir(parents=True)
    (tmp_path / "contractgen.toml").write_text(
        'subject_strategy = "record"\n'
        '[[topics]]\nname = "shop.orders.v1"\nkey = "a.Key"\nevents = ["a.Ev"]\n'
    )
    key = {"type": "record", "name": "Key", "namespace": "a", "fields": [
        {"name": "id", "type": "string"}]}  # fmt: skip
    event = {"type": "record", "name": "Ev", "namespace": "a", "doc": 'An <event> & "quotes"',
             "fields": [{"name": "id", "type": "string"},
                        {"name": "next", "type": ["null", "Ev"], "default": None},
                        {"name": "d", "type": {"type": "fixed", "name": "Dur", "size": 12,
                                               "logicalType": "duration"}}]}  # fmt: skip
    (tmp_path / "schemas" / "a" / "Key.avsc").write_text(json.dumps(key))
    (tmp_path / "schemas" / "a" / "Ev.avsc").write_text(json.dumps(event))
    document = tmp_path / "asyncapi.yaml"
    asyncapi(tmp_path, "--output", str(document), monkeypatch=monkeypatch)
    status, diagnostics = parse(parser, document)
    assert status == 0 and problems(diagnostics) == [], diagnostics
    data = yaml.safe_load(document.read_text())
    channel = data["channels"]["shop_orders_v1"]
    assert channel["address"] == "shop.orders.v1"
    assert channel["x-contractgen-subjects"] == {"key": "a.Key", "value": "a.ShopOrdersV1Envelope"}
    strategy = channel["bindings"]["kafka"]["topicConfiguration"]
    assert strategy["confluent.value.subject.name.strategy"].endswith(".RecordNameStrategy")
    message = data["components"]["messages"]["shop_orders_v1.a_Ev"]
    assert message["bindings"]["kafka"]["key"] == {"$ref": "#/components/schemas/a_Key"}
    assert message["summary"] == 'An <event> & "quotes"'
    assert message["examples"][0]["payload"]["payload"]["next"] is None  # recursion ends
