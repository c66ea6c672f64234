"""The event envelope: the value of every topic, wrapping one event record as its payload.

Its Avro schema per topic comes from the code generator (record `<Topic>Envelope`, fields in the
order of `ENVELOPE_FIELDS`, `payload` a union of the topic's event records). The conversions here
run on every produce and consume, and are written for speed (see bench/bench_serde.py):

- fastavro gets and returns the envelope's uuid and timestamp as their wire values (string, epoch
  milliseconds): `wire_schema` drops those two logical-type annotations from the schemas the
  codec parses (the bytes are the same), because fastavro's own conversions cost more than the
  rest of the envelope together;
- decoded envelopes are built by filling the slots directly: a frozen dataclass's __init__ goes
  through object.__setattr__ for every field, which is 2.5x slower and gives the same object.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from os import register_at_fork, urandom
from typing import Any, Generic
from uuid import UUID, SafeUUID

from contractgen.runtime.errors import DeserializationError, Reason
from contractgen.runtime.model import AvroModel, P

ENVELOPE_FIELDS = (
    "event_id",
    "event_type",
    "occurred_at",
    "producer",
    "correlation_id",
    "trace_id",
    "payload",
)
_WIRE_VALUED = {"event_id": "uuid", "occurred_at": "timestamp-millis"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope(Generic[P]):
    """One event with its metadata, as it travels on a topic."""

    event_id: UUID
    event_type: str
    """The payload record's Avro full name."""
    occurred_at: datetime
    """Aware UTC; millisecond precision on the wire."""
    producer: str
    correlation_id: str | None = None
    trace_id: str | None = None
    payload: P


def wire_schema(schema: Any) -> Any:
    """The envelope schema without the uuid/timestamp annotations this module converts itself."""
    if not isinstance(schema, dict) or schema.get("type") != "record":
        return schema
    return {**schema, "fields": [_wire_field(field) for field in schema.get("fields", [])]}


def _wire_field(field: dict[str, Any]) -> dict[str, Any]:
    kind = field.get("type")
    if isinstance(kind, dict) and kind.get("logicalType") == _WIRE_VALUED.get(field["name"]):
        return {**field, "type": {k: v for k, v in kind.items() if k != "logicalType"}}
    return field


def to_millis(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime, exactly as Avro's timestamp-millis stores it.

    A naive datetime raises TypeError (it can't be subtracted from the aware epoch).
    """
    return (moment - _EPOCH) // _MILLISECOND


def envelope_to_avro(envelope: Envelope[Any]) -> dict[str, Any]:
    """The fastavro datum of an envelope (for `wire_schema`), payload in tuple form."""
    payload = envelope.payload
    return {
        "event_id": str(envelope.event_id),
        "event_type": envelope.event_type,
        "occurred_at": to_millis(envelope.occurred_at),
        "producer": envelope.producer,
        "correlation_id": envelope.correlation_id,
        "trace_id": envelope.trace_id,
        "payload": (payload.AVRO_NAME, payload.to_avro()),
    }


def envelope_from_avro(
    datum: Mapping[str, Any], events: Mapping[str, type[AvroModel]]
) -> Envelope[Any]:
    """Build an envelope from fastavro's output (`wire_schema`, return_named_type=True)."""
    name, fields = datum["payload"]
    event_class = events.get(name)
    if event_class is None:
        raise DeserializationError(
            f"payload record {name!r} is not one of this topic's events ({', '.join(events)}): "
            "regenerate the code from the current contracts",
            reason=Reason.NOT_AN_EVENT,
        )
    payload = event_class.from_avro(fields)
    # filled_envelope(...) inlined: this runs for every consumed message
    envelope: Envelope[Any] = _new(Envelope)
    _set_event_id(envelope, _uuid(datum["event_id"]))
    _set_event_type(envelope, datum["event_type"])
    _set_occurred_at(envelope, _EPOCH + _MILLISECOND * datum["occurred_at"])  # exact
    _set_producer(envelope, datum["producer"])
    _set_correlation_id(envelope, datum["correlation_id"])
    _set_trace_id(envelope, datum["trace_id"])
    _set_payload(envelope, payload)
    return envelope


def filled_envelope(
    *,
    event_id: UUID,
    event_type: str,
    occurred_at: datetime,
    producer: str,
    correlation_id: str | None,
    trace_id: str | None,
    payload: P,
) -> Envelope[P]:
    """`Envelope(...)` of checked values, its slots filled directly (no frozen __init__)."""
    envelope: Envelope[P] = _new(Envelope)
    _set_event_id(envelope, event_id)
    _set_event_type(envelope, event_type)
    _set_occurred_at(envelope, occurred_at)
    _set_producer(envelope, producer)
    _set_correlation_id(envelope, correlation_id)
    _set_trace_id(envelope, trace_id)
    _set_payload(envelope, payload)
    return envelope


class _RandomIds:
    """uuid4's numbers: 128 bits from os.urandom with the version and variant set, made 256 at
    a time: a system call per id was most of `random_uuid`. Each number is handed out once,
    even across threads (a list iterator's next() runs whole under the GIL), and a forked child
    drops the parent's unused ones, or both processes would give out the same ids."""

    def __init__(self) -> None:
        self._numbers: Iterator[int] = iter(())
        register_at_fork(after_in_child=self.drop)

    def drop(self) -> None:
        self._numbers = iter(())

    def take(self) -> int:
        while True:
            try:
                return next(self._numbers)
            except StopIteration:
                block = urandom(16 * 256)
                self._numbers = iter(
                    [
                        int.from_bytes(block[n : n + 16]) & _VERSION_MASK | _VERSION_4
                        for n in range(0, len(block), 16)
                    ]
                )


_random_ids = _RandomIds()


def random_uuid() -> UUID:
    """`uuid4()`, the same kind of random bits, without UUID.__init__'s argument handling."""
    value = _new(UUID)
    _set_uuid_int(value, _random_ids.take())
    _set_uuid_is_safe(value, _UNKNOWN_SAFETY)
    return value


def _uuid(text: str) -> UUID:
    """UUID(text), without UUID.__init__'s general parsing for the canonical 36-character form."""
    if len(text) != 36:
        return UUID(text)
    value = _new(UUID)
    _set_uuid_int(value, int(text.replace("-", ""), 16))  # ValueError if not hex
    _set_uuid_is_safe(value, _UNKNOWN_SAFETY)
    return value


_new = object.__new__
# UUID is immutable through __setattr__ but keeps its state in two slots, as UUID.__init__ sets them
_set_uuid_int = vars(UUID)["int"].__set__
_set_uuid_is_safe = vars(UUID)["is_safe"].__set__
_UNKNOWN_SAFETY = SafeUUID.unknown
# RFC 4122 variant (10) and version 4, as UUID(bytes=..., version=4) sets them
_VERSION_MASK = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_VERSION_4 = (0x8000 << 48) | (4 << 76)
# the slot descriptors of Envelope's fields: setting through them bypasses the frozen __setattr__
(
    _set_event_id,
    _set_event_type,
    _set_occurred_at,
    _set_producer,
    _set_correlation_id,
    _set_trace_id,
    _set_payload,
) = (vars(Envelope)[name].__set__ for name in ENVELOPE_FIELDS)
