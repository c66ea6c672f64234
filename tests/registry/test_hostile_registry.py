"""`check` and `register` against hostile servers in front of a real (embedded) registry, end to
end through the CLI: every scenario ends with the documented exit code, and no output holds any
form of the credentials (raw, percent-encoded, base64 of user:password, the bearer token).

The servers are adversarial by construction, not fakes of a product: each misbehaves in one way
named by the issue (echoed credentials, wrong shapes, a trickle, 5xx, 401, 409, HTML, refusal).
"""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner, Result
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from contractgen.cli.main import main
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.app import create_app
from contractgen.registry.embedded.engine import Registry
from contractgen.registry.embedded.server import serve_app_in_thread
from contractgen.registry.errors import RegistryUnreachable

USER, PASSWORD, TOKEN = "alice", "s3cret-Pa55:w/rd", "tok-9f8e7d6c5b4a"
SECRETS = (
    PASSWORD,
    "s3cret-Pa55%3Aw%2Frd",
    base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
    base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode().rstrip("="),
    TOKEN,
)
BASIC = {"CONTRACTGEN_REGISTRY_USER": USER, "CONTRACTGEN_REGISTRY_PASSWORD": PASSWORD}
BEARER = {"CONTRACTGEN_REGISTRY_TOKEN": TOKEN}
SCHEMA = {
    "type": "record",
    "name": "Happened",
    "namespace": "acme",
    "fields": [{"name": "id", "type": "string"}],
}

Misbehaviour = Callable[[Scope, str], Awaitable[Response | None]]
"""(scope, the Authorization header as sent) → a hostile answer, or None: the registry answers."""


class Hostile:
    """A real embedded registry behind a server that misbehaves as `how` says."""

    def __init__(self, app: ASGIApp, how: Misbehaviour) -> None:
        self.app, self.how = app, how

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            answer = await self.how(scope, headers.get(b"authorization", b"").decode())
            if answer is not None:
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "Happened.avsc").write_text(json.dumps(SCHEMA))
    (tmp_path / "contractgen.toml").write_text(
        'schemas = ["schemas"]\n[[topics]]\nname = "things"\nkey = "string"\n'
        'events = ["acme.Happened"]\n'
    )
    return tmp_path


def edit(project: Path) -> None:
    """A compatible edit (a field with a default)."""
    changed = {**SCHEMA, "fields": [*SCHEMA["fields"], {"name": "n", "type": "int", "default": 0}]}
    (project / "schemas" / "Happened.avsc").write_text(json.dumps(changed))


def run(project: Path, url: str, env: dict[str, str], *args: str) -> Result:
    config = str(project / "contractgen.toml")
    environment = {"CONTRACTGEN_REGISTRY_URL": url, **env}
    started = time.monotonic()
    result = CliRunner().invoke(main, ["--config", config, *args], env=environment)
    result.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return result


def assert_no_secret(result: Result) -> None:
    output = result.stdout + result.stderr
    for secret in SECRETS:
        assert secret not in output, f"a form of the credentials leaked: {output}"
    assert "Traceback" not in output


@pytest.fixture
def registry(tmp_path: Path, project: Path) -> Iterator[Registry]:
    """The real registry, holding the project's subjects (registered without a hostile server)."""
    registered = run(project, f"embedded:{tmp_path / 'real.db'}", {}, "register")
    assert registered.exit_code == 0, registered.output
    registry = Registry(tmp_path / "real.db")
    yield registry
    registry.close()


def serve(registry: Registry, how: Misbehaviour) -> Any:
    return serve_app_in_thread(Hostile(create_app(registry), how))


def _echo(auth: str) -> str:
    """The header as sent and, decoded, the credentials in it: raw and as URL userinfo."""
    scheme, _, value = auth.partition(" ")
    said = base64.b64decode(value).decode() if scheme == "Basic" else value
    return f"you sent Authorization: {auth} via http://{said}@proxy/ ({said})"


async def echo_in_messages(scope: Scope, auth: str) -> Response | None:
    """Echoes the credentials in verbose compatibility messages, raw and in a URL."""
    if scope["path"].startswith("/compatibility"):
        messages = [_echo(auth), f"Bearer {TOKEN}"]
        return JSONResponse({"is_compatible": False, "messages": messages})
    return None


async def echo_in_500(scope: Scope, auth: str) -> Response | None:
    """Echoes the credentials in the body of a 500 to every POST."""
    if scope["method"] == "POST":
        return JSONResponse({"error_code": 50001, "message": _echo(auth)}, status_code=500)
    return None


@pytest.mark.parametrize("env", [BASIC, BEARER], ids=["basic", "bearer"])
def test_echoed_credentials_never_show(
    project: Path, registry: Registry, env: dict[str, str]
) -> None:
    edit(project)
    with serve(registry, echo_in_messages) as url:
        dry = run(project, url, env, "register", "--dry-run")
        checked = run(project, url, env, "check", "--against", "registry", "--format", "json")
        in_url = url.replace("://", f"://{USER}:{quote(PASSWORD, safe='')}@")
        from_url = run(project, in_url, {}, "register")
    with serve(registry, echo_in_500) as url:
        failed = run(project, url, env, "register")
    assert dry.exit_code == 1 and "BLOCKED" in dry.stdout and "registry: you sent" in dry.stdout
    assert checked.exit_code == 1 and "***" in checked.stdout
    assert from_url.exit_code == 1 and "***" in from_url.stdout
    assert failed.exit_code == 3 and "you sent Authorization: " in failed.stderr
    for result in (dry, checked, from_url, failed):
        assert_no_secret(result)


async def refuse_with_echo(scope: Scope, auth: str) -> Response | None:
    body = {"error_code": 40101, "message": f"Unauthorized: {auth}"}
    return JSONResponse(body, status_code=401)


