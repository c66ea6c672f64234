"""`RegistryClient` for a remote registry over HTTP.

Built on confluent-kafka's REST session, which brings basic and bearer/OAuth auth, TLS (CA,
client certificate) and retries with backoff on 5xx/408/429 and transport errors. Every call is
a direct REST call whose answer is checked for the shape Confluent documents: a success status
with another shape is an `UnexpectedAnswer` naming the route, never a traceback or a guess.
Every request has a total deadline (`deadline.py`), and every text from the server is redacted.

Dialects, each proven by a fake in tests/registry/ (Karapace 6.2.0 replays a recording; Redpanda
and Apicurio follow their published source): a missing all-versions compatibility route
(Karapace's bare `"Not Found"`, Redpanda's HTTP server's 404 without `error_code`) makes
per-version checks, newest first, and the verdict says so (`Verdict.dialect_note`); `latest` on a
subject without live versions (40402, 40401) is no baseline; a rejected registration with
error_code 409 reads as 40901; `messages` may come without `verbose`, or unordered; Apicurio's
NONE for a subject without a level of its own is asked again with `defaultToGlobal`, its 404 on
modes means no modes, and its all-versions check failing under a level that is not transitive
(it checks older versions too) is settled by `latest`.
Verdicts and codes are used, never a registry's wording.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Level
from contractgen.registry import deadline
from contractgen.registry.client import RegisteredVersion, Verdict, VersionSpec
from contractgen.registry.embedded.store import Reference
from contractgen.registry.error_bodies import bare_string, body_text, route_not_found
from contractgen.registry.errors import (
    NotARegistry,
    RegistryAuthError,
    RegistryError,
    RegistryUnreachable,
    RouteMissing,
    UnexpectedAnswer,
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
_ABSENT_ANSWER: Any = object()
"""What `_absent_is` gives for "not there" (a 404 with one of `_ABSENT`), unlike a `null` body."""
_TLS_PROBLEM = (
    "the registry's TLS files cannot be used: check CONTRACTGEN_REGISTRY_CA, "
    "CONTRACTGEN_REGISTRY_CERT, CONTRACTGEN_REGISTRY_KEY and CONTRACTGEN_REGISTRY_KEY_PASSWORD"
)
_LEVEL_VALUES = frozenset(level.value for level in Level)
_LEVELS = ", ".join(level.value for level in Level)


def _path(subject: str) -> str:
    return quote(subject, safe="")


def _refs_body(refs: tuple[Reference, ...]) -> list[dict[str, Any]]:
    return [{"name": r.name, "subject": r.subject, "version": r.version} for r in refs]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class HttpRegistryClient:
    def __init__(
        self,
        conf: dict[str, Any],
        redactor: Redactor,
        *,
        request_timeout: float = 10.0,
        command_deadline: float | None = None,
    ) -> None:
        """`conf`: confluent-kafka's client configuration (see `connect.http_conf`).

        `request_timeout`: the total time of one HTTP attempt; `command_deadline`: the monotonic
        time after which no request starts or continues (the command's `--timeout`).
        """
        self._redact = redactor
        self.url = conf["url"]
        try:
            self._client = SchemaRegistryClient(conf)
        except (OSError, ValueError) as error:  # ssl.SSLError is an OSError
            reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
            raise ContractError([Diagnostic("CFG005", _TLS_PROBLEM + f" ({reason})")]) from None
        # The client's own REST session: its auth, TLS and retries, with our deadlines.
        self._rest = self._client._rest_client
        self._command_deadline = command_deadline
        self._command_timeout = (
            None if command_deadline is None else round(command_deadline - time.monotonic())
        )
        session = self._rest.session
        deadline.install(session)
        send = session.request

        def request(*args: Any, **kwargs: Any) -> Any:
            with deadline.deadline(request_timeout, command_deadline):
                return send(*args, **kwargs)

        session.request = request  # type: ignore[method-assign]  # one hook, per attempt

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

    def _unexpected(self, route: str, body: Any, expected: str) -> UnexpectedAnswer:
        shown = excerpt(self._redact.text(json.dumps(body)), 80)
        return UnexpectedAnswer(
            f"the schema registry at {self.display_url} answered {route} with {shown}, "
            f"expected {expected}; is this registry Confluent-compatible?"
        )

    def _error(self, exc: SchemaRegistryError, route: str) -> Exception:
        status = int(exc.http_status_code)
        if not isinstance(exc.error_code, int) or exc.error_code < 0:
            body = body_text(str(exc.error_message or ""))
            bare = bare_string(body) or route_not_found(exc)
            if bare is None:  # an HTML page, a proxy's error, ...
                return self._not_a_registry(f"{route} with HTTP {status}", body)
            # A registry built on a web framework (Karapace, Redpanda): a route or method it lacks.
            text = self._redact.text(bare)
            if status == 404:
                return RouteMissing(404, 404, f"{route} is not served by this registry ({text})")
            return RegistryError(status, status, f"{route}: {text}")
        message = self._redact.text(str(exc.error_message))
        if status in (401, 403):
            what = "rejected the credentials" if status == 401 else "denied the request"
            return RegistryAuthError(
                status,
                int(exc.error_code),
                f"the schema registry at {self.display_url} {what} ({message}); set "
                "CONTRACTGEN_REGISTRY_USER/CONTRACTGEN_REGISTRY_PASSWORD or "
                "CONTRACTGEN_REGISTRY_TOKEN",
            )
        # Karapace rejects an incompatible registration with error_code 409, Confluent 40901.
        code = 40901 if status == 409 and exc.error_code == 409 else int(exc.error_code)
        return RegistryError(status, code, message)

    @contextmanager
    def _errors(self, route: str) -> Iterator[None]:
        try:
            yield
        except SchemaRegistryError as exc:
            raise self._error(exc, route) from None
        except json.JSONDecodeError as exc:  # a success status with a body that is not JSON
            raise self._not_a_registry(f"{route} with a body that is not JSON", exc.doc) from None
        except deadline.DeadlineExceeded:
            raise RegistryUnreachable(
                f"gave up on the schema registry at {self.display_url} at {route}: the command's "
                f"deadline passed (--timeout {self._command_timeout} s)"
            ) from None
        except _TransportError as exc:
            detail = self._redact.text(f"{type(exc).__name__}: {exc}")
            raise RegistryUnreachable(
                f"cannot reach the schema registry at {self.display_url} at {route} ({detail})"
            ) from None

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        route = f"{method} /{path.partition('?')[0]}"
        with self._errors(route):
            if method == "GET":
                return self._rest.get(path)
            if method == "PUT":
                return self._rest.put(path, body=body)
            return self._rest.post(path, body=body)

    def _absent_is(self, default: _T, call: Callable[[], _T]) -> _T:
        try:
            return call()
        except RegistryError as exc:
            if exc.status == 404 and exc.error_code in _ABSENT:
                return default
            raise

    def _version(self, route: str, body: Any) -> RegisteredVersion:
        expected = "an object with subject, version, id and schema"
        if not isinstance(body, dict):
            raise self._unexpected(route, body, expected)
        subject, version, schema_id, schema = (
            body.get(k) for k in ("subject", "version", "id", "schema")
        )
        refs_body = body.get("references") or []
        if not (
            isinstance(subject, str) and isinstance(version, int) and isinstance(schema_id, int)
            and isinstance(schema, str) and isinstance(refs_body, list)
            and _is_int(version) and _is_int(schema_id)
        ):  # fmt: skip
            raise self._unexpected(route, body, expected)
        try:
            refs = tuple(
                Reference(str(r["name"]), str(r["subject"]), int(r["version"])) for r in refs_body
            )
        except (KeyError, TypeError, ValueError):
            raise self._unexpected(route, body, "references as name, subject and version") from None
        return RegisteredVersion(subject, version, schema_id, schema, refs)

    def subjects(self) -> list[str]:
        found = self._call("GET", "subjects")
        if not isinstance(found, list) or not all(isinstance(s, str) for s in found):
            raise self._unexpected("GET /subjects", found, "a list of subject names")
        return found

    def versions(self, subject: str) -> list[int]:
        path = f"subjects/{_path(subject)}/versions"
        found = self._absent_is(_ABSENT_ANSWER, lambda: self._call("GET", path))
        if found is _ABSENT_ANSWER:
            return []
        if not isinstance(found, list) or not all(_is_int(v) for v in found):
            raise self._unexpected(f"GET /{path}", found, "a list of version numbers")
        return sorted(found)

    def get_version(
        self, subject: str, version: VersionSpec = "latest"
    ) -> RegisteredVersion | None:
        path = f"subjects/{_path(subject)}/versions/{version}"
        found = self._absent_is(_ABSENT_ANSWER, lambda: self._call("GET", path))
        return None if found is _ABSENT_ANSWER else self._version(f"GET /{path}", found)

    def lookup(
        self, subject: str, schema: str, *, references: tuple[Reference, ...] = ()
    ) -> RegisteredVersion | None:
        path = f"subjects/{_path(subject)}"
        body: dict[str, Any] = {"schema": schema}
        if references:
            body["references"] = _refs_body(references)
        found = self._absent_is(_ABSENT_ANSWER, lambda: self._call("POST", path, body))
        if found is _ABSENT_ANSWER:
            return None
        number = self._version(f"POST /{path}", found).version
        # The look-up answer may leave references out (Karapace): the version itself has them.
        return self.get_version(subject, number) or _missing(subject)

    def register(
        self,
        subject: str,
        schema: str,
        *,
        references: tuple[Reference, ...] = (),
        normalize: bool = False,
    ) -> RegisteredVersion:
        path = f"subjects/{_path(subject)}/versions"
        body: dict[str, Any] = {"schema": schema}
        if references:
            body["references"] = _refs_body(references)
        answer = self._call("POST", path + ("?normalize=true" if normalize else ""), body)
        if not isinstance(answer, dict) or not _is_int(answer.get("id")):
            raise self._unexpected(f"POST /{path}", answer, 'an object with the schema "id"')
        # Confluent answers only the id; the look-up gives the version and the stored string.
        return self.lookup(subject, schema, references=references) or _missing(subject)

    def _verdict(self, path: str, body: dict[str, Any]) -> Verdict:
        answer = self._call("POST", f"{path}?verbose=true", body)
        expected = 'an object with a boolean "is_compatible" (and optional "messages")'
        if not isinstance(answer, dict) or not isinstance(answer.get("is_compatible"), bool):
            raise self._unexpected(f"POST /{path}", answer, expected)
        messages = answer.get("messages") or []
        if not isinstance(messages, list):
            raise self._unexpected(f"POST /{path}", answer, expected)
        said = tuple(
            self._redact.text(m if isinstance(m, str) else json.dumps(m)) for m in messages
        )
        return Verdict(answer["is_compatible"], said)

    def check(
        self,
        subject: str,
        schema: str,
        *,
        version: VersionSpec | None = None,
        references: tuple[Reference, ...] = (),
    ) -> Verdict:
        path = f"compatibility/subjects/{_path(subject)}/versions"
        body: dict[str, Any] = {"schema": schema}
        if references:
            body["references"] = _refs_body(references)
        if version is None:
            try:
                verdict = self._verdict(path, body)
            except RouteMissing:
                return self._check_each_version(subject, path, body)
            except RegistryError as exc:
                if exc.status == 404 and exc.error_code in (40401, 40402):
                    return Verdict(True)  # nothing registered yet: no baseline
                raise
            if verdict.is_compatible:
                return verdict
            return self._latest_decides(subject, path, body, verdict)
        try:
            return self._verdict(f"{path}/{version}", body)
        except RegistryError as exc:
            # `latest` without live versions (Karapace 40402, Redpanda 40401): no baseline.
            empty = exc.status == 404 and exc.error_code in (40401, 40402)
            if empty and version == "latest" and not self.versions(subject):
                return Verdict(True)
            raise

    def _latest_decides(
        self, subject: str, path: str, body: dict[str, Any], verdict: Verdict
    ) -> Verdict:
        """An incompatible all-versions verdict under a level that is not transitive, which means
        "against the latest version": Apicurio's all-versions check also fails on older versions
        (its registration does not), so the latest version is asked; Confluent's verdicts agree."""
        level = self.subject_level(subject) or self.global_level()
        if level is Level.NONE or level.value.endswith("_TRANSITIVE"):
            return verdict
        if not self._verdict(f"{path}/latest", body).is_compatible:
            return verdict
        return Verdict(
            True,
            (),
            "this registry's all-versions compatibility check (POST /compatibility/subjects/"
            f"{{subject}}/versions) failed on a version older than the latest, which {level} "
            "does not check: the verdict is its check against the latest version",
        )

    def _check_each_version(self, subject: str, path: str, body: dict[str, Any]) -> Verdict:
        """No all-versions route (Karapace, Redpanda): the subject's level decides which versions
        count (the latest, or every one under a transitive level), checked newest first."""
        level = self.subject_level(subject) or self.global_level()
        numbers = self.versions(subject)
        if level is Level.NONE or not numbers:
            return Verdict(True)
        transitive = level.value.endswith("_TRANSITIVE")
        against = list(reversed(numbers)) if transitive else numbers[-1:]
        note = (
            "this registry has no all-versions compatibility check (POST /compatibility/subjects/"
            "{subject}/versions); its verdict was assembled from per-version checks at "
            f"{level}"
        )
        if transitive:
            # A per-version answer may cover other versions: under a transitive level Karapace
            # ignores the version and reports whichever failed, Redpanda checks the version and
            # every newer one (all of them when transitive). Which one failed is the engine's.
            note += (
                "; its answer for one version may cover others, so contractgen's engine names "
                "the version that fails"
            )
        for number in against:
            verdict = self._verdict(f"{path}/{number}", body)
            if not verdict.is_compatible:
                return Verdict(False, verdict.messages, note)
        return Verdict(True, (), note)

    def _level(self, route: str, body: Any) -> Level:
        if isinstance(body, dict):
            value = body.get("compatibilityLevel", body.get("compatibility"))
            if isinstance(value, str) and value.upper() in _LEVEL_VALUES:
                return Level(value.upper())
        raise self._unexpected(route, body, f'{{"compatibilityLevel": one of {_LEVELS}}}')

    def subject_level(self, subject: str) -> Level | None:
        path = f"config/{_path(subject)}"
        found = self._absent_is(_ABSENT_ANSWER, lambda: self._call("GET", path))
        if found is _ABSENT_ANSWER:
            return None
        level = self._level(f"GET /{path}", found)
        if level is Level.NONE:
            # Apicurio answers NONE for a subject without a level of its own, and checks it at
            # the global level: asked with `defaultToGlobal`, it names the level it applies. A
            # subject whose own level is NONE reads NONE either way.
            applied = self._call("GET", f"{path}?defaultToGlobal=true")
            level = self._level(f"GET /{path}", applied)
        return level

    def global_level(self) -> Level:
        return self._level("GET /config", self._call("GET", "config"))

    def mode(self, subject: str | None = None) -> str | None:
        path = "mode" if subject is None else f"mode/{_path(subject)}"
        try:
            found = self._call("GET", path)
        except RegistryError as exc:
            # 40409 (no mode of its own), 40401, or a registry that serves no modes: Karapace's
            # bare "Not Found", Apicurio's "Operation not supported." with error_code 0.
            if exc.status == 404:
                return None
            raise
        if not isinstance(found, dict) or not isinstance(found.get("mode"), str):
            raise self._unexpected(f"GET /{path}", found, '{"mode": READWRITE, READONLY or IMPORT}')
        return str(found["mode"])

    def set_subject_level(self, subject: str, level: Level) -> None:
        self._call("PUT", f"config/{_path(subject)}", {"compatibility": level.value})

    def close(self) -> None:
        self._client.close()


def _missing(subject: str) -> NoReturn:
    # The registry accepted the schema but cannot show it: a registry bug worth a clear error.
    raise RegistryError(500, 50001, f"the registry lost the schema just registered in {subject}")
