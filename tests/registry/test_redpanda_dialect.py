"""The Redpanda dialect: its rules as Redpanda's source shows them (each test names the rule of
`redpanda_dialect.py` it holds), and contractgen's HTTP client against them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from contractgen.registry.client import Verdict
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.server import serve_app_in_thread
from contractgen.registry.errors import NotARegistry, RegistryError, RouteMissing
from tests.registry.redpanda_dialect import serve_redpanda

V1 = {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]}
V2 = {**V1, "fields": [*V1["fields"], {"name": "qty", "type": "int", "default": 0}]}
QTY_TEXT = {**V1, "fields": [*V1["fields"], {"name": "qty", "type": "string", "default": ""}]}
"""Compatible with V1 (a field with a default), not with V2 (`qty` int read as string)."""
NO_DEFAULT = {**V1, "fields": [*V1["fields"], {"name": "note", "type": "string"}]}
FAST = {"max_retries": 1, "retry_wait_ms": 10}


def body(schema: dict[str, object]) -> dict[str, str]:
    return {"schema": json.dumps(schema)}


@pytest.fixture
def redpanda(tmp_path: Path) -> Iterator[tuple[str, httpx.Client]]:
    with serve_redpanda(tmp_path / "r.db") as url, httpx.Client(base_url=url) as http:
        yield url, http


def test_no_all_versions_route(redpanda: tuple[str, httpx.Client]) -> None:
    """[R], [W]: the HTTP server's own 404, without an error_code."""
    _, http = redpanda
    answer = http.post("/compatibility/subjects/s/versions", json=body(V1))
    assert answer.status_code == 404
    assert answer.json() == {"message": "Not found", "code": 404}
    assert answer.headers["content-type"] == "application/json"


def test_latest_without_versions_is_subject_not_found(redpanda: tuple[str, httpx.Client]) -> None:
    """[H], [E]: Confluent answers compatible; Redpanda reads the live versions first."""
    _, http = redpanda
    answer = http.post("/compatibility/subjects/s/versions/latest", json=body(V1))
    assert answer.status_code == 404
    assert answer.json() == {"error_code": 40401, "message": "Subject 's' not found."}


def test_a_version_and_every_newer_one(redpanda: tuple[str, httpx.Client]) -> None:
    """[S] `do_is_compatible`: against version 1 under BACKWARD, version 2 is checked too (first,
    newest first); the messages end in Redpanda's trailer."""
    _, http = redpanda
    for schema in (V1, V2):
        assert http.post("/subjects/s/versions", json=body(schema)).status_code == 200
    against_1 = http.post(
        "/compatibility/subjects/s/versions/1", params={"verbose": "true"}, json=body(QTY_TEXT)
    ).json()
    assert against_1["is_compatible"] is False
    assert "{oldSchemaVersion: 2}" in against_1["messages"]
    assert against_1["messages"][-1] == "{compatibility: 'BACKWARD'}"
    assert not any("validateFields" in m for m in against_1["messages"])
    quiet = http.post("/compatibility/subjects/s/versions/1", json=body(QTY_TEXT)).json()
    assert quiet == {"is_compatible": False}  # requests/compatibility.h: messages only verbose


def test_transitive_ignores_the_version_asked_for(redpanda: tuple[str, httpx.Client]) -> None:
    """[S], [T] transitive_order: under BACKWARD_TRANSITIVE, asked about version 2 only, Redpanda
    checks version 1 too (Confluent would answer compatible: `qty` is gone in version 2)."""
    _, http = redpanda
    with_qty = {**V1, "fields": [{"name": "qty", "type": "int"}]}
    for schema in (with_qty, {**V1, "fields": []}):
        assert http.post("/subjects/s/versions", json=body(schema)).status_code == 200
    http.put("/config/s", json={"compatibility": "BACKWARD_TRANSITIVE"})
    qty_text = {**V1, "fields": [{"name": "qty", "type": "string", "default": ""}]}
    verdict = http.post(
        "/compatibility/subjects/s/versions/2", params={"verbose": "true"}, json=body(qty_text)
    ).json()
    assert verdict["is_compatible"] is False and "{oldSchemaVersion: 1}" in verdict["messages"]
    assert verdict["messages"][-1] == "{compatibility: 'BACKWARD_TRANSITIVE'}"


def test_rejected_registration(redpanda: tuple[str, httpx.Client]) -> None:
    """[E], [T]: 409 with error_code 409; [S] `has_schema`: Redpanda's sentence."""
    _, http = redpanda
    http.post("/subjects/s/versions", json=body(V1))
    answer = http.post("/subjects/s/versions", json=body(NO_DEFAULT))
    assert answer.status_code == 409 and answer.json()["error_code"] == 409
    message = answer.json()["message"]
    assert message.startswith("Schema being registered is incompatible with an earlier schema for")
    assert "{oldSchemaVersion: 1}" in message and "{compatibility: 'BACKWARD'}" in message


def test_the_client_against_redpanda(redpanda: tuple[str, httpx.Client]) -> None:
    url, _ = redpanda
    client = open_client(url, env={}, **FAST)
    assert client.check("s", json.dumps(V1), version="latest") == Verdict(True)  # 40401
    assert client.check("s", json.dumps(V1)) == Verdict(True)  # nothing registered
    assert client.register("s", json.dumps(V1)).version == 1
    assert client.register("s", json.dumps(V2)).version == 2
    verdict = client.check("s", json.dumps(QTY_TEXT))  # no all-versions route: per version
    assert not verdict.is_compatible and "{oldSchemaVersion: 2}" in verdict.messages
    assert "per-version checks at BACKWARD" in verdict.dialect_note
    with pytest.raises(RegistryError) as caught:
        client.register("s", json.dumps(NO_DEFAULT))
    assert (caught.value.status, caught.value.error_code) == (409, 40901)
    client.close()


def test_a_framework_error_without_an_error_code(redpanda: tuple[str, httpx.Client]) -> None:
    """A 404 JSON object without `error_code` is the web server's own "no such route": a route the
    registry does not serve, never "not a registry"."""
    url, _ = redpanda
    client = open_client(url, env={}, **FAST)
    with pytest.raises(RouteMissing, match="is not served by this registry"):
        client._call("POST", "compatibility/subjects/s/versions", {"schema": '"string"'})
    client.close()


def test_another_status_without_an_error_code_is_not_a_registry() -> None:
    """Only a 404 reads as a missing route: a gateway's `{"message": "Forbidden"}` is still a
    server that does not answer as a registry does."""

    async def gateway(scope: Scope, receive: Receive, send: Send) -> None:
        await JSONResponse({"message": "Forbidden"}, status_code=403)(scope, receive, send)

    with serve_app_in_thread(gateway) as url:
        client = open_client(url, env={}, **FAST)
        with pytest.raises(NotARegistry, match="does not look like a Schema Registry"):
            client.global_level()
        client.close()
