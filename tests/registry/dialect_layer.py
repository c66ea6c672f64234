"""What every registry-dialect fake shares: the embedded registry's state and REST app behind a
thin ASGI layer whose `_answer` rewrites requests and answers the way another registry does.

A dialect (`karapace_dialect.py`, `redpanda_dialect.py`, `apicurio_dialect.py`) overrides
`_answer` only, and each of its rules cites where it comes from: a recording of the real
registry, or its published source or documentation. Nothing here is a rule of any registry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from contractgen.ir.model import Level
from contractgen.registry.embedded.app import create_app
from contractgen.registry.embedded.engine import Registry
from contractgen.registry.embedded.server import serve_app_in_thread
from contractgen.registry.embedded.store import Reference
from contractgen.registry.errors import RegistryError

JSON = "application/json"
SR_JSON = "application/vnd.schemaregistry.v1+json"

Answer = tuple[int, str, Any]
"""(status, content type, body): a body that is `str` with content type text/plain is raw."""


class DialectLayer:
    """ASGI app: the embedded registry's app, answering through `_answer`."""

    prefix = ""
    """The path the registry's API is served under (none: the root)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.inner = create_app(registry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = str(scope["path"])
        if self.prefix and not path.startswith(self.prefix + "/"):
            status, kind, payload = 404, "text/plain", ""  # outside the API: not reproduced
        else:
            raw_path = scope.get("raw_path") or path.encode()  # the embedded app routes on it
            scope = {
                **scope,
                "path": path.removeprefix(self.prefix),
                "raw_path": raw_path.removeprefix(self.prefix.encode()),
            }
            status, kind, payload = await self._answer(scope, body)
        raw = payload if kind == "text/plain" else json.dumps(payload)
        headers = [
            (b"content-type", kind.encode()),
            (b"content-length", str(len(raw.encode())).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": raw.encode()})

    async def _answer(self, scope: Scope, body: bytes) -> Answer:
        raise NotImplementedError

    async def _inner(self, scope: Scope, body: bytes, *, verbose: bool = False) -> tuple[int, Any]:
        """The embedded registry's answer (JSON-decoded), asked verbosely if `verbose`."""
        sent: list[Message] = []
        if verbose:
            scope = {**scope, "query_string": b"verbose=true"}

        async def receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        await self.inner(scope, receive, send)
        status = next(m["status"] for m in sent if m["type"] == "http.response.start")
        data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, data.decode()

    def _versions(self, subject: str) -> list[int]:
        """Live versions (none for an unknown subject)."""
        try:
            return self.registry.versions(subject)
        except RegistryError:
            return []

    def _level(self, subject: str) -> Level:
        try:
            return self.registry.settings.get_level(subject, default_to_global=True)
        except RegistryError:
            return self.registry.settings.get_level()

    def _own_level(self, subject: str) -> Level | None:
        try:
            return self.registry.settings.get_level(subject)
        except RegistryError:
            return None


def error(status: int, code: int, message: str) -> Answer:
    return status, SR_JSON, {"error_code": code, "message": message}


def subject_not_found(subject: str) -> Answer:
    return error(404, 40401, f"Subject '{subject}' not found.")


def references(request: dict[str, Any]) -> tuple[Reference, ...]:
    return tuple(
        Reference(r["name"], r["subject"], int(r["version"]))
        for r in request.get("references") or ()
    )


@contextmanager
def serve_dialect(layer: type[DialectLayer], store: Path) -> Iterator[str]:
    """A registry answering as `layer` does over a fresh embedded store; yields its URL (with
    the layer's prefix: the URL a user configures)."""
    registry = Registry(store)
    try:
        with serve_app_in_thread(layer(registry)) as url:
            yield url + layer.prefix
    finally:
        registry.close()
