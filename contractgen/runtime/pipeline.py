"""The per-message steps every consumer shares: decode, skip duplicates, count, dead-letter.

Sync and async consumers differ only in how they call the handler and write to Kafka; the rules
(which errors go to the DLQ, when the limits stop the consumer, when an event counts as handled)
live here once.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Generic
from uuid import UUID

from contractgen.runtime import metrics as m
from contractgen.runtime.dead_letter import DeadLetterLimiter, DeadLetterPolicy, FailedMessage
from contractgen.runtime.envelope import Envelope
from contractgen.runtime.errors import DeserializationError, FramingError, Reason
from contractgen.runtime.framing import peek_schema_id
from contractgen.runtime.metrics import Metrics
from contractgen.runtime.model import P
from contractgen.runtime.registry import RegistryRetry
from contractgen.runtime.serde import TopicSerde
from contractgen.runtime.tracing import TRACEPARENT, TRACESTATE, header_value

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

    def failed(
        self,
        error: BaseException,
        schema_id: int | None,
        reason: Reason,
        event_id: UUID | None = None,
    ) -> FailedMessage:
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
            reason=reason,
            event_id=event_id,
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

    @property
    def traceparent(self) -> str | None:
        """The record's W3C `traceparent` header, if it has one."""
        return header_value(self.headers, TRACEPARENT)

    @property
    def trace_carrier(self) -> dict[str, str]:
        """The W3C trace context headers, for an OpenTelemetry propagator:
        ``opentelemetry.propagate.extract(event.trace_carrier)``."""
        carrier = {}
        for name in (TRACEPARENT, TRACESTATE):
            value = header_value(self.headers, name)
            if value is not None:
                carrier[name] = value
        return carrier


_new = object.__new__
# the slot descriptors of the frozen records built per message: setting through them bypasses
# the frozen __setattr__ (a frozen __init__ goes through object.__setattr__ for every field)
(
    _set_envelope,
    _set_key,
    _set_topic,
    _set_partition,
    _set_offset,
    _set_timestamp,
    _set_headers,
    _set_schema_id,
) = (vars(ConsumedEvent)[f.name].__set__ for f in fields(ConsumedEvent))
(
    _set_raw_topic,
    _set_raw_partition,
    _set_raw_offset,
    _set_raw_key,
    _set_raw_value,
    _set_raw_headers,
    _set_raw_timestamp,
) = (vars(RawMessage)[f.name].__set__ for f in fields(RawMessage))


def raw_record(
    *,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    headers: list[tuple[str, bytes]],
    timestamp: int | None,
) -> RawMessage:
    """`RawMessage(...)`, its slots filled directly."""
    raw: RawMessage = _new(RawMessage)
    _set_raw_topic(raw, topic)
    _set_raw_partition(raw, partition)
    _set_raw_offset(raw, offset)
    _set_raw_key(raw, key)
    _set_raw_value(raw, value)
    _set_raw_headers(raw, headers)
    _set_raw_timestamp(raw, timestamp)
    return raw


