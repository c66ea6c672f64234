"""Where the embedded registry was checked against Confluent's sources (ConfigResource,
ModeResource, SubjectVersionsResource, KafkaSchemaRegistry.register), one test per behaviour."""

from __future__ import annotations

import httpx
import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

V1 = '{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}'
V2 = '{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}'
V2_DEFAULT = V2.replace('"type":"int"}]', '"type":"int","default":0}]')


def error_of(response: httpx.Response) -> tuple[int, int, str]:
    body = response.json()
    return response.status_code, body["error_code"], body["message"]


def test_register_answers_the_id_only(http: httpx.Client, sr: SchemaRegistryClient) -> None:
    assert http.post("/subjects/s/versions", json={"schema": V1}).json() == {"id": 1}
    assert http.post("/subjects/s/versions", json={"schema": V1}).json() == {"id": 1}
    registered = sr.register_schema_full_response("t", Schema(V1, "AVRO"))
    assert (registered.schema_id, registered.version) == (1, None)


def test_deleting_a_level_the_subject_does_not_have_is_40401(http: httpx.Client) -> None:
    assert error_of(http.delete("/config/s")) == (404, 40401, "Subject 's' not found.")
    http.put("/config", json={"compatibility": "FULL"})
    http.put("/config/s", json={"compatibility": "NONE"})
    # The removed level is answered (the subject's own, not the one in force after).
    assert http.delete("/config/s").json() == {"compatibilityLevel": "NONE"}
    assert error_of(http.delete("/config/s"))[:2] == (404, 40401)
    assert http.delete("/config").json() == {"compatibilityLevel": "FULL"}
    assert http.get("/config").json() == {"compatibilityLevel": "BACKWARD"}


def test_deleting_a_mode_the_subject_does_not_have_is_40401(http: httpx.Client) -> None:
    assert error_of(http.delete("/mode/s")) == (404, 40401, "Subject 's' not found.")
    assert error_of(http.get("/mode/s"))[:2] == (404, 40409)
    assert http.get("/mode/s", params={"defaultToGlobal": "true"}).json() == {"mode": "READWRITE"}
    assert http.put("/mode/s", json={"mode": "readonly"}).json() == {"mode": "readonly"}
    assert http.delete("/mode/s").json() == {"mode": "READONLY"}


def test_readonly_message(http: httpx.Client) -> None:
    http.put("/mode/s", json={"mode": "READONLY"})
    response = http.post("/subjects/s/versions", json={"schema": V1})
    assert error_of(response) == (422, 42205, "Subject s is in read-only mode")


@pytest.mark.parametrize("subject", ["team/orders-value", "a%b", "ünï/çødé", "x/versions"])
def test_subjects_with_slashes_and_escapes(sr: SchemaRegistryClient, subject: str) -> None:
    """Confluent's client percent-encodes the subject (`/` → `%2F`); the server must keep it."""
    schema_id = sr.register_schema(subject, Schema(V1, "AVRO"))
    assert sr.get_subjects() == [subject]
    assert sr.get_versions(subject) == [1]
    latest = sr.get_latest_version(subject)
    assert (latest.subject, latest.schema_id) == (subject, schema_id)
    assert sr.lookup_schema(subject, Schema(V1, "AVRO")).version == 1
    sr.set_compatibility(subject, "NONE")
    assert sr.get_compatibility(subject) == "NONE"
    assert sr.get_subjects_by_schema_id(schema_id) == [subject]
    assert sr.delete_subject(subject) == [1]
    assert sr.delete_subject(subject, permanent=True) == [1]
    assert sr.get_subjects() == []


def test_raw_paths(http: httpx.Client) -> None:
    http.post("/subjects/a%2Fb/versions", json={"schema": V1})
    assert http.get("/subjects").json() == ["a/b"]
    assert http.get("/subjects/a%2Fb/versions/latest").json()["subject"] == "a/b"
    assert http.get("/subjects/a%2fb/versions/").json() == [1]  # trailing slash, lower-case hex
    assert http.get("/subjects/a/b/versions").status_code == 404
    assert http.put("/subjects/a%2Fb/versions", json={}).status_code == 405


