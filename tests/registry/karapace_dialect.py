"""A registry that answers in Karapace 6.2.0's shapes: the embedded registry's state behind a
thin layer that rewrites requests and answers the way the recording shows Karapace does.

Every rule below cites the steps of `replay/karapace-6.2.0.jsonl` it comes from, and
`test_karapace_replay.py` replays all 247 recorded steps against this server and requires the
recorded answers: a rule that drifts from the recording fails there. What the layer does not
reproduce (Karapace's own Avro parser and id allocation, FastAPI's validation lists) is listed
with its reason in that test, so the repo's own contracts (which are not in the recording) can
be run against a registry that is proven to answer like Karapace where the client depends on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from starlette.types import Scope

from contractgen.ir.model import Level
from contractgen.registry.errors import RegistryError
from tests.registry.dialect_layer import (
    JSON,
    SR_JSON,
    Answer,
    DialectLayer,
    error,
    references,
    serve_dialect,
    subject_not_found,
)

RECORDING = Path(__file__).parent / "replay" / "karapace-6.2.0.jsonl"
_INFO = re.compile(r"additionalInfo:'(.*)'\}$")
_TYPES = "NULL|BOOLEAN|INT|LONG|FLOAT|DOUBLE|BYTES|STRING|RECORD|ENUM|ARRAY|MAP|UNION|FIXED"
_UPPER_TYPE = re.compile(rf"\b({_TYPES})\b")


_NOT_ALLOWED = {("DELETE", "config"), ("POST", "subjects")}
_SUBJECT_LEVEL_ERROR = "Invalid compatibility level"
_GLOBAL_LEVEL_ERROR = (
    "Invalid compatibility level. Valid values are none, backward, forward, full, "
    "backward_transitive, forward_transitive, and full_transitive"
)

_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def _full_names(node: Any, space: str | None) -> Any:
    """Type names written out in full, as Karapace's parser writes them (192-194, 199), where
    Avro Java's canonical string leaves a name in the enclosing namespace short."""
    if isinstance(node, str):
        short = node not in _PRIMITIVES and "." not in node and space
        return f"{space}.{node}" if short else node
    if isinstance(node, list):
        return [_full_names(branch, space) for branch in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind in ("record", "error", "enum", "fixed"):
        name = str(node["name"])
        space = name.rpartition(".")[0] or node.get("namespace", space)
    out = dict(node)
    if kind in ("record", "error"):
        out["fields"] = [{**f, "type": _full_names(f["type"], space)} for f in node["fields"]]
    elif kind == "array":
        out["items"] = _full_names(node["items"], space)
    elif kind == "map":
        out["values"] = _full_names(node["values"], space)
    elif kind not in ("enum", "fixed"):  # {"type": <a type>}: a primitive or a name
        out["type"] = _full_names(kind, space)
    return out


def _sorted_schema(text: str) -> str:
    """Karapace returns schemas as compact JSON with keys sorted (README of the recording)."""
    try:
        parsed = _full_names(json.loads(text), None)
    except ValueError:
        return text
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"))


def _short(messages: list[str]) -> list[str]:
    """Confluent-style verbose messages as Karapace's Python checker words them (98-101, 154):
    the `additionalInfo` only, type names in lower case, no version/schema/config entries."""
    out = []
    for message in messages:
        found = _INFO.search(message)
        if found and message.startswith("{errorType:"):
            out.append(_UPPER_TYPE.sub(lambda m: m[1].lower(), found[1]))
    return out


class KarapaceDialect(DialectLayer):
    """ASGI app: the embedded registry's app, answering as Karapace 6.2.0 does."""

    async def _answer(self, scope: Scope, body: bytes) -> Answer:
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        method = scope["method"]
        parts = scope["path"].rstrip("/").split("/")[1:]
        if headers.get("accept", "").startswith("text/html"):  # 243-244
            return 406, SR_JSON, {"message": "HTTP 406 Not Acceptable"}
        if body and headers.get("content-type", "").startswith("text/plain"):  # 44
            return 415, SR_JSON, {"message": "HTTP 415 Unsupported Media Type"}
        route = (method, *parts)
        if route in _NOT_ALLOWED or (method, *parts[:1]) == ("PUT", "mode"):  # 4, 10, 89, 247
            return 405, JSON, "Method Not Allowed"
        ids = parts[:2] == ["schemas", "ids"]
        if ids and len(parts) == 4 and parts[3] in ("schema", "subjects"):  # 69, 71, 73
            return 404, JSON, "Not Found"
        if ids and len(parts) >= 3 and not parts[2].isdigit():  # 75
            return error(404, 404, "HTTP 404 Not Found")
        if route == ("GET", "schemas", "types"):  # 11: what Karapace serves
            return 200, SR_JSON, ["JSON", "AVRO", "PROTOBUF"]
        if parts[:1] == ["compatibility"]:
            return await self._compatibility(scope, body, parts)
        if parts[:1] == ["config"]:
            return await self._config(scope, body, method, parts[1] if len(parts) > 1 else None)
        if method == "GET" and parts[:1] == ["mode"] and len(parts) == 2:  # 15, 88
            if not self._versions(parts[1]):
                return subject_not_found(parts[1])
            return (
                200,
                SR_JSON,
                {"mode": self.registry.settings.get_mode(parts[1], default_to_global=True)},
            )
        status, answer = await self._inner(scope, body)
        if ids and parts[3:] == ["versions"] and status == 404:  # 74
            return 200, SR_JSON, []
        if method == "POST" and parts[2:] == ["versions"] and status == 409:
            return self._incompatible(parts[1], json.loads(body))
        return status, SR_JSON, _reshape(answer, lookup=method == "POST" and len(parts) == 2)

    def _verdict(
        self, subject: str, request: dict[str, Any], version: str | int
    ) -> tuple[bool, list[str]]:
        """The embedded verdict in Karapace's words. Under *_TRANSITIVE Karapace ignores the
        version in the URL and reports an older failing version (134-135, 148-149, 154-155):
        every version is checked, oldest first."""
        transitive = self._level(subject).value.endswith("_TRANSITIVE")
        for number in self._versions(subject) if transitive else [version]:
            verdict = self.registry.check(
                subject, request["schema"], references(request), version=number, verbose=True
            )
            if not verdict.is_compatible:
                return False, _short(verdict.messages)
        return True, []

    async def _compatibility(self, scope: Scope, body: bytes, parts: list[str]) -> Answer:
        if len(parts) == 4:  # the all-versions route is missing (20-21, 96-97, ...)
            return 404, JSON, "Not Found"
        subject, version = parts[2], parts[4]
        if version not in ("latest", "-1") and not version.isdigit():  # 177
            return 500, "text/plain", "Internal Server Error"
        if not self._versions(subject):  # 18-19, 22-23, 178, 224
            return error(404, 40402, f"Version {version.replace('latest', '-1')} not found.")
        status, answer = await self._inner(scope, body, verbose=True)
        invalid = status == 422 and answer.get("error_code") == 42201
        if invalid or (status == 200 and "Invalid schema" in "".join(answer["messages"][:1])):
            return error(422, 42201, "Invalid SchemaType.AVRO schema")  # 179-180
        if status != 200:
            return status, SR_JSON, _reshape(answer)
        # Messages with or without `verbose`, none when compatible (92-101).
        compatible, messages = self._verdict(subject, json.loads(body), version)
        found = {"is_compatible": False, "messages": messages}
        return 200, SR_JSON, {"is_compatible": True} if compatible else found

    def _incompatible(self, subject: str, request: dict[str, Any]) -> Answer:
        """32, 183-184: error_code 409, Karapace's sentence, its short messages joined."""
        _, messages = self._verdict(subject, request, "latest")
        level = self._level(subject)
        text = f"Incompatible schema, compatibility_mode={level}. Incompatibilities: "
        return error(409, 409, text + ", ".join(messages))

    async def _config(self, scope: Scope, body: bytes, method: str, subject: str | None) -> Answer:
        if method == "PUT":  # 7 (global: the allowed values named), 78-79; 8 is FastAPI's
            level = json.loads(body).get("compatibility") if body else None
            if isinstance(level, str) and level not in {lv.value for lv in Level}:
                return error(422, 42203, _SUBJECT_LEVEL_ERROR if subject else _GLOBAL_LEVEL_ERROR)
        elif subject is not None and method == "GET":  # 13-14: 40401, not 40408
            if not self._versions(subject) and self._own_level(subject) is None:
                return subject_not_found(subject)
        elif subject is not None and method == "DELETE":  # 81-82, 86-87, 185: always 200
            with suppress(RegistryError):
                self.registry.settings.delete_level(subject)
            return 200, SR_JSON, {"compatibility": self.registry.settings.get_level().value}
        status, answer = await self._inner(scope, body)
        return status, SR_JSON, answer


def _reshape(answer: Any, *, lookup: bool = False) -> Any:
    """An embedded answer in Karapace's words and shapes."""
    if not isinstance(answer, dict):
        return answer
    code, text = answer.get("error_code"), str(answer.get("message", ""))
    if code in (404, 405) and len(answer) == 2:  # unknown routes and methods (246-247)
        return "Not Found" if code == 404 else "Method Not Allowed"
    if code == 40406:  # 210 (not 40404: 220 keeps Confluent's missing space)
        return {**answer, "message": text.replace("deleted.Set", "deleted. Set")}
    if code == 40403:  # 72: the id is not named
        return {**answer, "message": "Schema not found"}
    if code == 42206:  # 205-206
        return {**answer, "message": text.replace("{subject=", "{magic=1,keytype=SCHEMA,subject=")}
    if isinstance(answer.get("schema"), str):
        answer = {**answer, "schema": _sorted_schema(answer["schema"])}
        if lookup:  # a look-up leaves references out (199)
            answer.pop("references", None)
    return answer


@contextmanager
def serve_karapace(store: Path) -> Iterator[str]:
    """A Karapace-dialect registry over a fresh embedded store; yields its URL."""
    with serve_dialect(KarapaceDialect, store) as url:
        yield url
