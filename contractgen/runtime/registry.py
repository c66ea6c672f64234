"""Schema Registry access for the runtime: schema ids for writing, writer schemas for reading.

The registry client is injected: confluent-kafka's `SchemaRegistryClient` (auth, TLS, retries and
its own HTTP cache) or anything with the same three methods. Results are cached here per subject
and schema, and per id, so steady-state produce and consume never touch the registry.
"""

import threading
from typing import TYPE_CHECKING, Any, Protocol

from contractgen.runtime.errors import (
    DeserializationError,
    SchemaNotRegisteredError,
    SchemaRegistryUnavailableError,
)

if TYPE_CHECKING:
    from confluent_kafka.schema_registry import Schema

_NOT_FOUND = 404


class SchemaRegistry(Protocol):
    """The part of confluent-kafka's SchemaRegistryClient the runtime uses.

    Like that client, an implementation reports a missing subject, schema or id by raising
    confluent_kafka.schema_registry.error.SchemaRegistryError with http_status_code 404; any other
    error is reported as SchemaRegistryUnavailableError.
    """

    def lookup_schema(self, subject_name: str, schema: "Schema") -> Any:
        """A RegisteredSchema (with `schema_id`) for a schema under a subject; 404 if absent."""
        ...

    def get_schema(self, schema_id: int) -> "Schema": ...

    def register_schema(self, subject_name: str, schema: "Schema") -> int: ...


class SchemaIds:
    """Schema id resolution with a per-(subject, schema) cache.

    Production code never registers: schemas are registered by `contractgen register` when the
    contracts merge, and a producer whose schema is missing fails loudly. `auto_register=True` is
    a development convenience.
    """

    def __init__(self, registry: SchemaRegistry, *, auto_register: bool = False) -> None:
        self._registry = registry
        self._auto_register = auto_register
        self._ids: dict[tuple[str, str], int] = {}
        self._writers: dict[int, str] = {}
        self._lock = threading.Lock()

    def id_for(self, subject: str, schema_str: str) -> int:
        """The registry id of `schema_str` under `subject`."""
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

    def schema_for(self, schema_id: int) -> str:
        """The schema text stored under `schema_id`."""
        cached = self._writers.get(schema_id)
        if cached is None:
            from confluent_kafka.schema_registry.error import SchemaRegistryError

            try:
                schema = self._registry.get_schema(schema_id)
            except SchemaRegistryError as exc:
                # only a missing id makes the message undecodable; outages must stop the consumer
                if exc.http_status_code != _NOT_FOUND:
                    raise _unavailable(f"fetching schema id {schema_id}", exc) from exc
                raise DeserializationError(
                    f"schema id {schema_id} is not in the schema registry this client uses: the "
                    "message was written against another registry (check the registry URL), or "
                    "the schema was deleted"
                ) from exc
            except Exception as exc:  # the HTTP client's own: connection refused, timeout, TLS...
                raise _unavailable(f"fetching schema id {schema_id}", exc) from exc
            if schema.references:
                raise DeserializationError(
                    f"schema id {schema_id} uses schema references, which the runtime does not "
                    "resolve: producers must register self-contained schemas"
                )
            cached = self._writers[schema_id] = str(schema.schema_str)
        return cached


def _unavailable(doing: str, exc: BaseException) -> SchemaRegistryUnavailableError:
    return SchemaRegistryUnavailableError(
        f"schema registry failed while {doing}: {type(exc).__name__}: {exc}. Check the "
        "registry URL, credentials and network; nothing was committed or dead-lettered"
    )
