"""`RegistryClient` for a remote registry over HTTP.

Built on confluent-kafka's `SchemaRegistryClient`, which brings basic and bearer/OAuth auth, TLS
(CA, client certificate), retries with backoff on 5xx/408/429 and transport errors, and caching of
content-addressed answers (ids, look-ups). Where it drops information (verbose compatibility
messages) or caches what may change (`latest`, levels), the same REST session is called directly,
so auth, TLS and retries stay identical.

Dialects: Karapace answers `latest` on an empty subject with 404/40402 where Confluent answers
compatible, and rejects an incompatible registration with error_code 409 instead of 40901; both are
read as Confluent's answers. Verdicts and codes are used, never a registry's wording.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote

from confluent_kafka.schema_registry import Schema as ConfluentSchema
from confluent_kafka.schema_registry import SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from contractgen.ir.model import Level
from contractgen.registry.client import RegisteredVersion, Verdict, VersionSpec
from contractgen.registry.embedded.store import Reference
from contractgen.registry.errors import (
    NotARegistry,
    RegistryAuthError,
    RegistryError,
    RegistryUnreachable,
    excerpt,
)
from contractgen.registry.redact import Redactor

try:  # the HTTP library confluent-kafka itself uses (httpx2 from 2.16, httpx before)
    from confluent_kafka.schema_registry.common._httpx_compat import httpx as _confluent_httpx
except ImportError:  # pragma: no cover - older confluent-kafka
    import httpx as _confluent_httpx  # type: ignore[no-redef]

_TransportError: type[Exception] = _confluent_httpx.TransportError
_T = TypeVar("_T")
_ABSENT = (40401, 40402, 40403, 40408)
_UNKNOWN_ERROR = "Unknown Schema Registry Error: "
"""confluent-kafka's message for an error answer without a registry's JSON body (`+ str(bytes)`)."""


def _body_text(message: str) -> str:
    """The body confluent-kafka quotes after `_UNKNOWN_ERROR` (as a bytes repr), as text."""
    if not message.startswith(_UNKNOWN_ERROR):
        return message
    quoted = message.removeprefix(_UNKNOWN_ERROR)
    try:
        body = ast.literal_eval(quoted)
    except (ValueError, SyntaxError):
        return quoted
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else quoted


def _path(subject: str) -> str:
    return quote(subject, safe="")


def _references(refs: tuple[Reference, ...]) -> list[SchemaReference]:
    return [SchemaReference(r.name, r.subject, r.version) for r in refs]


def _version(body: dict[str, Any]) -> RegisteredVersion:
    refs = tuple(
        Reference(r["name"], r["subject"], int(r["version"])) for r in body.get("references") or ()
    )
    return RegisteredVersion(
        body["subject"], int(body["version"]), int(body["id"]), body["schema"], refs
    )


class HttpRegistryClient:
    def __init__(self, conf: dict[str, Any], redactor: Redactor) -> None:
        """`conf`: confluent-kafka's client configuration (see `connect.http_conf`)."""
        self._redact = redactor
        self.url = conf["url"]
        self._client = SchemaRegistryClient(conf)
        # The client's own REST session: direct calls share its auth, TLS and retries.
        self._rest = self._client._rest_client

    @property
    def display_url(self) -> str:
        return self._redact.url(self.url)

    def _not_a_registry(self, answer: str, body: str) -> NotARegistry:
        shown = excerpt(self._redact.text(body)) or "an empty body"
        return NotARegistry(
            f"the server at {self.display_url} answered {answer}, not as a Schema Registry does "
            f"({shown!r}): it does not look like a Schema Registry; check the registry URL "
            "(CONTRACTGEN_REGISTRY_URL, SCHEMA_REGISTRY_URL or `registry.url`) and that the "
            "registry behind it is up"
        )

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except SchemaRegistryError as exc:
            status = int(exc.http_status_code)
            if not isinstance(exc.error_code, int) or exc.error_code < 0:
                # No `{"error_code", "message"}` body: an HTML page, a proxy's error, ...
                body = _body_text(str(exc.error_message or ""))
                raise self._not_a_registry(f"HTTP {status}", body) from None
            message = self._redact.text(str(exc.error_message))
            if status in (401, 403):
                what = "rejected the credentials" if status == 401 else "denied the request"
                raise RegistryAuthError(
                    status,
                    int(exc.error_code),
                    f"the schema registry at {self.display_url} {what} ({message}); set "
                    "CONTRACTGEN_REGISTRY_USER/CONTRACTGEN_REGISTRY_PASSWORD or "
                    "CONTRACTGEN_REGISTRY_TOKEN",
                ) from None
            code = 40901 if status == 409 else int(exc.error_code)
            raise RegistryError(status, code, message) from None
        except json.JSONDecodeError as exc:  # a success status with a body that is not JSON
            raise self._not_a_registry("with a body that is not JSON", exc.doc) from None
        except _TransportError as exc:
            detail = self._redact.text(f"{type(exc).__name__}: {exc}")
            raise RegistryUnreachable(
                f"cannot reach the schema registry at {self.display_url} ({detail})"
            ) from None

    def _get(self, path: str, query: dict[str, Any] | None = None) -> Any:
        with self._errors():
            return self._rest.get(path, query)

    def _absent_is(self, default: _T, call: Callable[[], _T]) -> _T:
        try:
            return call()
        except RegistryError as exc:
            if exc.status == 404 and exc.error_code in _ABSENT:
                return default
            raise

    def subjects(self) -> list[str]:
        return list(self._get("subjects"))

    def versions(self, subject: str) -> list[int]:
        return self._absent_is([], lambda: list(self._get(f"subjects/{_path(subject)}/versions")))

    def get_version(
        self, subject: str, version: VersionSpec = "latest"
    ) -> RegisteredVersion | None:
        path = f"subjects/{_path(subject)}/versions/{version}"
        return self._absent_is(None, lambda: _version(self._get(path)))

    def lookup(
        self, subject: str, schema: str, *, references: tuple[Reference, ...] = ()
    ) -> RegisteredVersion | None:
        def call() -> RegisteredVersion:
            with self._errors():
                found = self._client.lookup_schema(
                    subject, ConfluentSchema(schema, "AVRO", _references(references))
                )
            if found.version is None:
                _missing(subject)
            return self.get_version(subject, found.version) or _missing(subject)

        return self._absent_is(None, call)

    def register(
        self,
        subject: str,
        schema: str,
        *,
        references: tuple[Reference, ...] = (),
        normalize: bool = False,
    ) -> RegisteredVersion:
        with self._errors():
            self._client.register_schema_full_response(
                subject,
                ConfluentSchema(schema, "AVRO", _references(references)),
                normalize_schemas=normalize,
            )
        # Confluent answers only the id; the look-up gives the version and the stored string.
        return self.lookup(subject, schema, references=references) or _missing(subject)

    def check(
        self,
        subject: str,
        schema: str,
        *,
        version: VersionSpec | None = None,
        references: tuple[Reference, ...] = (),
    ) -> Verdict:
        path = f"compatibility/subjects/{_path(subject)}/versions"
        if version is not None:
            path += f"/{version}"
        body: dict[str, Any] = {"schema": schema}
        if references:
            body["references"] = [
                {"name": r.name, "subject": r.subject, "version": r.version} for r in references
            ]
        try:
            with self._errors():
                answer = self._rest.post(f"{path}?verbose=true", body=body)
        except RegistryError as exc:
            # Karapace: 404 for `latest` (or the level check) on a subject with no versions,
            # where Confluent answers compatible.
            empty = exc.status == 404 and exc.error_code in (40401, 40402)
            if empty and version in (None, "latest") and not self.versions(subject):
                return Verdict(True)
            raise
        messages = answer.get("messages") or ()
        return Verdict(bool(answer["is_compatible"]), tuple(str(m) for m in messages))

    def subject_level(self, subject: str) -> Level | None:
        def call() -> Level | None:
            body = self._get(f"config/{_path(subject)}")
            return Level(body["compatibilityLevel"]) if body.get("compatibilityLevel") else None

        return self._absent_is(None, call)

    def global_level(self) -> Level:
        return Level(self._get("config")["compatibilityLevel"])

    def set_subject_level(self, subject: str, level: Level) -> None:
        with self._errors():
            self._rest.put(f"config/{_path(subject)}", body={"compatibility": level.value})

    def close(self) -> None:
        self._client.close()


def _missing(subject: str) -> NoReturn:
    # The registry accepted the schema but cannot show it: a registry bug worth a clear error.
    raise RegistryError(500, 50001, f"the registry lost the schema just registered in {subject}")
