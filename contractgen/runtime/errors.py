"""Exceptions raised by the runtime; each says what went wrong and what to do."""

from enum import StrEnum


class Reason(StrEnum):
    """Why a message went to the dead-letter topic: its `contractgen.dlq.reason` header and the
    `reason` label of the dead-letter and decode-failure metrics."""

    HANDLER = "handler-error"
    NOT_FRAMED = "not-framed"
    """No Schema Registry wire-format header (magic byte 0 + schema id)."""
    SCHEMA_NOT_FOUND = "schema-not-found"
    """The registry answered 404 for the message's schema id."""
    SCHEMA_TYPE = "schema-type"
    """The writer schema is PROTOBUF, JSON or another non-Avro type."""
    SCHEMA_INVALID = "schema-invalid"
    """The writer schema does not parse as Avro (or names types it does not define)."""
    SCHEMA_REFERENCES = "schema-references"
    """A subject version the writer schema references (directly or through another reference)
    is not in the registry: the registry answered 404 for it."""
    UNDECODABLE = "undecodable"
    """The bytes do not decode with the writer schema onto this code's schema."""
    NOT_AN_EVENT = "not-an-event"
    """Decoded, but not into one of this topic's envelopes or events."""


class FramingError(ValueError):
    """The bytes are not in the Schema Registry wire format (magic byte 0 + 4-byte schema id)."""


class SchemaNotRegisteredError(LookupError):
    """The schema this code was generated from is not registered under its subject."""


class SchemaRegistryUnavailableError(ConnectionError):
    """The schema registry could not be reached or refused the request (anything but a 404).

    Never a reason to dead-letter a message: consumers retry transient failures for a while
    (`RegistryRetry`), then stop, and nothing unhandled is committed.
    """


class DeserializationError(ValueError):
    """A framed message could not be decoded into the topic's event types.

    `reason` says why, for the dead-letter header and the metrics.
    """

    def __init__(self, message: str, *, reason: Reason = Reason.UNDECODABLE) -> None:
        super().__init__(message)
        self.reason = reason


class DeliveryError(Exception):
    """The broker did not acknowledge a produced message."""


class DeadLetterWriteError(RuntimeError):
    """A message could not be written to the dead-letter topic; its offset was not committed."""


class DeadLetterLimitExceeded(RuntimeError):  # noqa: N818 - reads as a condition, like StopIteration
    """Too many messages went to the dead-letter topic; the consumer stopped without committing."""
