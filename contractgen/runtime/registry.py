"""Schema Registry access for the runtime: schema ids for writing, writer schemas for reading.

The registry client is injected: confluent-kafka's `SchemaRegistryClient` (auth, TLS, retries and
its own HTTP cache) or anything with the same four methods. Results are cached here per subject
and schema, per id, and per referenced subject version, so steady-state produce and consume never
touch the registry.
"""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from contractgen.runtime.errors import (
    DeserializationError,
    Reason,
    SchemaNotRegisteredError,
    SchemaRegistryUnavailableError,
)
from contractgen.runtime.references import Fetched, Reference, self_contained

if TYPE_CHECKING:
    from confluent_kafka.schema_registry import RegisteredSchema, Schema

_NOT_FOUND = 404
# worth asking again: request timeout, rate limit, server errors (as Confluent's own client retries)
_TRANSIENT_STATUS = frozenset({408, 429})
_T = TypeVar("_T")


class SchemaRegistry(Protocol):
    """The part of confluent-kafka's SchemaRegistryClient the runtime uses.

    Like that client, an implementation reports a missing subject, schema or id by raising
    confluent_kafka.schema_registry.error.SchemaRegistryError with http_status_code 404. Errors
    with status 408, 429 or 5xx and exceptions of other types (connection refused, timeout) are
    transient and retried (`RegistryRetry`); any other status stops the client.
    """

    def lookup_schema(self, subject_name: str, schema: "Schema") -> Any:
        """A RegisteredSchema (with `schema_id`) for a schema under a subject; 404 if absent."""
        ...

    def get_schema(self, schema_id: int) -> "Schema": ...

    def register_schema(self, subject_name: str, schema: "Schema") -> int: ...

    def get_version(self, subject_name: str, version: int) -> "RegisteredSchema":
        """A subject's version, to resolve a writer schema's references; 404 if absent."""
        ...

    def get_versions(self, subject_name: str) -> list[int]:
        """A subject's live version numbers; 404 if the subject has none."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryRetry:
    """How long a consumer retries fetching a writer schema that failed transiently, with
    exponential backoff.

    After `deadline` seconds the call raises SchemaRegistryUnavailableError: a consumer stops
    without committing the message (it is not dead-lettered: a registry outage is no fault of the
    message). Keep `deadline` well under the consumer's max.poll.interval.ms.
    """

    initial_backoff: float = 0.1
    max_backoff: float = 5.0
    deadline: float = 60.0


class SchemaIds:
    """Schema id resolution with a per-(subject, schema) cache.

    Production code never registers: schemas are registered by `contractgen register` when the
    contracts merge, and a producer whose schema is missing fails loudly. `auto_register=True` is
    a development convenience.
    """

    def __init__(
        self,
        registry: SchemaRegistry,
        *,
        auto_register: bool = False,
        retry: RegistryRetry = RegistryRetry(),
    ) -> None:
        self._registry = registry
        self._auto_register = auto_register
        self.retry = retry
        self._ids: dict[tuple[str, str], int] = {}
        self._writers: dict[int, str] = {}
        self._referenced: dict[tuple[str, int], Fetched] = {}
        self._lock = threading.Lock()
        self.on_retry: Callable[[], None] | None = None
        """Called before each retry of a writer-schema fetch (metrics)."""

    def id_for(self, subject: str, schema_str: str) -> int:
        """The registry id of `schema_str` under `subject`. Not retried: a producer starting
        while the registry is unreachable fails at once, saying so."""
        cached = self._ids.get((subject, schema_str))
        if cached is not None:
            return cached
        # imported on first use: it loads an HTTP and OAuth stack (~130 ms) that importing
        # generated code should not pay for
        from confluent_kafka.schema_registry import Schema
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        with self._lock:
            schema = Schema(schema_str, "AVRO")
            try:
                schema_id = int(self._registry.lookup_schema(subject, schema).schema_id)
            except SchemaRegistryError as exc:
                if exc.http_status_code != _NOT_FOUND:
                    raise _unavailable(f"looking up subject {subject!r}", exc) from exc
                found = self._registered_by_reference(subject, schema_str)
                if found is not None:
                    self._ids[(subject, schema_str)] = found
                    return found
                if not self._auto_register:
                    raise SchemaNotRegisteredError(
                        f"the schema of subject {subject!r} this code was generated from is not "
                        "registered: run `contractgen register` (or pass auto_register=True in "
                        "development)"
                    ) from exc
                try:
                    schema_id = self._registry.register_schema(subject, schema)
                except SchemaRegistryError:  # e.g. 409: incompatible with the subject's latest
                    raise
                except Exception as err:
                    raise _unavailable(f"registering subject {subject!r}", err) from err
            except Exception as exc:  # the HTTP client's own: connection refused, timeout, TLS...
                raise _unavailable(f"looking up subject {subject!r}", exc) from exc
            self._ids[(subject, schema_str)] = schema_id
            return schema_id

    def _registered_by_reference(self, subject: str, schema_str: str) -> int | None:
        """The id of the newest version of `subject` registered with schema references (by
        `contractgen register --references` or Confluent's serializers) that is `schema_str` on
        the wire once its references are inlined; None when there is none.

        A registry looks a schema up by its text, and the self-contained text this code was
        generated with never equals a version written with references. Equal parsing canonical
        forms mean the same bytes: the version may differ in docs or defaults, which a reader's
        schema resolution takes from the reader, never from the writer.
        """
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        try:
            versions = self._registry.get_versions(subject)
        except SchemaRegistryError as exc:
            if exc.http_status_code == _NOT_FOUND:
                return None
            raise
        wanted = _wire_form(schema_str)
        for version in sorted(versions, reverse=True):
            registered = self._registry.get_version(subject, version)
            schema = registered.schema
            if not schema.references or registered.schema_id is None:
                continue
            schema_id = int(registered.schema_id)

            def fetch(referenced: str, number: int, of: int = schema_id) -> Fetched:
                return self._referenced_version(of, referenced, number)

            try:
                text = self_contained(str(schema.schema_str), _references(schema), fetch)
                same = _wire_form(text) == wanted
            except (DeserializationError, ValueError):  # a reference gone; text not Avro
                continue
            if same:
                return schema_id
        return None

    def schema_for(self, schema_id: int) -> str:
        """The Avro schema text stored under `schema_id`; DeserializationError (with its reason)
        when the registry has no such id or holds something the runtime cannot read with."""
        cached = self._writers.get(schema_id)
        if cached is not None:
            return cached
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        doing = f"fetching schema id {schema_id}"
        try:
            schema = self._call(doing, lambda: self._registry.get_schema(schema_id))
        except SchemaRegistryError as exc:  # a 404: only a missing id makes a message undecodable
            raise DeserializationError(
                f"schema id {schema_id} is not in the schema registry this client uses: the "
                "message was written against another registry (check the registry URL), or "
                "the schema was deleted",
                reason=Reason.SCHEMA_NOT_FOUND,
            ) from exc
        schema_type = (getattr(schema, "schema_type", None) or "AVRO").upper()
        if schema_type != "AVRO":
            raise DeserializationError(
                f"schema id {schema_id} is a {schema_type} schema, not Avro: the message was "
                "written by a producer of another format to this topic",
                reason=Reason.SCHEMA_TYPE,
            )
        text = str(schema.schema_str)
        if schema.references:
            text = self_contained(
                text, _references(schema), lambda s, v: self._referenced_version(schema_id, s, v)
            )
        cached = self._writers[schema_id] = text
        return cached

    def _referenced_version(self, schema_id: int, subject: str, version: int) -> Fetched:
        """A subject version referenced (maybe indirectly) by schema `schema_id`; retried like
        the schema itself; a 404 makes the message undecodable."""
        key = (subject, version)
        cached = self._referenced.get(key)
        if cached is not None:
            return cached
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        doing = f"fetching version {version} of subject {subject!r} (referenced by id {schema_id})"
        try:
            found = self._call(doing, lambda: self._registry.get_version(subject, version)).schema
        except SchemaRegistryError as exc:
            raise DeserializationError(
                f"schema id {schema_id} references version {version} of subject {subject!r}, "
                "which is not in the schema registry this client uses: it was deleted, or the "
                "message was written against another registry (check the registry URL)",
                reason=Reason.SCHEMA_REFERENCES,
            ) from exc
        cached = self._referenced[key] = Fetched(str(found.schema_str), _references(found))
        return cached

    def _call(self, doing: str, call: Callable[[], _T]) -> _T:
        """`call()`, retried with backoff while it fails transiently. A 404 is re-raised as the
        SchemaRegistryError it is; every other failure becomes SchemaRegistryUnavailableError."""
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        retry = self.retry
        deadline = time.monotonic() + retry.deadline
        backoff = retry.initial_backoff
        while True:
            try:
                return call()
            except SchemaRegistryError as exc:
                status = exc.http_status_code
                if status == _NOT_FOUND:
                    raise
                if status not in _TRANSIENT_STATUS and status < 500:  # 401, 403, 422...
                    raise _unavailable(doing, exc) from exc
                failure: Exception = exc
            except Exception as exc:  # the HTTP client's own: connection refused, timeout, TLS...
                failure = exc
            if time.monotonic() + backoff > deadline:
                doing = f"{doing} (retried for {retry.deadline:g}s)"
                raise _unavailable(doing, failure) from failure
            if self.on_retry is not None:
                self.on_retry()
            time.sleep(backoff)
            backoff = min(backoff * 2, retry.max_backoff)


def _references(schema: "Schema") -> tuple[Reference, ...]:
    found = []
    for ref in schema.references or ():
        if ref.name is None or ref.subject is None or ref.version is None:
            raise DeserializationError(
                f"the registry answered a schema reference without name, subject or version "
                f"({ref}): the writer schema cannot be resolved",
                reason=Reason.SCHEMA_INVALID,
            )
        found.append(Reference(ref.name, ref.subject, ref.version))
    return tuple(found)


def _wire_form(schema_str: str) -> str:
    """The parsing canonical form: what decides the bytes (docs, defaults, aliases and logical
    types left out)."""
    import fastavro.schema

    return str(fastavro.schema.to_parsing_canonical_form(json.loads(schema_str)))


def _unavailable(doing: str, exc: BaseException) -> SchemaRegistryUnavailableError:
    return SchemaRegistryUnavailableError(
        f"schema registry failed while {doing}: {type(exc).__name__}: {exc}. Check the "
        "registry URL, credentials and network; nothing was committed or dead-lettered"
    )
