"""Example payloads: one plausible value of a schema, as JSON, for people to read.

The value is the JSON view of an Avro datum (a union's value is the branch's value, not Avro's
`{"branch": value}` JSON encoding), which is also what AsyncAPI's Avro support turns a schema
into, so the same example validates there. Fields with a default show the default; logical types
show a value of their kind (a uuid, a timestamp in milliseconds, a decimal as its digits).
Deterministic: the same schema always gives the same example.
"""

from __future__ import annotations

from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Fixed,
    JsonValue,
    Map,
    Primitive,
    Record,
    Union,
    prop,
)

EXAMPLE_UUID = "3b241101-e2bb-4255-8caf-4136c566a962"
EXAMPLE_MILLIS = 1767225600000
"""2026-01-01T00:00:00Z."""

_LOGICAL: dict[str, JsonValue] = {
    "uuid": EXAMPLE_UUID,
    "date": 20454,  # days since the epoch: 2026-01-01
    "time-millis": 43200000,
    "time-micros": 43200000000,
    "timestamp-millis": EXAMPLE_MILLIS,
    "timestamp-micros": EXAMPLE_MILLIS * 1000,
    "timestamp-nanos": EXAMPLE_MILLIS * 1000000,
    "local-timestamp-millis": EXAMPLE_MILLIS,
    "local-timestamp-micros": EXAMPLE_MILLIS * 1000,
    "local-timestamp-nanos": EXAMPLE_MILLIS * 1000000,
}
_PLAIN: dict[str, JsonValue] = {
    "null": None,
    "boolean": True,
    "int": 1,
    "long": 1,
    "float": 1.5,
    "double": 1.5,
    "bytes": "",
}


def _decimal(props: tuple[tuple[str, JsonValue], ...]) -> str:
    scale = prop(props, "scale")
    digits = scale if isinstance(scale, int) and scale > 0 else 0
    return "12" + ("." + "34"[:digits].ljust(digits, "0") if digits else "")


class _Example:
    def __init__(self, schema: AvroSchema) -> None:
        self.schema = schema
        self.open: list[str] = []  # records being built: a recursive type stops at its union

    def value(self, avro_type: AvroType, name: str) -> JsonValue:
        resolved = self.schema.resolve(avro_type)
        if isinstance(resolved, Primitive):
            logical = resolved.logical_type
            if logical == "decimal":
                return _decimal(resolved.props)
            if logical in _LOGICAL and resolved.type in ("int", "long", "string"):
                return _LOGICAL[logical]
            return name if resolved.type == "string" else _PLAIN[resolved.type]
        if isinstance(resolved, Record):
            return self.record(resolved)
        if isinstance(resolved, Enum):
            # The enum's default is the fallback for unknown symbols: a poor example.
            usual = [s for s in resolved.symbols if s != resolved.default]
            return (usual or list(resolved.symbols))[0]
        if isinstance(resolved, Fixed):
            if resolved.logical_type == "decimal":
                return _decimal(resolved.props)
            return "\u0000" * resolved.size
        if isinstance(resolved, Array):
            return [] if self.recursive(resolved.items) else [self.value(resolved.items, name)]
        if isinstance(resolved, Map):
            return (
                {}
                if self.recursive(resolved.values)
                else {"key": self.value(resolved.values, name)}
            )
        assert isinstance(resolved, Union)  # a NamedRef resolves to its definition
        return self.union(resolved, name)

    def recursive(self, avro_type: AvroType) -> bool:
        resolved = self.schema.resolve(avro_type)
        return isinstance(resolved, Record) and resolved.fullname in self.open

    def union(self, union: Union, name: str) -> JsonValue:
        usable = [b for b in union.branches if not self.recursive(b)]
        non_null = [b for b in usable if not (isinstance(b, Primitive) and b.type == "null")]
        chosen = (non_null or usable or list(union.branches))[0]
        return self.value(chosen, name)

    def record(self, record: Record) -> JsonValue:
        self.open.append(record.fullname)
        try:
            return {
                f.name: f.default if f.has_default else self.value(f.type, f.name)
                for f in record.fields
            }
        finally:
            self.open.pop()


def example_value(schema: AvroSchema, avro_type: AvroType | None = None) -> JsonValue:
    """An example of `avro_type` (default: the schema's root)."""
    return _Example(schema).value(schema.root if avro_type is None else avro_type, "example")


def example_event(envelope: AvroSchema, event: str) -> dict[str, JsonValue]:
    """An envelope (the value of a topic) carrying an example of the record `event`."""
    value = example_value(envelope)
    assert isinstance(value, dict)  # an envelope is a record
    return {**value, "event_type": event, "payload": example_value(envelope, envelope.named[event])}
