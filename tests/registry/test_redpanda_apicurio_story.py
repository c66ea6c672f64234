"""The README story on this repository's own contracts against the Redpanda and Apicurio dialects
(`redpanda_dialect.py`, `apicurio_dialect.py`: fakes that follow those registries' published
source), as `test_registry_dialects_story.py` runs it against Karapace's: register, a breaking
edit BLOCKED at the subject's transitive level with the registry's own messages, the fix, NOOP,
`--references` twice, and the generated clients' schema look-ups."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from fastavro import parse_schema
from fastavro.schema import to_parsing_canonical_form

from contractgen.runtime.registry import SchemaIds
from tests.registry.apicurio_dialect import serve_apicurio
from tests.registry.redpanda_dialect import serve_redpanda
from tests.registry.test_registry_dialects_story import Repo


@pytest.fixture(params=["redpanda", "apicurio"])
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    serve = serve_redpanda if request.param == "redpanda" else serve_apicurio
    with serve(tmp_path / "registry.db") as url:
        yield request.param, url


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
    # Redpanda has no all-versions route: the output says so; Apicurio's answer needs no note.
    assert ("per-version checks" in orders["registry_note"]) == (kind == "redpanda")
    if kind == "redpanda":
        assert "{oldSchemaVersion: 1}" in orders["registry_messages"]
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
