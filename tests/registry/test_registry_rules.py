"""COMPATIBILITY.md, "Registry behaviour around the check", rule by rule, over HTTP.

Driven by confluent-kafka's `SchemaRegistryClient` where it carries the answer, raw httpx where it
drops information (verbose messages, exact error bodies).
"""

from __future__ import annotations

import json

import httpx
import pytest
from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

V1 = '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"}]}'
V2_NO_DEFAULT = (
    '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"},'
    '{"name":"f2","type":"string"}]}'
)
V2_DEFAULT = (
    '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"},'
    '{"name":"f2","type":"string","default":"x"}]}'
)


def avro(text: str, refs: list[SchemaReference] | None = None) -> Schema:
    return Schema(text, "AVRO", refs or [])


def error_of(response: httpx.Response) -> tuple[int, int, str]:
    body = response.json()
    return response.status_code, body["error_code"], body["message"]


def test_same_schema_returns_existing_id_and_version_without_check(
    sr: SchemaRegistryClient,
) -> None:
    sr.set_compatibility("s", "NONE")
    first = sr.register_schema_full_response("s", avro(V1))
    sr.register_schema("s", avro('{"type":"record","name":"other","fields":[]}'))
    sr.set_compatibility("s", "FORWARD")  # V1 would now fail against the latest version
    again = SchemaRegistryClient({"url": sr._rest_client.base_urls[0]})
    found = again.register_schema_full_response("s", avro(V1))
    assert (found.schema_id, found.version) == (first.schema_id, first.version)
    assert sr.get_versions("s") == [1, 2]


@pytest.mark.parametrize(
    "variant",
    [
        # whitespace, attribute order, {"type": "string"} vs "string", redundant namespace
        '{ "fields": [ {"type": "string", "name": "f1"} ],\n'
        ' "name": "myrecord", "type": "record" }',
        '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":{"type":"string"}}]}',
    ],
)
def test_canonical_string_identity_ignores_layout(http: httpx.Client, variant: str) -> None:
    first = http.post("/subjects/s/versions", json={"schema": V1}).json()
    second = http.post("/subjects/s/versions", json={"schema": variant}).json()
    assert second["id"] == first["id"]
    assert http.get("/subjects/s/versions").json() == [1]


def test_redundant_namespace_is_the_same_schema(http: httpx.Client) -> None:
    plain = (
        '{"type":"record","name":"R","namespace":"a","fields":[{"name":"e","type":'
        '{"type":"enum","name":"E","symbols":["X"]}}]}'
    )
    redundant = (
        '{"type":"record","name":"R","namespace":"a","fields":[{"name":"e","type":'
        '{"type":"enum","name":"E","namespace":"a","symbols":["X"]}}]}'
    )
    first = http.post("/subjects/s/versions", json={"schema": plain}).json()
    assert http.post("/subjects/s/versions", json={"schema": redundant}).json() == first


def test_doc_only_change_is_a_new_version(sr: SchemaRegistryClient) -> None:
    documented = V1.replace('"name":"myrecord",', '"name":"myrecord","doc":"now documented",')
    first = sr.register_schema("s", avro(V1))
    second = sr.register_schema("s", avro(documented))
    assert second != first
    assert sr.get_versions("s") == [1, 2]
    assert sr.get_version("s", 2).schema.schema_str == documented


def test_one_branch_union_and_bare_type_are_different_schemas(http: httpx.Client) -> None:
    union = V1.replace('"type":"string"', '"type":["string"]')
    first = http.post("/subjects/s/versions", json={"schema": V1}).json()
    second = http.post("/subjects/s/versions", json={"schema": union}).json()
    assert http.get("/subjects/s/versions").json() == [1, 2]
    assert first["id"] != second["id"]


def test_same_schema_under_two_subjects_shares_the_global_id(sr: SchemaRegistryClient) -> None:
    a = sr.register_schema("a-value", avro(V1))
    b = sr.register_schema("b-value", avro(V1))
    assert a == b
    assert sorted(sr.get_subjects_by_schema_id(a)) == ["a-value", "b-value"]
    assert sr.get_version("b-value", 1).version == 1


def test_stored_schema_is_the_canonical_string(http: httpx.Client) -> None:
    pretty = json.dumps(json.loads(V1), indent=2)
    schema_id = http.post("/subjects/s/versions", json={"schema": pretty}).json()["id"]
    assert http.get(f"/schemas/ids/{schema_id}").json() == {"schema": V1}
    assert http.get(f"/schemas/ids/{schema_id}/schema").json() == json.loads(V1)
    assert http.get("/subjects/s/versions/latest").json() == {
        "subject": "s", "version": 1, "id": schema_id, "schema": V1,
    }  # fmt: skip


