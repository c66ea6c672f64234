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
from contractgen.runtime.framing import schema_id_of
from contractgen.runtime.idempotency import IdempotencyStore
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
        store: IdempotencyStore | None,
    ) -> None:
        self.serde = serde
        self.dead_letter = dead_letter
        self.dead_letter_topic = (
            None if dead_letter is None else dead_letter.topic or serde.spec.dead_letter_topic
        )
        self.stats = ConsumerStats()
        self._store = store
        self._limiter = None if dead_letter is None else DeadLetterLimiter(dead_letter)

    def decode(self, raw: RawMessage) -> ConsumedEvent[P] | FailedMessage:
        """The event, or the failure to route to the DLQ when the bytes can't be read."""
        value = raw.value or b""
        try:
            schema_id, envelope = self.serde.deserialize_value(value)
            key = self.serde.deserialize_key(raw.key)
        except (FramingError, DeserializationError) as exc:
            return raw.failed(exc, _schema_id_or_none(value))
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

    def is_duplicate(self, event: ConsumedEvent[P]) -> bool:
        if self._store is not None and self._store.seen(event.envelope.event_id):
            self.stats.duplicates += 1
            return True
        return False

    def succeeded(self, event: ConsumedEvent[P]) -> None:
        self.stats.handled += 1
        if self._limiter is not None:
            self._limiter.succeeded()
        if self._store is not None:
            self._store.mark(event.envelope.event_id)

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

    def dead_lettered(self, event: ConsumedEvent[P] | None) -> None:
        self.stats.dead_lettered += 1
        if event is not None and self._store is not None:
            self._store.mark(event.envelope.event_id)


def _schema_id_or_none(value: bytes) -> int | None:
    try:
        return schema_id_of(value)
    except FramingError:
        return None
