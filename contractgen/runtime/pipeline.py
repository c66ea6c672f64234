"""The per-message steps every consumer shares: decode, skip duplicates, count, dead-letter.

Sync and async consumers differ only in how they call the handler and write to Kafka; the rules
(which errors go to the DLQ, when the limits stop the consumer, when an event counts as handled)
live here once.
"""

import logging
from dataclasses import dataclass
from typing import Any, Generic

from contractgen.runtime.dead_letter import DeadLetterLimiter, DeadLetterPolicy, FailedMessage
from contractgen.runtime.envelope import Envelope
from contractgen.runtime.errors import DeserializationError, FramingError
from contractgen.runtime.framing import peek_schema_id
from contractgen.runtime.model import P
from contractgen.runtime.serde import TopicSerde

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class RawMessage:
    """A Kafka record as either client delivers it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    timestamp: int | None

    def failed(self, error: BaseException, schema_id: int | None) -> FailedMessage:
        return FailedMessage(
            topic=self.topic,
            partition=self.partition,
            offset=self.offset,
            key=self.key,
            value=self.value,
            headers=self.headers,
            timestamp=self.timestamp,
            schema_id=schema_id,
            error=error,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsumedEvent(Generic[P]):
    """What a handler receives: the decoded envelope and where it came from."""

    envelope: Envelope[P]
    key: Any
    topic: str
    partition: int
    offset: int
    timestamp: int | None
    """Kafka record timestamp, epoch milliseconds."""
    headers: list[tuple[str, bytes]]
    schema_id: int

    @property
    def payload(self) -> P:
        return self.envelope.payload


@dataclass(slots=True)
class ConsumerStats:
    handled: int = 0
    duplicates: int = 0
    dead_lettered: int = 0


class Pipeline(Generic[P]):
    def __init__(
        self,
        serde: TopicSerde[P],
        dead_letter: DeadLetterPolicy | None,
    ) -> None:
        self.serde = serde
        self.dead_letter = dead_letter
        self.dead_letter_topic = (
            None if dead_letter is None else dead_letter.topic or serde.spec.dead_letter_topic
        )
        self.stats = ConsumerStats()
        self._limiter = None if dead_letter is None else DeadLetterLimiter(dead_letter)

    def decode(self, raw: RawMessage) -> ConsumedEvent[P] | FailedMessage:
        """The event, or the failure to route to the DLQ when the bytes can't be read."""
        value = raw.value or b""
        try:
            schema_id, envelope = self.serde.deserialize_value(value)
            key = self.serde.deserialize_key(raw.key)
        except (FramingError, DeserializationError) as exc:
            return raw.failed(exc, peek_schema_id(value))
        return ConsumedEvent(
            envelope=envelope,
            key=key,
            topic=raw.topic,
            partition=raw.partition,
            offset=raw.offset,
            timestamp=raw.timestamp,
            headers=raw.headers,
            schema_id=schema_id,
        )

    def needs_registry(self, raw: RawMessage) -> bool:
        """True when decoding `raw` asks the registry for a writer schema (a blocking call)."""
        return self.serde.needs_lookup(raw.value, raw.key)

    def skipped_duplicate(self) -> None:
        self.stats.duplicates += 1

    def succeeded(self) -> None:
        """Count a handled event; call after the idempotency store marked it."""
        self.stats.handled += 1
        if self._limiter is not None:
            self._limiter.succeeded()

    def reject(self, failed: FailedMessage) -> str:
        """The DLQ topic to write `failed` to; re-raises when there is no DLQ or a limit passed."""
        if self._limiter is None or self.dead_letter_topic is None:
            raise failed.error
        self._limiter.failed(failed)
        log.warning(
            "%s[%d] offset %d goes to %s: %s: %s",
            failed.topic,
            failed.partition,
            failed.offset,
            self.dead_letter_topic,
            type(failed.error).__qualname__,
            failed.error,
        )
        return self.dead_letter_topic

    def dead_lettered(self) -> None:
        """Count a message written to the dead-letter topic. Its event id is not marked as
        handled, so replaying the dead-letter topic reaches the handler again."""
        self.stats.dead_lettered += 1
