"""Exceptions raised by the runtime; each says what went wrong and what to do."""


class FramingError(ValueError):
    """The bytes are not in the Schema Registry wire format (magic byte 0 + 4-byte schema id)."""


class SchemaNotRegisteredError(LookupError):
    """The schema this code was generated from is not registered under its subject."""


class SchemaRegistryUnavailableError(ConnectionError):
    """The schema registry could not be reached or refused the request (anything but a 404).

    Never a reason to dead-letter a message: consumers stop, and nothing unhandled is committed.
    """


class DeserializationError(ValueError):
    """A framed message could not be decoded into the topic's event types."""


class DeliveryError(Exception):
    """The broker did not acknowledge a produced message."""


class DeadLetterWriteError(RuntimeError):
    """A message could not be written to the dead-letter topic; its offset was not committed."""


class DeadLetterLimitExceeded(RuntimeError):  # noqa: N818 - reads as a condition, like StopIteration
    """Too many messages went to the dead-letter topic; the consumer stopped without committing."""