async def html_with_echo(scope: Scope, auth: str) -> Response | None:
    return HTMLResponse(f"<html><body>Bad gateway for {auth}</body></html>", status_code=502)


async def always_503(scope: Scope, auth: str) -> Response | None:
    return JSONResponse({"error_code": 50301, "message": f"down ({auth})"}, status_code=503)


def _shape(route: str, body: Any) -> Misbehaviour:
    """`body` as a 200 answer to every request under `route` but registrations."""

    async def how(scope: Scope, auth: str) -> Response | None:
        path = scope["path"]
        registration = scope["method"] == "POST" and path.startswith("/subjects/")
        registration = registration and path.endswith("/versions")
        if scope["path"].startswith(route) and not registration:
            return Response(json.dumps(body), media_type="application/json")
        return None

    return how


@pytest.mark.parametrize(
    ("how", "said"),
    [
        (refuse_with_echo, "rejected the credentials"),
        (html_with_echo, "does not look like a Schema Registry"),
        (always_503, "HTTP 503"),
        (_shape("/config", {}), "answered GET /config with {}, expected"),
        (_shape("/config", {"compatibilityLevel": "SIDEWAYS"}), "GET /config with"),
        (_shape("/compatibility", {}), "answered POST /compatibility/subjects/things-"),
        (_shape("/subjects/things-value/versions", None), "with null, expected"),
    ],
    ids=["401", "html", "5xx", "config-empty", "unknown-level", "compat-empty", "null"],
)
def test_failures_are_exit_3_and_named(
    project: Path, registry: Registry, how: Misbehaviour, said: str
) -> None:
    edit(project)  # a compatible edit: the plan asks the registry
    with serve(registry, how) as url:
        results = [
            run(project, url, BASIC, "check", "--against", "registry"),
            run(project, url, BASIC, "register", "--dry-run"),
        ]
    for result in results:
        assert result.exit_code == 3, result.output
        assert said in result.stderr
        assert_no_secret(result)


def test_a_refused_connection_is_exit_3(project: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        url = f"http://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}"
        result = run(project, url, {}, "register", "--dry-run")
    assert result.exit_code == 3, result.output
    assert f"cannot reach the schema registry at http://127.0.0.1:{port}" in result.stderr
    assert_no_secret(result)


class Trickle:
    """Answers `/config` one byte every `every` seconds, until stopped."""

    def __init__(self, every: float) -> None:
        self.every, self.stopped = every, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for byte in b'{"compatibilityLevel": "BACKWARD"}' * 100:
            if self.stopped:
                break
            await send({"type": "http.response.body", "body": bytes([byte]), "more_body": True})
            await asyncio.sleep(self.every)
        await send({"type": "http.response.body", "body": b""})


@pytest.mark.slow
def test_a_trickling_server_ends_at_the_command_deadline(project: Path) -> None:
    trickle = Trickle(0.5)
    with serve_app_in_thread(trickle) as url:
        result = run(project, url, BASIC, "check", "--against", "registry", "--timeout", "2")
        trickle.stopped = True
    assert result.exit_code == 3, result.output
    assert "--timeout 2 s" in result.stderr or "deadline" in result.stderr
    assert result.elapsed < 6  # type: ignore[attr-defined]
    assert_no_secret(result)


class FailWrites:
    """Refuses registrations of `things-value` (`status`) until healed; the rest passes."""

    def __init__(self, status: int) -> None:
        self.status, self.healed = status, False

    async def __call__(self, scope: Scope, auth: str) -> Response | None:
        write = scope["method"] == "POST" and scope["path"] == "/subjects/things-value/versions"
        if write and not self.healed:
            # 409 as Karapace words it (error_code 409); 503 as a proxy in trouble would.
            message = "Incompatible schema, compatibility_mode=BACKWARD. Incompatibilities: x"
            body = {"error_code": self.status if self.status == 409 else 50301, "message": message}
            return JSONResponse(body, status_code=self.status)
        return None


@pytest.mark.parametrize("status", [409, 503])
def test_a_failure_while_applying_names_the_step_and_a_rerun_converges(
    project: Path, tmp_path: Path, status: int
) -> None:
    failing = FailWrites(status)
    registry = Registry(tmp_path / "fresh.db")
    try:
        with serve(registry, failing) as url:
            failed = run(project, url, BASIC, "register")
            failing.healed = True
            rerun = run(project, url, BASIC, "register")
            again = run(project, url, BASIC, "register")
    finally:
        registry.close()
    assert failed.exit_code == 3, failed.output
    assert "applying the plan failed at things-value (register)" in failed.stderr
    assert "Applied before it: things-key register" in failed.stderr
    assert rerun.exit_code == 0 and "things-key    NOOP" in rerun.stdout, rerun.output
    assert "things-value  REGISTER (new subject): registered version 1" in rerun.stdout
    assert again.exit_code == 0 and "0 to register" in again.stdout
    for result in (failed, rerun):
        assert_no_secret(result)


@pytest.mark.slow
def test_each_request_has_a_total_deadline() -> None:
    """A byte every 0.3 s keeps every read within httpx's timeout: the total one ends it."""
    trickle = Trickle(0.3)
    with serve_app_in_thread(trickle) as url:
        client = open_client(url, env={}, timeout=1.0, max_retries=1, retry_wait_ms=10)
        started = time.monotonic()
        with pytest.raises(RegistryUnreachable, match="ReadTimeout"):
            client.global_level()
        elapsed = time.monotonic() - started
        client.close()
        trickle.stopped = True
    assert elapsed < 4  # two attempts of 1 s each, not the whole trickle (~10 s)
