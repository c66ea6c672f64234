"""The Apicurio dialect: its rules as Apicurio's source and ccompat tests show them (each test
names the rule of `apicurio_dialect.py` it holds), and contractgen's HTTP client against them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from contractgen.ir.model import Level
from contractgen.registry.connect import open_client
from contractgen.registry.errors import RegistryError
from tests.registry.apicurio_dialect import serve_apicurio

V1 = json.dumps({"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}]})
B = {"name": "b", "type": "int"}
V2_BAD = json.dumps({"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}, B]})


@pytest.fixture
def apicurio(tmp_path: Path) -> Iterator[tuple[str, httpx.Client]]:
    with serve_apicurio(tmp_path / "a.db") as url, httpx.Client(base_url=url) as http:
        yield url, http


def test_served_under_its_base_path(apicurio: tuple[str, httpx.Client]) -> None:
    """[P]: the URL a user configures ends in /apis/ccompat/v7."""
    url, http = apicurio
    assert url.endswith("/apis/ccompat/v7")
    assert http.get(f"{url}/subjects").json() == []
    assert http.get(url.removesuffix("/apis/ccompat/v7") + "/subjects").status_code == 404


def test_levels(apicurio: tuple[str, httpx.Client]) -> None:
    """[C], [T]: the global level is NONE by default; a subject Apicurio does not know is 40401;
    a level can be set before the first version; NONE deletes the subject's rule."""
    url, http = apicurio
    assert http.get(f"{url}/config").json() == {"compatibilityLevel": "NONE"}
    unknown = http.get(f"{url}/config/s")
    assert unknown.status_code == 404 and unknown.json()["error_code"] == 40401
    http.put(f"{url}/config/s", json={"compatibility": "FULL"})
    assert http.get(f"{url}/config/s").json() == {"compatibilityLevel": "FULL"}
    http.put(f"{url}/config", json={"compatibility": "BACKWARD"})
    assert http.post(f"{url}/subjects/s/versions", json={"schema": V1}).status_code == 200
    http.put(f"{url}/config/s", json={"compatibility": "NONE"})
    assert http.get(f"{url}/config/s").json() == {"compatibilityLevel": "NONE"}
    applied = http.get(f"{url}/config/s", params={"defaultToGlobal": "true"}).json()
    assert applied == {"compatibilityLevel": "BACKWARD"}
    # [R]: the global rule is the one that checks it
    verdict = http.post(f"{url}/compatibility/subjects/s/versions", json={"schema": V2_BAD})
    assert verdict.json() == {"is_compatible": False}


def test_modes_are_not_served(apicurio: tuple[str, httpx.Client]) -> None:
    """[M], [X]: 404, error_code 0, "Operation not supported."."""
    url, http = apicurio
    for path in ("mode", "mode/s"):
        answer = http.get(f"{url}/{path}")
        assert answer.status_code == 404
        assert answer.json() == {"error_code": 0, "message": "Operation not supported."}


def test_rejected_registration(apicurio: tuple[str, httpx.Client]) -> None:
    """[T] testIncompatibleSchemaBySubject: error_code 409."""
    url, http = apicurio
    http.put(f"{url}/config/s", json={"compatibility": "BACKWARD"})
    http.post(f"{url}/subjects/s/versions", json={"schema": V1})
    answer = http.post(f"{url}/subjects/s/versions", json={"schema": V2_BAD})
    assert answer.status_code == 409 and answer.json()["error_code"] == 409


def test_the_client_against_apicurio(apicurio: tuple[str, httpx.Client]) -> None:
    url, _ = apicurio
    client = open_client(url, env={}, max_retries=1, retry_wait_ms=10)
    assert client.global_level() is Level.NONE and client.subject_level("s") is None
    assert client.mode() is None and client.mode("s") is None  # modes are not served
    client.set_subject_level("s", Level.BACKWARD)
    assert client.register("s", V1).version == 1
    with pytest.raises(RegistryError) as caught:
        client.register("s", V2_BAD)
    assert (caught.value.status, caught.value.error_code) == (409, 40901)
    assert not client.check("s", V2_BAD).is_compatible
    client.close()


def test_the_level_of_a_subject_without_its_own(apicurio: tuple[str, httpx.Client]) -> None:
    """Apicurio reads NONE for a subject without a level of its own and checks it at the global
    level ([C], [R] of apicurio_dialect.py): contractgen asks again with `defaultToGlobal`."""
    url, http = apicurio
    assert http.get(f"{url}/config").json() == {"compatibilityLevel": "NONE"}
    http.put(f"{url}/config", json={"compatibility": "BACKWARD"})
    assert http.post(f"{url}/subjects/s/versions", json={"schema": V1}).status_code == 200
    assert http.get(f"{url}/config/s").json() == {"compatibilityLevel": "NONE"}
    client = open_client(url, env={}, max_retries=1, retry_wait_ms=10)
    assert client.subject_level("s") is Level.BACKWARD
    assert client.subject_level("unknown") is None  # 40401
    http.put(f"{url}/config/s", json={"compatibility": "FULL"})
    assert client.subject_level("s") is Level.FULL
    http.put(f"{url}/config/s", json={"compatibility": "NONE"})  # deletes the subject's rule
    assert client.subject_level("s") is Level.BACKWARD  # the level Apicurio applies
    client.close()


def test_all_versions_under_a_level_that_is_not_transitive(
    apicurio: tuple[str, httpx.Client],
) -> None:
    """[A]: under BACKWARD Apicurio's all-versions check fails on version 1, which BACKWARD (and
    Apicurio's own registration) ignores; contractgen asks the latest version, which decides."""
    url, http = apicurio
    with_qty = {"type": "record", "name": "A", "fields": [{"name": "qty", "type": "int"}]}
    qty_text = {**with_qty, "fields": [{"name": "qty", "type": "string", "default": ""}]}
    http.put(f"{url}/config/s", json={"compatibility": "BACKWARD"})
    for schema in (with_qty, {**with_qty, "fields": []}):
        assert http.post(
            f"{url}/subjects/s/versions", json={"schema": json.dumps(schema)}
        ).is_success
    candidate = json.dumps(qty_text)
    every = http.post(f"{url}/compatibility/subjects/s/versions", json={"schema": candidate})
    assert every.json() == {"is_compatible": False}
    latest = http.post(
        f"{url}/compatibility/subjects/s/versions/latest", json={"schema": candidate}
    )
    assert latest.json() == {"is_compatible": True}
    client = open_client(url, env={}, max_retries=1, retry_wait_ms=10)
    verdict = client.check("s", candidate)
    assert verdict.is_compatible and "older than the latest" in verdict.dialect_note
    assert client.register("s", candidate).version == 3  # as Apicurio registers it
    http.put(f"{url}/config/s", json={"compatibility": "BACKWARD_TRANSITIVE"})
    assert not client.check("s", candidate).is_compatible  # transitive: version 1 counts
    client.close()


def test_a_subject_it_does_not_know_is_compatible(apicurio: tuple[str, httpx.Client]) -> None:
    """[T] testCompatibilityNonExistentSubject: against `latest` and against all versions."""
    url, http = apicurio
    for route in ("versions", "versions/latest"):
        answer = http.post(f"{url}/compatibility/subjects/nope/{route}", json={"schema": V1})
        assert answer.json() == {"is_compatible": True}
