"""The ASGI app: Confluent's REST API in front of the embedded registry (starlette).

The JSON content types Confluent consumes are accepted (`application/vnd.schemaregistry.v1+json`,
`application/vnd.schemaregistry+json`, `application/json`); others are 415, an `Accept` none of
them satisfies is 406, a body over the size limit is 413. Answers use Confluent's content type.
Errors are `{"error_code", "message"}` with Confluent's codes.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from contractgen.registry.embedded import routes
from contractgen.registry.embedded.engine import Registry
from contractgen.registry.errors import RegistryError

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
MAX_BODY = 8 * 1024 * 1024
"""Largest request body accepted by default (bytes); larger ones get 413."""
_JSON_TYPES = {CONTENT_TYPE, "application/vnd.schemaregistry+json", "application/json"}
_CONSUMED = _JSON_TYPES | {"application/octet-stream"}  # what Confluent's resources consume
_ACCEPTABLE = _JSON_TYPES | {"*/*", "application/*"}


def _json(data: Any, status: int = 200) -> Response:
    text = data.text if isinstance(data, routes.RawSchema) else json.dumps(data)
    return Response(text, status_code=status, media_type=CONTENT_TYPE)


def _error(status: int, code: int, message: str) -> Response:
    return _json({"error_code": code, "message": message}, status)


def _media_types(header: str) -> set[str]:
    """The media types of a Content-Type or Accept header, without parameters, lower case."""
    return {part.split(";")[0].strip().lower() for part in header.split(",") if part.strip()}


def _refusal(request: Request) -> Response | None:
    """Jersey's answers (Confluent's REST layer) to a body or an Accept it cannot serve."""
    accept = request.headers.get("accept")
    if accept and not _media_types(accept) & _ACCEPTABLE:
        return _error(406, 406, "HTTP 406 Not Acceptable")
    kind = request.headers.get("content-type")
    if request.method in ("POST", "PUT") and kind and not _media_types(kind) <= _CONSUMED:
        return _error(415, 415, "HTTP 415 Unsupported Media Type")
    return None


async def _read_body(request: Request, limit: int) -> bytes | Response:
    """The body, or 413 past `limit` bytes (read no further than that)."""
    too_large = _error(413, 413, f"HTTP 413 Request Entity Too Large (at most {limit} bytes)")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return too_large
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            return too_large
    return raw


Inline = Callable[[Registry, routes.Call], bool]
"""Whether a request may run on the event loop instead of the thread pool (see `_ROUTES`)."""


def _read(registry: Registry, call: routes.Call) -> bool:
    # One short SQLite read snapshot: in WAL mode a reader never waits for a writer.
    return True


def _known_schema(registry: Registry, call: routes.Call) -> bool:
    # A look-up of a schema text parsed before (the usual one: clients repeat theirs) is a memo
    # hit and a read; a new text is parsed first, which may take long: the thread pool's work.
    body = call.body if isinstance(call.body, dict) else {}
    text = body.get("schema")
    return (
        isinstance(text, str)
        and not body.get("references")
        and registry.cache.has_candidate(text, ())
    )


def _endpoint(
    handler: routes.Handler, inline: Inline | None, registry: Registry, max_body: int
) -> Any:
    async def endpoint(request: Request) -> Response:
        if (refused := _refusal(request)) is not None:
            return refused
        body: Any = None
        if request.method in ("POST", "PUT"):
            raw = await _read_body(request, max_body)
            if isinstance(raw, Response):
                return raw
            try:
                body = json.loads(raw) if raw else None
            except RecursionError:
                return _error(422, 422, "Unprocessable JSON in the request body: nested too deeply")
            except ValueError:
                return _error(400, 400, "Unrecognized JSON in the request body")
        call = routes.Call(dict(request.path_params), dict(request.query_params), body)
        try:
            # The thread pool's hand-off costs more than a read: reads stay on the event loop.
            if inline is not None and inline(registry, call):
                return _json(handler(registry, call))
            return _json(await run_in_threadpool(handler, registry, call))
        except RegistryError as exc:
            return _error(exc.status, exc.error_code, exc.message)
        except RecursionError:  # a schema or body nested deeper than any handler can walk
            return _error(422, 42201, "Invalid schema: the schema is nested too deeply")

    return endpoint


def _raw_segments(scope: Scope) -> list[str]:
    """The request path split on `/` *before* percent-decoding, each segment then decoded.

    Starlette matches on the decoded path, where a subject `a/b` (sent as `a%2Fb`, as
    Confluent's clients do) would look like two segments. A trailing slash is ignored.
    Kept in the scope: every route tried in turn asks for them.
    """
    known: list[str] | None = scope.get(_SEGMENTS)
    if known is not None:
        return known
    raw: bytes | None = scope.get("raw_path")
    if raw is None:
        segments = str(scope["path"]).split("/")
    else:
        root = str(scope.get("root_path", "")).encode()
        if root and raw.startswith(root):
            raw = raw[len(root) :]
        segments = [unquote_to_bytes(s).decode("utf-8", "replace") for s in raw.split(b"/")]
    if len(segments) > 2 and segments[-1] == "":
        segments.pop()
    scope[_SEGMENTS] = segments
    return segments


_SEGMENTS = "contractgen.raw_segments"


class RawPathRoute(Route):
    """A route matched segment by segment on the raw path, so `%2F` stays inside a parameter."""

    @functools.cached_property
    def segments(self) -> list[str]:
        return self.path.split("/")

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        pattern = self.segments
        segments = _raw_segments(scope)
        if len(segments) != len(pattern):
            return Match.NONE, {}
        params: dict[str, str] = {}
        for want, got in zip(pattern, segments, strict=True):
            if want.startswith("{") and want.endswith("}"):
                if not got:
                    return Match.NONE, {}
                params[want[1:-1]] = got
            elif want != got:
                return Match.NONE, {}
        child: Scope = {"endpoint": self.endpoint, "path_params": params}
        if self.methods and scope["method"] not in self.methods:
            return Match.PARTIAL, child
        return Match.FULL, child


_ROUTES: list[tuple[str, routes.Handler, str, Inline | None]] = [
    ("/subjects", routes.list_subjects, "GET", _read),
    ("/subjects/{subject}", routes.lookup, "POST", _known_schema),
    ("/subjects/{subject}", routes.delete_subject, "DELETE", None),
    ("/subjects/{subject}/versions", routes.list_versions, "GET", _read),
    ("/subjects/{subject}/versions", routes.register, "POST", None),
    ("/subjects/{subject}/versions/{version}", routes.get_version, "GET", _read),
    ("/subjects/{subject}/versions/{version}", routes.delete_version, "DELETE", None),
    ("/subjects/{subject}/versions/{version}/schema", routes.get_version_schema, "GET", _read),
    ("/subjects/{subject}/versions/{version}/referencedby", routes.referenced_by, "GET", _read),
    ("/schemas/ids/{id}", routes.get_schema, "GET", _read),
    ("/schemas/ids/{id}/schema", routes.get_schema_text, "GET", _read),
    ("/schemas/ids/{id}/subjects", routes.schema_subjects, "GET", _read),
    ("/schemas/ids/{id}/versions", routes.schema_versions, "GET", _read),
    ("/schemas/types", routes.schema_types, "GET", _read),
    ("/config", routes.get_config, "GET", _read),
    ("/config", routes.put_config, "PUT", None),
    ("/config", routes.delete_config, "DELETE", None),
    ("/config/{subject}", routes.get_config, "GET", _read),
    ("/config/{subject}", routes.put_config, "PUT", None),
    ("/config/{subject}", routes.delete_config, "DELETE", None),
    ("/mode", routes.get_mode, "GET", _read),
    ("/mode", routes.put_mode, "PUT", None),
    ("/mode", routes.delete_mode, "DELETE", None),
    ("/mode/{subject}", routes.get_mode, "GET", _read),
    ("/mode/{subject}", routes.put_mode, "PUT", None),
    ("/mode/{subject}", routes.delete_mode, "DELETE", None),
    ("/compatibility/subjects/{subject}/versions", routes.check_compatibility, "POST", None),
    (
        "/compatibility/subjects/{subject}/versions/{version}",
        routes.check_compatibility,
        "POST",
        None,
    ),
]


class BasicAuth:
    """Optional HTTP basic auth for every request (401 with Confluent's error body otherwise)."""

    def __init__(self, app: ASGIApp, credentials: tuple[str, str]) -> None:
        self.app = app
        user, password = credentials
        self._expected = base64.b64encode(f"{user}:{password}".encode()).decode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._authorized(scope):
            response = _error(401, 40101, "Unauthorized")
            response.headers["WWW-Authenticate"] = 'Basic realm="contractgen"'
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                try:
                    base64.b64decode(token, validate=True)
                except (binascii.Error, ValueError):
                    return False
                return scheme.lower() == "basic" and hmac.compare_digest(token, self._expected)
        return False


async def _http_error(request: Request, exc: Exception) -> Response:
    # Unknown paths and methods: Confluent (Jersey) answers with the status as the error code.
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return _error(status, status, f"HTTP {status} {getattr(exc, 'detail', '')}".strip())


async def _internal_error(request: Request, exc: Exception) -> Response:
    return _error(500, 50001, f"Error in the backend datastore: {type(exc).__name__}: {exc}")


async def _root(request: Request) -> Response:
    return _json({})


def create_app(
    registry: Registry,
    *,
    credentials: tuple[str, str] | None = None,
    max_body: int = MAX_BODY,
) -> Starlette:
    """The REST app over `registry`; `credentials` (user, password) turns on basic auth;
    request bodies over `max_body` bytes are refused (413)."""
    middleware = [] if credentials is None else [Middleware(BasicAuth, credentials=credentials)]
    app_routes = [
        RawPathRoute(path, _endpoint(handler, inline, registry, max_body), methods=[method])
        for path, handler, method, inline in _ROUTES
    ]
    app_routes.append(RawPathRoute("/", _root, methods=["GET"]))
    return Starlette(
        routes=app_routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )
