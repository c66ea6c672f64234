"""A faster writer for the envelope's Avro encoding, byte-for-byte what fastavro writes.

The envelope's six metadata fields have a fixed layout (DESIGN.md §1: two strings, a long, a
string, two optional strings), and fastavro's per-field dispatch costs more than encoding them
directly. So this writes those fields itself (zigzag varints and length-prefixed UTF-8) and hands
only the payload record to fastavro, under a schema parsed once per event type. It applies only
when the topic's envelope schema has exactly that layout; `EnvelopeWriter.for_schema` returns
None otherwise and the codec's generic path is used.
"""

import io
from typing import Any
from uuid import UUID

import fastavro
from fastavro.types import Schema as ParsedSchema

from contractgen.runtime.envelope import Envelope, to_millis, wire_schema
from contractgen.runtime.record_writer import Write, avro_string, parts_writer, zigzag_varint

_METADATA = (
    ("event_id", {"type": "string", "logicalType": "uuid"}),
    ("event_type", "string"),
    ("occurred_at", {"type": "long", "logicalType": "timestamp-millis"}),
    ("producer", "string"),
    ("correlation_id", ["null", "string"]),
    ("trace_id", ["null", "string"]),
)
_CANONICAL_UUID_LENGTH = b"\x48"  # zigzag(36): every str(UUID) is 36 ASCII characters
_NULL_BRANCH, _STRING_BRANCH = b"\x00", b"\x02"
_MAX_CACHED = 256


class EnvelopeWriter:
    """Encodes envelopes of one topic schema (without the 5-byte header)."""

    def __init__(self, payloads: dict[str, tuple[bytes, ParsedSchema, Write | None]]) -> None:
        # event full name -> (union branch index, parsed record, record_writer's parts writer)
        self._payloads = payloads
        self._strings: dict[str, bytes] = {}  # event types and producer names repeat

    @classmethod
    def for_schema(cls, schema: Any) -> "EnvelopeWriter | None":
        """A writer for this envelope schema (parsed JSON), or None if its layout differs."""
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or len(fields) != len(_METADATA) + 1:
            return None
        layout = tuple((field.get("name"), field.get("type")) for field in fields[:-1])
        payload = fields[-1]
        branches = payload.get("type")
        if (
            layout != _METADATA
            or payload.get("name") != "payload"
            or not isinstance(branches, list)
            or not all(isinstance(b, dict) and b.get("type") == "record" for b in branches)
        ):
            return None
        named: dict[str, Any] = {}
        fastavro.parse_schema(wire_schema(schema), named_schemas=named)
        compiled: dict[str, Write] = {}  # record_writer's, in definition order as Avro's names
        payloads = {}
        for index, branch in enumerate(branches):
            name = branch["name"]
            namespace = branch.get("namespace", schema.get("namespace"))
            full_name = name if "." in name or not namespace else f"{namespace}.{name}"
            # parsed with every named type of the envelope, as branches may refer to each other's
            record = fastavro.parse_schema(
                {**branch, "namespace": namespace} if namespace else branch,
                named_schemas=dict(named),
            )
            encode = parts_writer(branch, namespace, compiled)
            payloads[full_name] = (zigzag_varint(index), record, encode)
        return cls(payloads)

    def write(self, out: io.BytesIO, envelope: Envelope[Any]) -> None:
        out.write(self.encode(envelope))

    def encode(self, envelope: Envelope[Any], header: bytes = b"") -> bytes:
        """`header` and the envelope's encoding."""
        payload = envelope.payload
        known = self._payloads.get(payload.AVRO_NAME)
        if known is None:
            raise ValueError(f"{payload.AVRO_NAME} is not one of this topic's event types")
        branch, record, encode = known
        metadata = [
            header,
            _CANONICAL_UUID_LENGTH,
            _uuid_text(envelope.event_id),
            self._cached(envelope.event_type),
            zigzag_varint(to_millis(envelope.occurred_at)),
            self._cached(envelope.producer),
            _optional(envelope.correlation_id),
            _optional(envelope.trace_id),
            branch,
        ]
        if encode is not None:
            encode(payload.to_avro(), metadata)
            return b"".join(metadata)
        out = io.BytesIO()
        out.write(b"".join(metadata))
        fastavro.schemaless_writer(out, record, payload.to_avro())
        return out.getvalue()

    def _cached(self, text: str) -> bytes:
        encoded = self._strings.get(text)
        if encoded is None:
            encoded = avro_string(text)
            if len(self._strings) < _MAX_CACHED:
                self._strings[text] = encoded
        return encoded


def _optional(text: str | None) -> bytes:
    return _NULL_BRANCH if text is None else _STRING_BRANCH + avro_string(text)


def _uuid_text(value: UUID) -> bytes:
    """`str(value).encode()`, formatted as bytes at once."""
    digits = b"%032x" % value.int
    return b"-".join((digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:]))
