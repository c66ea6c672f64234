"""A registry that answers as Apicurio Registry's Confluent-compatibility API (`/apis/ccompat/v7`)
does where it differs from Confluent's in what contractgen uses: the embedded registry's state
behind a thin rewriting layer.

No recording of a real Apicurio exists here: every rule follows Apicurio's published source and
its own ccompat test suite, in repository Apicurio/apicurio-registry, cited as path (commit where
the index pins one) and method:

- [P] app/src/main/java/io/apicurio/registry/ccompat/rest/v7/{Subjects,Config,Compatibility,
  Mode,Schemas}Resource.java: `@Path("/apis/ccompat/v7/...")`, the API's base path;
- [C] app/src/main/java/io/apicurio/registry/ccompat/rest/v7/impl/ConfigResourceImpl.java (the
  3.x version with `getSubjectConfig(subject, defaultToGlobal, groupId)`): without a rule of its
  own a subject's level is NONE (`getCompatibilityLevel` turns RuleNotFoundException into NONE),
  and the global level with `defaultToGlobal=true`; the global level is NONE without a global
  rule; a subject Apicurio does not know is ArtifactNotFoundException; setting NONE deletes the
  rule (`updateCompatibilityLevel`), so a subject set to NONE follows the global level;
- [X] app/src/main/java/io/apicurio/registry/services/http/CCompatExceptionMapperService.java @
  ec4f0279af5e3686ea0d18e96b2a517248a97681 and app/src/main/java/io/apicurio/registry/rest/
  RegistryExceptionMapper.java (ccompat branch): ArtifactNotFoundException is error_code 40401;
  an exception the map lacks is error_code 0, with the HTTP status of the exception itself;
- [M] app/src/main/java/io/apicurio/registry/ccompat/rest/v7/impl/ModeResourceImpl.java @
  140c2711533b5d240cdbfa774c753e86c177d508 and ccompat/rest/error/Errors.java @
  170b4f0a0a1de26ffa809d10e1572c3e42c3f5c5: modes are not served, `operationNotSupported()`
  throws the web framework's NotFoundException("Operation not supported.") (404);
- [T] Apicurio's ccompat tests (a port of Confluent's REST API tests), app/src/test/java/io/
  apicurio/registry/noprofile/ccompat/rest/v7/CCompatRestTest.java @
  c8f00ec83905e6ce036fe7c2b3e5fe761d7d1bae (a version that still cleans up with the v2 core
  client; its assertions agree with [C] and [X]): `testConfigDefaults`
  (the default global level is NONE), `testNonExistentSubjectConfigChange` (a level can be set
  for a subject without versions, and is read back), `testGetConfigNonExistentSubject` (40401),
  `testIncompatibleSchemaBySubject` (a rejected registration has error_code 409),
  `testCompatibilityNonExistentSubject` (compatible, against `latest` or all versions).
- [R] app/src/main/java/io/apicurio/registry/rules/RulesServiceImpl.java @
  f5f95d5909d7f62a7f78a8974140c21f46c113df, `applyGlobalAndArtifactRules`: a subject without a
  rule of its own is checked with the global rule (as the embedded registry does); `applyRules`
  with a version checks against that one version's content only;
- [A] the all-versions check, `testCompatibilityBySubjectName`: in
  app/src/main/java/io/apicurio/registry/ccompat/store/RegistryStorageFacadeImpl.java @
  a71d904fae242f015f8ce9d5d69a003aa890d7c3 and in its later home,
  ccompat/rest/v7/impl/CompatibilityResourceImpl.java (the version with `getGA`), it applies the
  rules once per version, each time with that version as the only existing one; with
  rules/compatibility/AvroCompatibilityChecker.java @ cef3931f3c1cd681de1d23bad9126880b2cd1823
  (`validateLatest` for BACKWARD, FORWARD, FULL) every version is checked under a level that is
  not transitive, where Confluent (and Apicurio's own registration, which passes all versions and
  validates the latest) checks the latest only.

Where Apicurio answers as Confluent documents (look-ups, registration answering `{"id"}`,
40401/40402/40403, the checks against one version) the embedded registry answers unchanged.
Not reproduced, because its source is ambiguous between Apicurio versions or not read here: the
wording of its messages (verbose compatibility messages, error messages: the embedded registry's
are kept), which versions a check against one explicit version covers, its ids (content or
global ids), what it answers outside `/apis/ccompat/v7`, and version strings that are not numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote, unquote

from starlette.types import Scope

from contractgen.ir.model import Level
from contractgen.registry.embedded.engine import Registry
from contractgen.registry.errors import RegistryError
from tests.registry.dialect_layer import (
    SR_JSON,
    Answer,
    DialectLayer,
    error,
    serve_dialect,
    subject_not_found,
)


class ApicurioDialect(DialectLayer):
    """ASGI app: the embedded registry's app under `/apis/ccompat/v7`, answering as Apicurio's
    source shows."""

    prefix = "/apis/ccompat/v7"  # [P]

    def __init__(self, registry: Registry) -> None:
        super().__init__(registry)
        registry.settings.set_level(None, Level.NONE.value)  # [C], [T] testConfigDefaults

    async def _answer(self, scope: Scope, body: bytes) -> Answer:
        method = scope["method"]
        parts = scope["path"].rstrip("/").split("/")[1:]
        if parts[:1] == ["mode"]:  # [M], [X]: 404, error_code 0
            return error(404, 0, "Operation not supported.")
        if method == "GET" and parts[:1] == ["config"] and len(parts) == 2:
            return self._subject_level(scope, parts[1])
        if method == "PUT" and parts[:1] == ["config"] and len(parts) == 2:
            level = json.loads(body).get("compatibility")
            if level == Level.NONE.value:  # [C] `updateCompatibilityLevel`: the rule is deleted
                with suppress(RegistryError):
                    self.registry.settings.delete_level(parts[1])
                return 200, SR_JSON, {"compatibility": level}
        if method == "POST" and parts[:1] == ["compatibility"] and len(parts) == 4:
            return await self._all_versions(scope, body, parts[2])
        status, answer = await self._inner(scope, body)
        if method == "POST" and parts[2:] == ["versions"] and status == 409:
            return error(409, 409, answer["message"])  # [T] testIncompatibleSchemaBySubject
        return status, SR_JSON, answer

    async def _all_versions(self, scope: Scope, body: bytes, subject: str) -> Answer:
        """[A]: under a level that is not transitive, each version is checked on its own."""
        if self._level(subject).value.endswith("_TRANSITIVE"):
            status, answer = await self._inner(scope, body)
            return status, SR_JSON, answer
        for number in reversed(self._versions(subject)):
            path = f"/compatibility/subjects/{quote(subject, safe='')}/versions/{number}"
            one = {**scope, "path": unquote(path), "raw_path": path.encode()}
            status, answer = await self._inner(one, body)
            if status != 200 or not answer["is_compatible"]:
                return status, SR_JSON, answer
        status, answer = await self._inner(scope, body)  # compatible (or nothing to check)
        return status, SR_JSON, answer

    def _subject_level(self, scope: Scope, subject: str) -> Answer:
        """[C] `getSubjectConfig`, [T] testGetConfigNonExistentSubject and
        testNonExistentSubjectConfigChange."""
        own = self._own_level(subject)
        if own is not None:
            return 200, SR_JSON, {"compatibilityLevel": own.value}
        if not self._versions(subject):  # ArtifactNotFoundException: [X] 40401
            return subject_not_found(subject)
        query = scope.get("query_string", b"").decode()
        level = self._level(subject) if "defaultToGlobal=true" in query else Level.NONE
        return 200, SR_JSON, {"compatibilityLevel": level.value}


@contextmanager
def serve_apicurio(store: Path) -> Iterator[str]:
    """An Apicurio-dialect registry over a fresh embedded store; yields the URL a user configures
    (ending in `/apis/ccompat/v7`)."""
    with serve_dialect(ApicurioDialect, store) as url:
        yield url
