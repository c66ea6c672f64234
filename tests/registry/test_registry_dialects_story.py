"""The README story on this repository's own contracts, against four registries over HTTP: the
embedded one (Confluent's documented answers), the Karapace dialect (proven against the
recording by test_karapace_replay.py), and the Redpanda and Apicurio dialects (fakes that follow
those registries' published source). register, a breaking edit BLOCKED at the subject's
transitive level with the registry's own messages, the fix, NOOP, `--references` twice, and the
generated clients' schema look-ups.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from confluent_kafka.schema_registry import SchemaRegistryClient
from fastavro import parse_schema
from fastavro.schema import to_parsing_canonical_form

from contractgen.cli.main import main
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.runtime.registry import SchemaIds
from tests.registry.apicurio_dialect import serve_apicurio
from tests.registry.karapace_dialect import serve_karapace
from tests.registry.redpanda_dialect import serve_redpanda

REPO = Path(__file__).parents[2]
CREATED = Path("schemas/com/acme/orders/OrderCreated.avsc")


SERVERS: dict[str, Callable[[Path], AbstractContextManager[str]]] = {
    "embedded": serve_in_thread,
    "karapace": serve_karapace,
    "redpanda": serve_redpanda,
    "apicurio": serve_apicurio,
}
NO_ALL_VERSIONS_ROUTE = ("karapace", "redpanda")


@pytest.fixture(params=list(SERVERS))
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    with SERVERS[request.param](tmp_path / "registry.db") as url:
        yield request.param, url


class Repo:
    def __init__(self, root: Path, url: str) -> None:
        shutil.copytree(REPO / "schemas", root / "schemas")
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        self.root, self.url = root, url

    def run(self, *args: str) -> Result:
        config = str(self.root / "pyproject.toml")
        env = {"CONTRACTGEN_REGISTRY_URL": self.url, "CONTRACTGEN_REGISTRY_USER": None}
        return CliRunner().invoke(main, ["--config", config, *args], env=env)

    def plan(self, *args: str) -> dict[str, dict[str, Any]]:
        result = self.run("register", "--dry-run", "--format", "json", *args)
        return {s["subject"]: s for s in json.loads(result.stdout)["subjects"]}

    def edit_created(self, field: dict[str, Any]) -> None:
        schema = json.loads((REPO / CREATED).read_text())
        schema["fields"].insert(3, field)
        (self.root / CREATED).write_text(json.dumps(schema, indent=2))


def test_the_story_on_this_repository(tmp_path: Path, registry: tuple[str, str]) -> None:
    kind, registry_url = registry
    repo = Repo(tmp_path / "repo", registry_url)
    first = repo.run("register")
    assert first.exit_code == 0, first.output
    assert "4 to register" in first.stdout
    checked = repo.run("check", "--against", "registry")
    assert checked.exit_code == 0, checked.output

    repo.edit_created({"name": "channel", "type": "string"})  # orders-value is FULL_TRANSITIVE
    blocked = repo.run("check", "--against", "registry", "--format", "json")
    assert blocked.exit_code == 1, blocked.output
    orders = repo.plan()["orders-value"]
    assert orders["actions"] == ["BLOCKED"] and orders["registry_messages"]
    # Karapace and Redpanda have no all-versions route: the output says so; Confluent's and
    # Apicurio's answers need no note.
    assert ("per-version checks" in orders["registry_note"]) == (kind in NO_ALL_VERSIONS_ROUTE)
    if kind == "redpanda":
        assert "{oldSchemaVersion: 1}" in orders["registry_messages"]
    if kind in NO_ALL_VERSIONS_ROUTE:
        findings = json.loads(blocked.stdout)["findings"]
        notes = {f["subject"]: f["message"] for f in findings if f["rule"] == "registry-dialect"}
        assert "the engine finds version 1 failing" in notes["orders-value"]
    refused = repo.run("register")
    assert refused.exit_code == 1 and "nothing was applied" in refused.stderr

    repo.edit_created({"name": "channel", "type": "string", "default": "web"})
    fixed = repo.run("register")
    assert fixed.exit_code == 0, fixed.output
    assert "orders-value" in fixed.stdout and "registered version 2" in fixed.stdout
    again = repo.run("register")
    assert again.exit_code == 0 and "0 to register" in again.stdout, again.output

    by_reference = repo.run("register", "--references")
    assert by_reference.exit_code == 0, by_reference.output
    second = repo.plan("--references")
    assert {tuple(s["actions"]) for s in second.values()} == {("NOOP",)}

    # The generated clients look their (inline) schemas up and read writer schemas by id.
    from generated.orders import TOPIC

    client = SchemaRegistryClient({"url": registry_url})
    ids = SchemaIds(client)
    schema_id = ids.id_for(TOPIC.value_subject, TOPIC.value_schema)
    stored = parse_schema(json.loads(ids.schema_for(schema_id)))
    assert to_parsing_canonical_form(stored) == to_parsing_canonical_form(
        parse_schema(json.loads(TOPIC.value_schema))
    )
    client.close()
