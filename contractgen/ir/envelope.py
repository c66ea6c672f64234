"""The event envelope (DESIGN.md §1): the value schema of every topic.

`contractgen.runtime` writes and reads exactly these fields; the two lists must stay in step
(tests/test_envelope.py compares them through a generated package).
"""

from __future__ import annotations

from dataclasses import replace

from contractgen.ir.model import Field, Location, NamedRef, Primitive, Record, Union

_UUID = Primitive("string", (("logicalType", "uuid"),))
_MILLIS = Primitive("long", (("logicalType", "timestamp-millis"),))
_OPTIONAL_STRING = Union((Primitive("null"), Primitive("string")))


def envelope_record(
    name: str, namespace: str | None, events: tuple[str, ...], location: Location | None = None
) -> Record:
    """The envelope record named `namespace.name` whose payload is one of `events`.

    `location` is where the topic's events are declared: a finding about the envelope (an event
    removed from the payload union, say) points there.
    """
    fullname = f"{namespace}.{name}" if namespace else name
    payload = Union(tuple(NamedRef(event, location) for event in events), location)
    record = Record(
        fullname,
        (
            Field("event_id", _UUID, doc="Unique id of this event; consumers de-duplicate on it."),
            Field("event_type", Primitive("string"), doc="Full Avro name of the payload record."),
            Field("occurred_at", _MILLIS, doc="When the event happened (UTC)."),
            Field("producer", Primitive("string"), doc="The service that produced the event."),
            Field(
                "correlation_id",
                _OPTIONAL_STRING,
                doc="Id shared by the events of one business operation.",
                has_default=True,
            ),
            Field(
                "trace_id",
                _OPTIONAL_STRING,
                doc="Distributed-tracing id of the producing request.",
                has_default=True,
            ),
            Field("payload", payload, doc="The event itself."),
        ),
        doc="Envelope of every event on this topic: identity, time and origin around the payload.",
        location=location,
    )
    return replace(record, fields=tuple(replace(f, location=location) for f in record.fields))
