"""A registry that answers as Redpanda's Schema Registry does where it differs from Confluent's in
what contractgen uses: the embedded registry's state behind a thin rewriting layer.

No recording of a real Redpanda exists here: every rule follows Redpanda's published source, in
repository redpanda-data/redpanda (and the HTTP server it is built on, redpanda-data/seastar and
scylladb/seastar), cited as repository, path, commit and function:

- [H] src/v/pandaproxy/schema_registry/handlers.cc @ e34f3a033838728b9f3888a775e0a1f58abaf52a,
  `compatibility_subject_version`;
- [S] src/v/pandaproxy/schema_registry/sharded_store.cc @
  0b64b2c3f7dd62a3770dbca42c11b3e92f71297e, `do_is_compatible` and `has_schema`;
- [R] src/v/pandaproxy/schema_registry/service.cc @ 0b64b2c3f7dd62a3770dbca42c11b3e92f71297e,
  `get_schema_registry_routes` (and its later version with schema contexts), and
  src/v/pandaproxy/api/api-doc/schema_registry.json @ 6d67e2dc344f2e9028552e0455f9613cf96c3ae3:
  the only compatibility route is `/compatibility/subjects/{subject}/versions/{version}`;
- [W] redpanda-data/seastar src/http/routes.cc @ 434eeb684d693e929e5073df34bb44c4af1c47f0,
  `routes::handle` (no handler: `json_exception(not_found_exception("Not found"))`, done as
  "json"), include/seastar/http/exception.hh @ 25fbd79e263ff381448c6cb48a66328f3a5edd29
  (`json_exception`: keys `message`, `code`), scylladb/seastar src/http/matcher.cc @
  2ec0a04396e018b257f40c73a8261c5177eae60d (`param_matcher::match`: an empty last parameter does
  not match, so `.../versions` finds no handler);
- [E] src/v/pandaproxy/schema_registry/error.cc @ 52989b4d30cf566f8fa177a780e305608dc5b0ca
  (`schema_incompatible` -> `reply_error_code::conflict`, 409) and errors.h @
  995aae4cd0ca74d3b0421d9de2d65580a5c0246b (`not_found`: "Subject '{}' not found.",
  "Version {} not found.");
- [T] Redpanda's own integration tests, tests/rptest/tests/schema_registry_test.py @
  e34f3a033838728b9f3888a775e0a1f58abaf52a: `test_post_compatibility_subject_version` (an
  incompatible registration is 409 with error_code 409),
  `test_post_compatibility_subject_version_transitive_order` (checked against version 1 under
  BACKWARD_TRANSITIVE, the answer is about version 2), `test_compatibility_messages`
  (`oldSchemaVersion`, `oldSchema`, `compatibility` in the messages and in the 409 message),
  `test_post_subjects_subject` (a subject whose only version is soft-deleted is "not found").

Where Redpanda answers as Confluent documents (levels: GET /config/{s} is 40408 without a level
of its own, `defaultToGlobal` honoured; modes; look-ups; registration answering `{"id"}`;
`messages` only with `verbose`; an invalid schema in a verbose check as its only message) the
embedded registry answers unchanged. Not reproduced: Redpanda's own Avro parser and the schema
text it stores (its "sanitized" spelling), its wording of each incompatibility (the embedded
registry's Confluent wording is kept, with Redpanda's trailer), and invalid version strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.types import Scope

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

_CONFLUENT_TRAILER = re.compile(r"^\{validateFields: '[^']*', compatibility: '([A-Z_]+)'\}$")


def _redpanda_messages(messages: list[str]) -> list[str]:
    """[S]: after a failing version's messages Redpanda adds `{oldSchemaVersion: n}`,
    `{oldSchema: '...'}` and `{compatibility: 'LEVEL'}`, where Confluent's last entry is
    `{validateFields: '...', compatibility: '...'}`."""
    out = []
    for message in messages:
        trailer = _CONFLUENT_TRAILER.match(message)
        out.append(f"{{compatibility: '{trailer[1]}'}}" if trailer else message)
    return out


class RedpandaDialect(DialectLayer):
    """ASGI app: the embedded registry's app, answering as Redpanda's source shows."""

    async def _answer(self, scope: Scope, body: bytes) -> Answer:
        method = scope["method"]
        parts = scope["path"].rstrip("/").split("/")[1:]
        if method == "POST" and parts[:1] == ["compatibility"]:
            if len(parts) != 5:  # [R], [W]: no handler for the all-versions route
                return 404, JSON, {"message": "Not found", "code": 404}
            if parts[4] == "latest" or parts[4].isdigit():
                verbose = "verbose=true" in scope.get("query_string", b"").decode()
                return self._compatibility(parts[2], parts[4], json.loads(body), verbose)
        status, answer = await self._inner(scope, body)
        if method == "POST" and parts[2:] == ["versions"] and status == 409:
            return self._incompatible(parts[1], json.loads(body))
        return status, SR_JSON, answer

    def _verdict(
        self, subject: str, request: dict[str, Any], number: int, *, verbose: bool = True
    ) -> tuple[bool, list[str]]:
        """[S] `do_is_compatible`: against `number` and every newer live version, newest first,
        stopping at the first that fails; under a transitive level against every live version,
        whatever the version asked for ([T] transitive_order). An invalid schema is its parse
        error as the only message when verbose, else 422/42201 ([H]), as the embedded registry
        answers."""
        live = self._versions(subject)
        level = self._level(subject)
        start = 0 if level.value.endswith("_TRANSITIVE") else live.index(number)
        for against in reversed(live[start:]):
            verdict = self.registry.check(
                subject, request["schema"], references(request), version=against, verbose=verbose
            )
            if not verdict.is_compatible:
                return False, _redpanda_messages(verdict.messages)
        return True, []

    def _compatibility(
        self, subject: str, version: str, request: dict[str, Any], verbose: bool
    ) -> Answer:
        live = self._versions(subject)
        if not live:  # [H]: `latest` reads the live versions first; [E], [T]: 40401 when none
            return subject_not_found(subject)
        number = live[-1] if version == "latest" else int(version)
        if number not in live:  # [S]: a missing or soft-deleted version
            return error(404, 40402, f"Version {number} not found.")
        try:
            compatible, messages = self._verdict(subject, request, number, verbose=verbose)
        except RegistryError as exc:  # the embedded registry's own refusal (42201, ...)
            return error(exc.status, exc.error_code, exc.message)
        # requests/compatibility.h @ 26ac8dbb44f513fd4546306c768d3e7bcc05d573: `messages` is
        # rendered only with verbose, empty when compatible.
        answer: dict[str, Any] = {"is_compatible": compatible}
        if verbose:
            answer["messages"] = messages
        return 200, SR_JSON, answer

    def _incompatible(self, subject: str, request: dict[str, Any]) -> Answer:
        """[E], [T]: 409 with error_code 409; [S] `has_schema`: checked (verbosely) against the
        latest version, its messages joined into Redpanda's sentence."""
        _, messages = self._verdict(subject, request, self._versions(subject)[-1])
        text = (
            "Schema being registered is incompatible with an earlier schema for subject "
            f'"{subject}", details: [{", ".join(messages)}]'
        )
        return error(409, 409, text)


@contextmanager
def serve_redpanda(store: Path) -> Iterator[str]:
    """A Redpanda-dialect registry over a fresh embedded store; yields its URL."""
    with serve_dialect(RedpandaDialect, store) as url:
        yield url
