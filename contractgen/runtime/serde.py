"""Typed serialization for one topic: envelopes of generated models <-> Kafka key and value bytes.

Keys use the same wire format as values (Avro, subject `<topic>-key`) so any Confluent client can
read them. This is the object producers, consumers and the benchmark share.
"""

import json
from typing import Any, Generic

from contractgen.runtime.codec import AvroCodec
from contractgen.runtime.envelope import (
    Envelope,
    envelope_from_avro,
    envelope_to_avro,
    wire_schema,
)
from contractgen.runtime.envelope_writer import EnvelopeWriter
from contractgen.runtime.errors import DeserializationError, Reason
from contractgen.runtime.model import P
from contractgen.runtime.record_writer import avro_string
from contractgen.runtime.registry import SchemaIds, SchemaRegistry
from contractgen.runtime.topic import TopicSpec


class TopicSerde(Generic[P]):
    """Serializes envelopes and keys of one topic in the Schema Registry wire format."""

    def __init__(
        self,
        spec: TopicSpec[P],
        registry: SchemaRegistry,
        *,
        auto_register: bool = False,
    ) -> None:
        ids = SchemaIds(registry, auto_register=auto_register)
        self.spec = spec
        self.schema_ids = ids
        self._value = AvroCodec(ids, spec.value_subject, spec.value_schema, wire_schema)
        self._key = AvroCodec(ids, spec.key_subject, spec.key_schema)
        self._envelope_writer = EnvelopeWriter.for_schema(json.loads(spec.value_schema))
        self._string_key = json.loads(spec.key_schema) in ("string", {"type": "string"})
        self._value_header = self._key_header = b""  # the codecs' headers, once resolved

    def resolve_ids(self) -> None:
        """Look both schema ids up now, so a missing registration fails at startup."""
        self._value_header, self._key_header = self._value.header, self._key.header

    def serialize_value(self, envelope: Envelope[P]) -> bytes:
        if self._envelope_writer is None:  # an envelope schema of another layout
            return self._value.encode(envelope_to_avro(envelope))
        return self._envelope_writer.encode(envelope, self._value_header or self._value.header)

    def deserialize_value(self, data: bytes) -> tuple[int, Envelope[P]]:
        """The writer's schema id and the envelope."""
        schema_id, datum = self._value.decode(data)
        try:
            envelope: Envelope[Any] = envelope_from_avro(datum, self.spec.events)
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            if isinstance(exc, DeserializationError):
                raise
            raise DeserializationError(
                f"schema id {schema_id} decoded, but not into {self.spec.name}'s envelope: {exc!r}",
                reason=Reason.NOT_AN_EVENT,
            ) from exc
        return schema_id, envelope

    def needs_lookup(self, value: bytes | None, key: bytes | None) -> bool:
        """True when deserializing this value or key would make a (blocking) registry call."""
        return self._value.needs_lookup(value) or self._key.needs_lookup(key)

    def key_of(self, payload: P, key: object = None) -> object:
        """The explicit key, else the payload's key field, else None (no key)."""
        if key is None and self.spec.key_field is not None:
            return getattr(payload, self.spec.key_field)
        return key

    def serialize_key(self, key: object) -> bytes | None:
        if key is None:
            return None
        if self._string_key and type(key) is str:  # the usual key, without fastavro's setup
            return (self._key_header or self._key.header) + avro_string(key)
        to_avro = getattr(key, "to_avro", None)
        return self._key.encode(to_avro() if to_avro is not None else key)

    def deserialize_key(self, data: bytes | None) -> object:
        if data is None:
            return None
        return self._key.decode(data)[1]