def test_import_mode_keeps_ids_and_versions(http: httpx.Client, sr: SchemaRegistryClient) -> None:
    http.post("/subjects/live/versions", json={"schema": V1})
    # IMPORT needs empty subjects (or force=true).
    assert error_of(http.put("/mode", json={"mode": "IMPORT"})) == (
        422, 42205, "Cannot import since found existing subjects",
    )  # fmt: skip
    assert http.put("/mode/imp", json={"mode": "IMPORT"}).json() == {"mode": "IMPORT"}
    assert error_of(http.post("/subjects/imp/versions", json={"schema": V1})) == (
        422, 42205, "Subject imp is not in read-write mode",
    )  # fmt: skip
    body = {"schema": V2, "id": 100, "version": 7}
    assert http.post("/subjects/imp/versions", json=body).json() == {"id": 100}
    # No compatibility check in IMPORT mode (V1 drops b without a default: BACKWARD-ok, and
    # this FORWARD-incompatible pair would fail under FULL).
    http.put("/config/imp", json={"compatibility": "FULL"})
    assert http.post("/subjects/imp/versions", json={"schema": V1, "id": 1}).json() == {"id": 1}
    assert http.get("/subjects/imp/versions").json() == [7, 8]
    assert http.get("/subjects/imp/versions/7").json()["id"] == 100
    # An id names one schema; the same schema keeps its id.
    clash = {"schema": V2_DEFAULT, "id": 100}
    assert error_of(http.post("/subjects/imp/versions", json=clash)) == (
        422, 42205, "Overwrite new schema with id 100 is not permitted.",
    )  # fmt: skip
    assert error_of(http.post("/subjects/imp/versions", json={"schema": V2, "id": 5}))[:2] == (
        422,
        42207,
    )
    assert http.delete("/mode/imp").json() == {"mode": "IMPORT"}
    assert error_of(http.post("/subjects/imp/versions", json={"schema": V2, "id": 100}))[:3] == (
        422, 42205, "Subject imp is not in import mode",
    )  # fmt: skip
    # Ids allocated after an import continue after the highest one.
    assert sr.register_schema("fresh", Schema(V2_DEFAULT, "AVRO")) == 101
    assert sr.get_schema(100).schema_str == V2


def test_import_mode_with_force(http: httpx.Client) -> None:
    http.post("/subjects/s/versions", json={"schema": V1})
    assert http.put("/mode", params={"force": "true"}, json={"mode": "IMPORT"}).status_code == 200
    assert http.post("/subjects/s/versions", json={"schema": V2, "id": 9}).json() == {"id": 9}
    assert http.get("/subjects/s/versions").json() == [1, 2]


def test_explicit_version_outside_import_must_be_the_next(http: httpx.Client) -> None:
    http.post("/subjects/s/versions", json={"schema": V1})
    wrong = http.post("/subjects/s/versions", json={"schema": V2_DEFAULT, "version": 5})
    assert error_of(wrong) == (422, 42201, "Version is not one more than previous version")
    assert http.post("/subjects/s/versions", json={"schema": V2_DEFAULT, "version": 2}).is_success
    assert http.get("/subjects/s/versions").json() == [1, 2]


def test_deleted_views(http: httpx.Client, sr: SchemaRegistryClient) -> None:
    first = sr.register_schema("s", Schema(V1, "AVRO"))
    sr.register_schema("s", Schema(V2_DEFAULT, "AVRO"))
    sr.register_schema("gone", Schema(V1, "AVRO"))
    sr.delete_version("s", 1)
    sr.delete_subject("gone")
    assert http.get("/subjects", params={"deleted": "true"}).json() == ["gone", "s"]
    assert http.get("/subjects", params={"deletedOnly": "true"}).json() == ["gone"]
    assert http.get("/subjects/s/versions", params={"deletedOnly": "true"}).json() == [1]
    assert http.get("/subjects/s/versions/-1").json()["version"] == 2
    assert error_of(http.get("/subjects/s/versions/1"))[:2] == (404, 40402)
    # A soft-deleted schema is found by a look-up only with deleted=true.
    assert error_of(http.post("/subjects/s", json={"schema": V1}))[:2] == (404, 40403)
    found = http.post("/subjects/s", params={"deleted": "true"}, json={"schema": V1}).json()
    assert (found["version"], found["id"]) == (1, first)
    assert http.get(f"/schemas/ids/{first}/versions").json() == []
    every = http.get(f"/schemas/ids/{first}/versions", params={"deleted": "true"}).json()
    assert every == [{"subject": "gone", "version": 1}, {"subject": "s", "version": 1}]
    # Hard delete needs a soft delete first.
    assert error_of(http.delete("/subjects/s", params={"permanent": "true"})) == (
        404, 40405, "Subject 's' was not deleted first before being permanently deleted",
    )  # fmt: skip
    with pytest.raises(SchemaRegistryError) as caught:
        sr.delete_version("s", 2, permanent=True)
    assert caught.value.error_code == 40407