def test_rejected_registration_is_409_40901_with_verbose_details(http: httpx.Client) -> None:
    http.post("/subjects/s/versions", json={"schema": V1})
    response = http.post("/subjects/s/versions", json={"schema": V2_NO_DEFAULT})
    details = (
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path "
        "'/fields/1' in the new schema has no default value and is missing in the old schema', "
        "additionalInfo:'f2'}, {oldSchemaVersion: 1}, "
        f"{{oldSchema: '{V1}'}}, {{validateFields: 'false', compatibility: 'BACKWARD'}}"
    )
    assert error_of(response) == (
        409,
        40901,
        'Schema being registered is incompatible with an earlier schema for subject "s", '
        f"details: [{details}]",
    )
    assert http.get("/subjects/s/versions").json() == [1]


def test_confluent_client_sees_409(sr: SchemaRegistryClient) -> None:
    sr.register_schema("s", avro(V1))
    with pytest.raises(SchemaRegistryError) as caught:
        sr.register_schema("s", avro(V2_NO_DEFAULT))
    assert (caught.value.http_status_code, caught.value.error_code) == (409, 40901)
    # Confluent's register answer is `{"id": n}` only: the client has no version from it.
    assert sr.register_schema_full_response("s", avro(V2_DEFAULT)).version is None
    assert sr.lookup_schema("s", avro(V2_DEFAULT)).version == 2