@dataclass(slots=True)
class ConsumerStats:
    """What a consumer has done with its messages so far (`consumer.stats`; `run` returns it)."""

    # (a docstring also spares @dataclass building one from inspect.signature at import)
    handled: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    decode_failures: int = 0
    registry_retries: int = 0


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
        self.metrics: Metrics | None = None
        self.labels: Mapping[str, str] = {"topic": serde.spec.name}
        serde.schema_ids.on_retry = self._registry_retried

    def decode(self, raw: RawMessage) -> ConsumedEvent[P] | FailedMessage:
        """The event, or the failure to route to the DLQ when the bytes can't be read."""
        try:
            return self.event(
                topic=raw.topic,
                partition=raw.partition,
                offset=raw.offset,
                key=raw.key,
                value=raw.value,
                headers=raw.headers,
                timestamp=raw.timestamp,
            )
        except (FramingError, DeserializationError) as exc:
            return self.undecodable(raw, exc)

    def event(
        self,
        *,
        topic: str,
        partition: int,
        offset: int,
        key: bytes | None,
        value: bytes | None,
        headers: list[tuple[str, bytes]],
        timestamp: int | None,
    ) -> ConsumedEvent[P]:
        """The event of a record given field by field (no RawMessage is built for a message
        that decodes); raises FramingError or DeserializationError, see `undecodable`."""
        serde = self.serde
        schema_id, envelope = serde.deserialize_value(value or b"")
        # ConsumedEvent(...) without the frozen __init__ (2x the cost): its slots in order
        event: ConsumedEvent[P] = _new(ConsumedEvent)
        _set_envelope(event, envelope)
        _set_key(event, serde.deserialize_key(key))
        _set_topic(event, topic)
        _set_partition(event, partition)
        _set_offset(event, offset)
        _set_timestamp(event, timestamp)
        _set_headers(event, headers)
        _set_schema_id(event, schema_id)
        return event

    def undecodable(self, raw: RawMessage, error: Exception) -> FailedMessage:
        """Count a message `event` could not read; the failure to route to the DLQ."""
        reason = error.reason if isinstance(error, DeserializationError) else Reason.NOT_FRAMED
        self.stats.decode_failures += 1
        if self.metrics is not None:
            self.metrics.count(m.DECODE_FAILURES, 1, self._with_reason(reason))
        return raw.failed(error, peek_schema_id(raw.value or b""), reason)

    def needs_registry(self, raw: RawMessage) -> bool:
        """True when decoding `raw` asks the registry for a writer schema (a blocking call)."""
        return self.serde.needs_lookup(raw.value, raw.key)

    def skipped_duplicate(self) -> None:
        self.stats.duplicates += 1
        if self.metrics is not None:
            self.metrics.count(m.DUPLICATES, 1, self.labels)

    def succeeded(self) -> None:
        """Count a handled event; call after the idempotency store marked it."""
        self.stats.handled += 1
        if self._limiter is not None:
            self._limiter.succeeded()
        if self.metrics is not None:
            self.metrics.count(m.HANDLED, 1, self.labels)

    def committed(self, seconds: float) -> None:
        if self.metrics is not None:
            self.metrics.observe(m.COMMIT_SECONDS, seconds, self.labels)

    def commit_lost(self, count: int, reason: str) -> None:
        """The group reassigned the partitions before `count` handled messages were committed:
        not an error of this consumer's (they are redelivered, at least once), but worth a line."""
        log.warning(
            "%s consumer: the group reassigned the partitions before %d handled messages were "
            "committed (%s), usually because handling a batch took longer than "
            "max.poll.interval.ms: they will be redelivered. Lower batch_size or raise "
            "max.poll.interval.ms; an idempotency store skips the repeats",
            self.labels["topic"],
            count,
            reason,
        )

    def _registry_retried(self) -> None:
        self.stats.registry_retries += 1
        if self.metrics is not None:
            self.metrics.count(m.REGISTRY_RETRIES, 1, self.labels)

    def _with_reason(self, reason: Reason) -> dict[str, str]:
        return {**self.labels, "reason": reason.value}

    def reject(self, failed: FailedMessage) -> str:
        """The DLQ topic to write `failed` to; re-raises when there is no DLQ or a limit passed."""
        if self._limiter is None or self.dead_letter_topic is None:
            raise failed.error
        self._limiter.failed(failed)
        # a handler's failure is a bug to find: log its traceback (once: here, not when it is
        # written); a decoding failure's reason and message say all there is
        log.warning(
            "%s[%d] offset %d%s goes to %s (%s): %s: %s",
            failed.topic,
            failed.partition,
            failed.offset,
            "" if failed.event_id is None else f" (event {failed.event_id})",
            self.dead_letter_topic,
            failed.reason.value,
            type(failed.error).__qualname__,
            failed.error,
            exc_info=failed.error if failed.reason is Reason.HANDLER else None,
        )
        return self.dead_letter_topic

    def dead_lettered(self, failed: FailedMessage) -> None:
        """Count a message written to the dead-letter topic. Its event id is not marked as
        handled, so replaying the dead-letter topic reaches the handler again."""
        self.stats.dead_lettered += 1
        if self.metrics is not None:
            self.metrics.count(m.DEAD_LETTERED, 1, self._with_reason(failed.reason))


class PipelineSettings(Generic[P]):
    """What both consumers expose of their pipeline: counts and the settings made after
    construction (generated subclasses repeat only the constructor's arguments)."""

    _pipeline: Pipeline[P]

    @property
    def stats(self) -> ConsumerStats:
        return self._pipeline.stats

    @property
    def metrics(self) -> Metrics | None:
        """Where counters and commit latency are reported (see contractgen.runtime.metrics)."""
        return self._pipeline.metrics

    @metrics.setter
    def metrics(self, hook: Metrics | None) -> None:
        self._pipeline.metrics = hook

    @property
    def registry_retry(self) -> RegistryRetry:
        """How long fetching a writer schema is retried through transient registry failures."""
        return self._pipeline.serde.schema_ids.retry

    @registry_retry.setter
    def registry_retry(self, retry: RegistryRetry) -> None:
        self._pipeline.serde.schema_ids.retry = retry
