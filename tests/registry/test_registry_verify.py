"""`check --against registry`: the registry's verdict, explained by the engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from contractgen.compat.findings import Report
from contractgen.compat.run import CheckOptions
from contractgen.ir.model import ContractSet
from contractgen.project import load_project
from contractgen.registry.client import RegistryClient
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.app import create_app
from contractgen.registry.embedded.engine import Registry
from contractgen.registry.embedded.server import serve_app_in_thread
from contractgen.registry.plan import apply, plan
from contractgen.registry.targets import inline_targets, reference_targets
from contractgen.registry.verify import REGISTRY_DISAGREES, REGISTRY_LEVEL, check_against_registry

EVENT: dict[str, Any] = {"type": "record", "name": "Happened", "namespace": "acme",
         "fields": [{"name": "id", "type": "string"}]}  # fmt: skip
OPTIONS = CheckOptions(lint={})


def contracts(root: Path, event: dict[str, Any], level: str = "BACKWARD") -> ContractSet:
    (root / "schemas").mkdir(exist_ok=True)
    (root / "schemas" / "Happened.avsc").write_text(json.dumps(event, indent=2))
    (root / "contractgen.toml").write_text(
        'schemas = ["schemas"]\n[[topics]]\nname = "things"\nkey = "string"\n'
        f'events = ["acme.Happened"]\ncompatibility = "{level}"\n'
    )
    return load_project(cwd=root).contracts


@pytest.fixture
def client(tmp_path: Path) -> Iterator[RegistryClient]:
    client = open_client(f"embedded:{tmp_path / 'reg.db'}")
    yield client
    client.close()


def rules(report: Report, subject: str = "things-value") -> list[str]:
    found = next(s for s in report.subjects if s.subject == subject)
    return [f.rule for f in found.findings]


def test_new_subjects_are_reported_as_new(tmp_path: Path, client: RegistryClient) -> None:
    report = check_against_registry(contracts(tmp_path, EVENT), client, OPTIONS)
    assert [s.status for s in report.subjects] == ["new", "new"]
    assert report.is_compatible


def test_registered_schemas_are_checked_and_explained(
    tmp_path: Path, client: RegistryClient
) -> None:
    apply(client, plan(client, inline_targets(contracts(tmp_path, EVENT))))
    same = check_against_registry(contracts(tmp_path, EVENT), client, OPTIONS)
    assert same.is_compatible and rules(same) == []
    broken = {**EVENT, "fields": [*EVENT["fields"], {"name": "n", "type": "int"}]}
    report = check_against_registry(contracts(tmp_path, broken), client, OPTIONS)
    assert not report.is_compatible
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in rules(report)
    assert REGISTRY_DISAGREES not in rules(report)
    located = [f for s in report.subjects for f in s.findings if f.location is not None]
    assert any(str(f.location).startswith("schemas/Happened.avsc:") for f in located)


def test_a_level_that_differs_from_the_config_is_flagged(
    tmp_path: Path, client: RegistryClient
) -> None:
    apply(client, plan(client, inline_targets(contracts(tmp_path, EVENT))))
    report = check_against_registry(contracts(tmp_path, EVENT, "FULL"), client, OPTIONS)
    assert rules(report) == [REGISTRY_LEVEL]
    assert report.is_compatible  # a warning: `register` sets the level first


class Refuses:
    """A registry that rejects every compatibility question (a verdict the engine can't explain)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/compatibility/"):
            body = {"is_compatible": False, "messages": ["policy: frozen subject"]}
            await JSONResponse(body)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def test_disagreement_with_the_registry_is_an_error(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "served.db")
    try:
        with serve_app_in_thread(Refuses(create_app(registry))) as url:
            client = open_client(url, env={})
            apply(client, plan(client, inline_targets(contracts(tmp_path, EVENT))))
            report = check_against_registry(contracts(tmp_path, EVENT), client, OPTIONS)
            client.close()
    finally:
        registry.close()
    assert rules(report) == [REGISTRY_DISAGREES]
    finding = report.subjects[1].findings[0]
    assert "policy: frozen subject" in finding.message
    assert not report.is_compatible


def test_history_registered_with_references_is_resolved(
    tmp_path: Path, client: RegistryClient
) -> None:
    money: dict[str, Any] = {"type": "record", "name": "Money", "namespace": "acme",
             "fields": [{"name": "cents", "type": "long"}]}  # fmt: skip
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "Money.avsc").write_text(json.dumps(money))
    event = {**EVENT, "fields": [*EVENT["fields"], {"name": "total", "type": "acme.Money"}]}
    current = contracts(tmp_path, event)
    apply(client, plan(client, reference_targets(current)))
    assert client.get_version("things-value") is not None
    report = check_against_registry(current, client, OPTIONS)
    assert report.is_compatible
    assert [s.status for s in report.subjects] == ["unchanged", "unchanged"]
