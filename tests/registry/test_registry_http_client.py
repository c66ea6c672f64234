"""The HTTP RegistryClient against real servers: basic auth, TLS, retries, errors, dialects."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import trustme
from starlette.responses import HTMLResponse, JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from contractgen.diagnostics import ContractError
from contractgen.ir.model import Level
from contractgen.registry.client import Verdict
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.app import create_app
from contractgen.registry.embedded.engine import Registry
from contractgen.registry.embedded.server import TLS, serve_app_in_thread, serve_in_thread
from contractgen.registry.errors import RegistryAuthError, RegistryError, RegistryUnreachable
from contractgen.registry.redact import Redactor
from tests.registry.karapace_dialect import serve_karapace

V1 = '{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}'
V2_BAD = (
    '{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}'
)
FAST = {"max_retries": 3, "retry_wait_ms": 10}


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Registry]:
    registry = Registry(tmp_path / "registry.db")
    yield registry
    registry.close()


class Misbehave:
    """Wraps the real app: the first `times` requests fail the way `how` says."""

    def __init__(self, app: ASGIApp, how: str, times: int) -> None:
        self.app, self.how, self.times, self.seen = app, how, times, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen += 1
            if self.seen <= self.times:
                if self.how == "slow":
                    await asyncio.sleep(1.5)
                else:
                    status = int(self.how)
                    body = {"error_code": status * 100 + 1, "message": "nope"}
                    await JSONResponse(body, status_code=status)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def test_basic_auth(tmp_path: Path) -> None:
    env = {"CONTRACTGEN_REGISTRY_USER": "alice", "CONTRACTGEN_REGISTRY_PASSWORD": "s3cret-pw"}
    with serve_in_thread(tmp_path / "r.db", credentials=("alice", "s3cret-pw")) as url:
        client = open_client(url, env=env, **FAST)
        assert client.register("s", V1).version == 1
        client.close()
        # Credentials in the URL work too, and never show.
        bare = url.removeprefix("http://")
        in_url = open_client(f"http://alice:s3cret-pw@{bare}", env={}, **FAST)
        assert in_url.versions("s") == [1]
        assert "s3cret-pw" not in in_url.display_url and "alice" not in in_url.display_url
        in_url.close()
        wrong = open_client(url, env={**env, "CONTRACTGEN_REGISTRY_PASSWORD": "guess"}, **FAST)
        with pytest.raises(RegistryAuthError) as caught:
            wrong.subjects()
        assert caught.value.status == 401
        assert "CONTRACTGEN_REGISTRY_PASSWORD" in str(caught.value)
        assert "guess" not in str(caught.value)
        wrong.close()


def test_forbidden_is_a_clear_error(registry: Registry) -> None:
    with serve_app_in_thread(Misbehave(create_app(registry), "403", 99)) as url:
        client = open_client(url, env={}, **FAST)
        with pytest.raises(RegistryAuthError, match="denied the request"):
            client.subjects()
        client.close()


def test_tls_with_a_private_ca(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_file, cert_file, key_file = (tmp_path / n for n in ("ca.pem", "cert.pem", "key.pem"))
    ca.cert_pem.write_to_path(str(ca_file))
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    with serve_in_thread(tmp_path / "r.db", tls=TLS(str(cert_file), str(key_file))) as url:
        assert url.startswith("https://")
        client = open_client(url, env={"CONTRACTGEN_REGISTRY_CA": str(ca_file)}, **FAST)
        assert client.register("s", V1).id == 1
        client.close()
        untrusting = open_client(url, env={}, max_retries=0)
        with pytest.raises(RegistryUnreachable, match="cannot reach the schema registry"):
            untrusting.subjects()
        untrusting.close()


def test_retries_on_5xx(registry: Registry) -> None:
    app = Misbehave(create_app(registry), "503", 2)
    with serve_app_in_thread(app) as url:
        client = open_client(url, env={}, **FAST)
        assert client.subjects() == []
        assert app.seen == 3
        client.close()


def test_retries_on_timeouts(registry: Registry) -> None:
    app = Misbehave(create_app(registry), "slow", 1)
    with serve_app_in_thread(app) as url:
        client = open_client(url, env={}, timeout=0.5, **FAST)
        started = time.monotonic()
        assert client.register("s", V1).version == 1
        assert time.monotonic() - started < 1.5  # gave up on the slow answer, did not wait it out
        assert app.seen >= 2  # the timed-out request was sent again
        client.close()


def test_persistent_5xx_is_an_error_with_the_code(registry: Registry) -> None:
    with serve_app_in_thread(Misbehave(create_app(registry), "500", 99)) as url:
        client = open_client(url, env={}, max_retries=1, retry_wait_ms=1)
        with pytest.raises(RegistryError) as caught:
            client.subjects()
        assert (caught.value.status, caught.value.error_code) == (500, 50001)
        client.close()


def test_unreachable() -> None:
    client = open_client("http://bob:hunter2@127.0.0.1:9", env={}, timeout=1, max_retries=0)
    with pytest.raises(RegistryUnreachable) as caught:
        client.subjects()
    assert "hunter2" not in str(caught.value) and "127.0.0.1:9" in str(caught.value)
    client.close()


def test_protocol_answers_match_embedded_and_http(tmp_path: Path) -> None:
    with serve_in_thread(tmp_path / "r.db") as url:
        for client in (open_client(url, env={}, **FAST), open_client(f"embedded:{tmp_path}/e.db")):
            assert client.versions("s") == [] and client.get_version("s") is None
            assert client.check("s", V1).is_compatible
            assert client.check("s", V1, version="latest").is_compatible
            first = client.register("s", V1)
            assert (first.version, first.schema) == (1, V1)
            assert client.lookup("s", json.dumps(json.loads(V1), indent=1)) == first
            assert client.lookup("s", V2_BAD) is None
            verdict = client.check("s", V2_BAD)
            assert not verdict.is_compatible
            assert verdict.messages[-1] == "{validateFields: 'false', compatibility: 'BACKWARD'}"
            with pytest.raises(RegistryError) as caught:
                client.register("s", V2_BAD)
            assert (caught.value.status, caught.value.error_code) == (409, 40901)
            assert client.subject_level("s") is None
            client.set_subject_level("s", Level.NONE)
            assert client.subject_level("s") is Level.NONE
            assert client.global_level() is Level.BACKWARD
            assert client.register("s", V2_BAD).version == 2
            assert client.get_version("s", 1) == first
            client.close()


HTML = "<!DOCTYPE HTML>\n<html><head><title>Welcome</title></head><body>" + "x" * 5000 + "</body>"


async def _web_page(scope: Scope, receive: Receive, send: Send) -> None:
    """A web server, not a registry: an HTML page for every path (404 under /config)."""
    status = 404 if scope["path"].startswith("/config") else 200
    await HTMLResponse(HTML, status_code=status)(scope, receive, send)


def test_a_server_that_is_not_a_registry() -> None:
    with serve_app_in_thread(_web_page) as url:
        client = open_client(url, env={}, **FAST)
        for call in (client.global_level, client.subjects):
            with pytest.raises(RegistryUnreachable) as caught:
                call()
            message = str(caught.value)
            assert "\n" not in message and "x" * 200 not in message
            assert "does not look like a Schema Registry" in message
            assert "'<!DOCTYPE HTML> <html><head><title>Welcome</title>" in message
            assert "Unknown Schema Registry Error" not in message
        client.close()


def test_open_client_rejects_a_url_that_is_not_http_or_embedded() -> None:
    with pytest.raises(ContractError) as caught:
        open_client("ftp://127.0.0.1:9", env={})
    assert "expected embedded:<file> or http(s)://" in str(caught.value)


def test_unusable_tls_files_are_a_config_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    for env in (
        {"CONTRACTGEN_REGISTRY_CA": str(tmp_path / "missing.pem")},
        {"CONTRACTGEN_REGISTRY_CERT": str(junk), "CONTRACTGEN_REGISTRY_KEY": str(junk)},
    ):
        with pytest.raises(ContractError, match="the registry's TLS files cannot be used"):
            open_client("https://127.0.0.1:9", env=env)


def test_every_form_of_a_secret_is_redacted() -> None:
    user, password, token = "svc", "p@ss:w/rd", "eyJhbGciOi.tok"
    redactor = Redactor([password, token], user)
    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    text = (
        f"raw {password}; encoded {quote(password, safe='')}; header Basic {basic}; "
        f"unpadded {basic.rstrip('=')}; bearer Bearer {token}; url https://{user}:x@host/; "
        "unknown Authorization: Basic dW5rbm93bjpzZWNyZXQ="
    )
    shown = redactor.text(text)
    for secret in (password, quote(password, safe=""), basic, basic.rstrip("="), token):
        assert secret not in shown
    assert "dW5rbm93bjpzZWNyZXQ=" not in shown and f"{user}:x@" not in shown
    assert shown.startswith("raw ***; encoded ***; header Basic ***")


def test_karapace_dialect(tmp_path: Path) -> None:
    """Against Karapace's recorded answers (the dialect layer, proven by the replay test)."""
    with serve_karapace(tmp_path / "k.db") as url:
        client = open_client(url, env={}, **FAST)
        assert client.check("e", V1, version="latest") == Verdict(True)  # 40402: no baseline
        assert client.check("e", V1) == Verdict(True)  # no versions: nothing to check against
        assert client.register("e", V1).version == 1
        verdict = client.check("e", V2_BAD)  # no all-versions route: version by version
        assert not verdict.is_compatible and set(verdict.messages) == {"b"}
        assert "per-version checks at BACKWARD" in verdict.dialect_note
        assert client.check("e", V1).dialect_note  # compatible, without `messages`: fine
        with pytest.raises(RegistryError) as caught:
            client.register("e", V2_BAD)  # 409 with error_code 409
        assert (caught.value.status, caught.value.error_code) == (409, 40901)
        assert client.mode("e") == "READWRITE" and client.mode("nothing") is None
        assert client.subject_level("e") is None and client.global_level() is Level.BACKWARD
        client.close()
