"""The embedded registry's HTTP edges: content types, Accept, body size, strict version and id
syntax, nesting, and the serve command's configuration errors.

Karapace's recording (steps 44, 243-244, 60, 62, 75) and Jersey's behaviour behind Confluent's
REST API are the reference: 415, 406 and 422/42202, 404/40403; never a 500.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner

from contractgen.cli.main import main
from contractgen.registry.embedded.server import serve_in_thread

SCHEMA = '{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}'
SR = "application/vnd.schemaregistry.v1+json"


@pytest.fixture
def small(tmp_path: Path) -> Iterator[httpx.Client]:
    """A registry holding subject `s` version 1, with a 2000-byte request limit."""
    with (
        serve_in_thread(tmp_path / "r.db", max_body=2000) as url,
        httpx.Client(base_url=url, timeout=10) as http,
    ):
        assert http.post("/subjects/s/versions", json={"schema": SCHEMA}).status_code == 200
        yield http


def test_content_types_and_accept(small: httpx.Client) -> None:
    body = '{"schema": "\\"int\\""}'
    plain = small.post("/subjects/s/versions", content=body, headers={"content-type": "text/plain"})
    assert (plain.status_code, plain.json()["error_code"]) == (415, 415)
    for kind in (SR, "application/json", "application/vnd.schemaregistry+json; charset=utf-8"):
        ok = small.post("/subjects/t/versions", content=body, headers={"content-type": kind})
        assert ok.status_code == 200, (kind, ok.text)
    html = small.get("/subjects", headers={"accept": "text/html"})
    assert (html.status_code, html.json()["error_code"]) == (406, 406)
    for accept in ("*/*", "application/json", f"text/html, {SR}"):
        assert small.get("/subjects", headers={"accept": accept}).status_code == 200


def test_request_size_limit(small: httpx.Client) -> None:
    padded = {"schema": SCHEMA, "x": "y" * 3000}
    too_big = small.post("/subjects/s/versions", json=padded)
    assert (too_big.status_code, too_big.json()["error_code"]) == (413, 413)
    assert small.post("/subjects/s", json={"schema": SCHEMA}).status_code == 200


@pytest.mark.parametrize("version", ["+1", " 1 ", "\u0661", "1.0", "0x1", "9" * 30, "1e3", "-2"])
def test_strict_version_syntax(small: httpx.Client, version: str) -> None:
    path = quote(version, safe="")
    for answer in (
        small.get(f"/subjects/s/versions/{path}"),
        small.post(f"/compatibility/subjects/s/versions/{path}", json={"schema": SCHEMA}),
        small.delete(f"/subjects/s/versions/{path}"),
    ):
        assert (answer.status_code, answer.json()["error_code"]) == (422, 42202), answer.text


@pytest.mark.parametrize("schema_id", ["+1", "\u0661", " 1", "9" * 30, "2147483648", "-1"])
def test_strict_id_syntax(small: httpx.Client, schema_id: str) -> None:
    answer = small.get(f"/schemas/ids/{quote(schema_id, safe='')}")
    assert (answer.status_code, answer.json()["error_code"]) == (404, 40403), answer.text


def test_deep_nesting_is_422_never_500(tmp_path: Path) -> None:
    deep_body = '{"schema": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with serve_in_thread(tmp_path / "r.db") as url, httpx.Client(base_url=url) as http:
        answer = http.post("/subjects/s/versions", content=deep_body, headers={"content-type": SR})
        assert answer.status_code == 422, answer.text
        for depth in (200, 2_000, 50_000):
            schema = '{"type":"array","items":' * depth + '"int"' + "}" * depth
            for path in ("/subjects/s/versions", "/compatibility/subjects/s/versions/latest"):
                answer = http.post(path, json={"schema": schema})
                assert answer.status_code in (200, 422), (depth, answer.text)
                if depth == 50_000:
                    assert answer.json()["error_code"] == 42201


def test_invalid_schema_messages_read_like_confluent(small: httpx.Client) -> None:
    answer = small.post("/subjects/s/versions", json={"schema": '{"type":"record","name":"x"}'})
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert message.startswith("Invalid schema: AVRO006 ") and "schema schema" not in message


def _serve(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["registry", "serve", "--port", "0", *args], env=env)
    return result.exit_code, result.output


def test_serve_configuration_errors_are_exit_2(tmp_path: Path) -> None:
    colon = {"CONTRACTGEN_REGISTRY_USER": "a:b", "CONTRACTGEN_REGISTRY_PASSWORD": "pw"}
    code, output = _serve("--auth", "--store", str(tmp_path / "r.db"), env=colon)
    assert code == 2 and "may not contain ':'" in output
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("not a certificate")
    key.write_text("not a key")
    code, output = _serve("--tls-cert", str(cert), "--tls-key", str(key))
    assert code == 2 and "cannot be used as a PEM certificate" in output
    assert "Traceback" not in output


def test_credentials_in_the_config_url_are_refused(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "contractgen.toml").write_text(
        'schemas = ["schemas"]\n[registry]\nurl = "https://ci:hunter2-pw@registry.invalid"\n'
    )
    config = str(tmp_path / "contractgen.toml")
    for command in (["register", "--dry-run"], ["check", "--against", "registry"]):
        result = CliRunner().invoke(main, ["--config", config, *command], env={})
        assert result.exit_code == 2, result.output
        assert "`registry.url` holds credentials" in result.stderr
        assert "CONTRACTGEN_REGISTRY_USER" in result.stderr
        assert "hunter2-pw" not in result.output


def test_reads_and_known_lookups_answer_while_a_writer_holds_the_store(tmp_path: Path) -> None:
    """Reads and look-ups of a schema seen before run on the event loop (no thread hand-off):
    that is only sound because a WAL reader never waits for a writer. Another process holding
    the write lock (here: a second connection in a transaction) must not stall them."""
    with (
        serve_in_thread(tmp_path / "r.db") as url,
        httpx.Client(base_url=url, timeout=5) as http,
    ):
        assert http.post("/subjects/s/versions", json={"schema": SCHEMA}).status_code == 200
        assert http.post("/subjects/s", json={"schema": SCHEMA}).status_code == 200  # memo
        writer = sqlite3.connect(tmp_path / "r.db", isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("INSERT INTO settings VALUES ('held', 'mode', 'READONLY')")
            assert http.get("/schemas/ids/1").json()["schema"] == SCHEMA
            found = http.post("/subjects/s", json={"schema": SCHEMA}).json()
            assert (found["subject"], found["version"], found["id"]) == ("s", 1, 1)
            assert http.get("/subjects").json() == ["s"]
        finally:
            writer.execute("ROLLBACK")
            writer.close()