def test_verbose_flag_controls_messages(http: httpx.Client) -> None:
    http.post("/subjects/s/versions", json={"schema": V1})
    url = "/compatibility/subjects/s/versions/latest"
    assert http.post(url, json={"schema": V2_NO_DEFAULT}).json() == {"is_compatible": False}
    verbose = http.post(url, params={"verbose": "true"}, json={"schema": V2_NO_DEFAULT}).json()
    assert verbose["is_compatible"] is False
    assert verbose["messages"][1:] == [
        "{oldSchemaVersion: 1}",
        f"{{oldSchema: '{V1}'}}",
        "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]
    ok = http.post(url, params={"verbose": "true"}, json={"schema": V2_DEFAULT}).json()
    assert ok == {"is_compatible": True, "messages": []}


def test_check_against_one_version_ignores_transitivity(http: httpx.Client) -> None:
    http.put("/config/s", json={"compatibility": "NONE"})
    http.post("/subjects/s/versions", json={"schema": V1})
    http.post(
        "/subjects/s/versions", json={"schema": '{"type":"record","name":"myrecord","fields":[]}'}
    )
    http.put("/config/s", json={"compatibility": "BACKWARD_TRANSITIVE"})
    # f1 as int with a default: reads version 2 (no f1), not version 1 (f1 is a string).
    candidate = {
        "schema": '{"type":"record","name":"myrecord",'
        '"fields":[{"name":"f1","type":"int","default":1}]}'
    }
    one = "/compatibility/subjects/s/versions/"
    assert http.post(one + "2", json=candidate).json() == {"is_compatible": True}
    assert http.post(one + "latest", json=candidate).json() == {"is_compatible": True}
    assert http.post(one + "1", json=candidate).json() == {"is_compatible": False}
    # Without a version: the registration check, transitive.
    level_check = http.post("/compatibility/subjects/s/versions", json=candidate)
    assert level_check.json() == {"is_compatible": False}
    assert error_of(http.post("/subjects/s/versions", json=candidate))[:2] == (409, 40901)


def test_transitive_registration_reports_the_first_failing_version(http: httpx.Client) -> None:
    http.put("/config/s", json={"compatibility": "NONE"})
    http.post("/subjects/s/versions", json={"schema": V1})
    http.post("/subjects/s/versions", json={"schema": V2_DEFAULT})
    http.put("/config/s", json={"compatibility": "FORWARD_TRANSITIVE"})
    # Drops f1 with no default: version 2 (newest) fails first under FORWARD.
    dropped = '{"type":"record","name":"myrecord","fields":[{"name":"f2","type":"string"}]}'
    verbose = http.post(
        "/compatibility/subjects/s/versions", params={"verbose": "true"}, json={"schema": dropped}
    ).json()
    assert verbose["is_compatible"] is False
    assert "{oldSchemaVersion: 2}" in verbose["messages"]
    assert (
        verbose["messages"][-1] == "{validateFields: 'false', compatibility: 'FORWARD_TRANSITIVE'}"
    )


def test_latest_on_an_empty_subject_is_compatible(http: httpx.Client) -> None:
    url = "/compatibility/subjects/nothing/versions/latest"
    assert http.post(url, json={"schema": V1}).json() == {"is_compatible": True}


def test_missing_and_invalid_versions(http: httpx.Client) -> None:
    http.post("/subjects/s/versions", json={"schema": V1})
    assert error_of(http.post("/compatibility/subjects/s/versions/7", json={"schema": V1}))[:2] == (
        404,
        40402,
    )
    assert error_of(http.post("/compatibility/subjects/s/versions/x", json={"schema": V1}))[:2] == (
        422,
        42202,
    )
    assert error_of(http.get("/subjects/s/versions/0"))[:2] == (422, 42202)
    assert error_of(http.get("/subjects/s/versions/9"))[:2] == (404, 40402)
    assert error_of(http.get("/subjects/nope/versions"))[:2] == (404, 40401)
    assert error_of(http.get("/schemas/ids/99"))[:2] == (404, 40403)
    assert error_of(http.get("/config/s"))[:2] == (404, 40408)
    assert error_of(http.put("/config", json={"compatibility": "SIDEWAYS"}))[:2] == (422, 42203)


def test_new_schemas_are_parsed_strictly(http: httpx.Client) -> None:
    bad_name = '{"type":"record","name":"test-schema","fields":[]}'
    bad_default = '{"type":"record","name":"r","fields":[{"name":"f","type":"int","default":"x"}]}'
    for schema in (bad_name, bad_default, "{not json"):
        status, code, _ = error_of(http.post("/subjects/s/versions", json={"schema": schema}))
        assert (status, code) == (422, 42201)
    assert http.get("/subjects").json() == []
    verbose = http.post(
        "/compatibility/subjects/s/versions/latest",
        params={"verbose": "true"},
        json={"schema": bad_name},
    ).json()
    assert verbose["is_compatible"] is False and len(verbose["messages"]) == 1
    assert "test-schema" in verbose["messages"][0]


def test_union_default_may_match_any_branch(http: httpx.Client) -> None:
    schema = (
        '{"type":"record","name":"r","fields":[{"name":"f","type":["null","int"],"default":1}]}'
    )
    assert http.post("/subjects/s/versions", json={"schema": schema}).status_code == 200


def test_normalize_changes_lookup_not_verdicts(http: httpx.Client) -> None:
    with_props = '{"type":"record","name":"r","fields":[],"b":1,"a":2}'
    reordered = '{"type":"record","name":"r","fields":[],"a":2,"b":1}'
    http.post("/subjects/s/versions", json={"schema": with_props})
    plain = http.post("/subjects/s", json={"schema": reordered})
    assert error_of(plain)[:2] == (404, 40403)
    found = http.post("/subjects/s", params={"normalize": "true"}, json={"schema": reordered})
    assert found.json()["version"] == 1
    again = http.post(
        "/subjects/s/versions", params={"normalize": "true"}, json={"schema": reordered}
    )
    assert again.json() == {"id": found.json()["id"]}
    assert http.get("/subjects/s/versions").json() == [1]
    http.post("/subjects/s/versions", json={"schema": reordered})
    assert http.get("/subjects/s/versions").json() == [1, 2]


def test_references_are_resolved_and_checked(sr: SchemaRegistryClient) -> None:
    money = (
        '{"type":"record","name":"Money","namespace":"m","fields":[{"name":"cents","type":"long"}]}'
    )
    sr.register_schema("m.Money", avro(money))
    order = (
        '{"type":"record","name":"Order","namespace":"o",'
        '"fields":[{"name":"total","type":"m.Money"}]}'
    )
    refs = [SchemaReference("m.Money", "m.Money", 1)]
    order_id = sr.register_schema("orders-value", avro(order, refs))
    registered = sr.get_latest_version("orders-value")
    assert [r.name for r in registered.schema.references or ()] == ["m.Money"]
    assert sr.get_referenced_by("m.Money", 1) == [order_id]
    with pytest.raises(SchemaRegistryError) as caught:
        sr.delete_version("m.Money", 1)
    assert caught.value.error_code == 42206
    # A change inside the referenced type counts like an inline change.
    money2 = money.replace('"long"}', '"long"},{"name":"currency","type":"string"}')
    sr.set_compatibility("m.Money", "NONE")
    sr.register_schema("m.Money", avro(money2))
    with pytest.raises(SchemaRegistryError) as caught:
        sr.register_schema("orders-value", avro(order, [SchemaReference("m.Money", "m.Money", 2)]))
    assert caught.value.error_code == 40901


def test_soft_and_hard_delete(sr: SchemaRegistryClient, http: httpx.Client) -> None:
    schema_id = sr.register_schema("s", avro(V1))
    sr.register_schema("s", avro(V2_DEFAULT))
    assert sr.delete_version("s", 2) == 2
    assert sr.get_versions("s") == [1]
    assert http.get("/subjects/s/versions", params={"deleted": "true"}).json() == [1, 2]
    assert http.get("/subjects/s/versions/2", params={"deleted": "true"}).json()["version"] == 2
    assert error_of(http.delete("/subjects/s/versions/1", params={"permanent": "true"}))[:2] == (
        404,
        40407,
    )
    assert sr.delete_subject("s") == [1]
    assert sr.get_subjects() == []
    assert http.get("/subjects", params={"deleted": "true"}).json() == ["s"]
    assert error_of(http.delete("/subjects/s"))[:2] == (404, 40404)
    assert sr.delete_subject("s", permanent=True) == [1, 2]
    assert http.get("/subjects", params={"deleted": "true"}).json() == []
    # Ids outlive their versions: the same schema gets its old id back, version numbering restarts.
    assert http.post("/subjects/s/versions", json={"schema": V1}).json() == {"id": schema_id}
    assert http.get("/subjects/s/versions").json() == [1]


def test_delete_latest(http: httpx.Client) -> None:
    http.post("/subjects/s/versions", json={"schema": V1})
    http.post("/subjects/s/versions", json={"schema": V2_DEFAULT})
    assert http.delete("/subjects/s/versions/latest").json() == 2
    assert http.delete("/subjects/s/versions/latest").json() == 1
    assert http.delete("/subjects/s/versions/latest", params={"permanent": "true"}).json() == 2
    assert http.get("/subjects/s/versions", params={"deleted": "true"}).json() == [1]


def test_versions_continue_after_a_soft_deleted_latest(http: httpx.Client) -> None:
    http.post("/subjects/s/versions", json={"schema": V1})
    first = http.post("/subjects/s/versions", json={"schema": V2_DEFAULT}).json()
    http.delete("/subjects/s/versions/2")
    again = http.post("/subjects/s/versions", json={"schema": V2_DEFAULT}).json()
    assert again == {"id": first["id"]}
    assert http.get("/subjects/s/versions").json() == [1, 3]
    # Confluent tombstones the soft-deleted older version of the same schema id.
    assert http.get("/subjects/s/versions", params={"deleted": "true"}).json() == [1, 3]


def test_config_and_mode(http: httpx.Client) -> None:
    assert http.get("/config").json() == {"compatibilityLevel": "BACKWARD"}
    # The request is echoed back as sent, as Confluent does.
    assert http.put("/config", json={"compatibility": "full"}).json() == {"compatibility": "full"}
    assert http.get("/config").json() == {"compatibilityLevel": "FULL"}
    assert http.get("/config/s", params={"defaultToGlobal": "true"}).json() == {
        "compatibilityLevel": "FULL"
    }
    http.put("/config/s", json={"compatibility": "NONE"})
    assert http.get("/config/s").json() == {"compatibilityLevel": "NONE"}
    assert http.delete("/config/s").json() == {"compatibilityLevel": "NONE"}
    assert http.get("/mode").json() == {"mode": "READWRITE"}
    http.put("/mode/s", json={"mode": "READONLY"})
    assert error_of(http.post("/subjects/s/versions", json={"schema": V1}))[:2] == (422, 42205)
    assert http.delete("/mode/s").json() == {"mode": "READONLY"}
    assert http.post("/subjects/s/versions", json={"schema": V1}).status_code == 200


@pytest.mark.parametrize(
    "content_type", ["application/vnd.schemaregistry.v1+json", "application/json"]
)
def test_both_content_types(http: httpx.Client, content_type: str) -> None:
    response = http.post(
        "/subjects/s/versions",
        content=json.dumps({"schema": V1}),
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.schemaregistry.v1+json")


def test_schema_resources(sr: SchemaRegistryClient, http: httpx.Client) -> None:
    schema_id = sr.register_schema("s", avro(V1))
    assert sr.get_schema_types() == ["AVRO"]
    assert http.get(f"/schemas/ids/{schema_id}/versions").json() == [{"subject": "s", "version": 1}]
    assert sr.lookup_schema("s", avro(V1)).version == 1
    assert http.get("/subjects/s/versions/1/schema").json() == json.loads(V1)
    assert http.get("/nope").status_code == 404
