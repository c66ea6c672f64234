"""The typed consumer on confluent-kafka (librdkafka).

Offsets are committed only for messages whose handler returned or that were written to the
dead-letter topic, synchronously after each fetched batch and before the next fetch, so a rebalance
never hands out a partition with handled-but-uncommitted messages. After a crash, the uncommitted
tail of the last batch is redelivered; an idempotency store skips what was already handled.
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from time import monotonic, perf_counter
from types import TracebackType
from typing import Any, Self

import confluent_kafka

from contractgen.runtime.dead_letter import (
    DeadLetterPolicy,
    FailedMessage,
    dead_letter_write_error,
)
from contractgen.runtime.errors import DeserializationError, FramingError, Reason
from contractgen.runtime.headers import received_headers
from contractgen.runtime.idempotency import IdempotencyStore, release
from contractgen.runtime.model import P
from contractgen.runtime.pipeline import (
    ConsumedEvent,
    ConsumerStats,
    Pipeline,
    PipelineSettings,
    RawMessage,
    raw_record,
)
from contractgen.runtime.producer import PRODUCER_DEFAULTS
from contractgen.runtime.registry import SchemaRegistry
from contractgen.runtime.serde import TopicSerde
from contractgen.runtime.topic import TopicSpec

log = logging.getLogger(__name__)
_NO_TIMESTAMP = confluent_kafka.TIMESTAMP_NOT_AVAILABLE
_CONNECTION_PREFIXES = ("bootstrap.servers", "security.", "sasl.", "ssl.", "client.")
# commit errors meaning the group already gave the partitions to another member (or generation)
_GROUP_MOVED_ON = frozenset(
    {
        confluent_kafka.KafkaError.UNKNOWN_MEMBER_ID,
        confluent_kafka.KafkaError.ILLEGAL_GENERATION,
        confluent_kafka.KafkaError.REBALANCE_IN_PROGRESS,
        confluent_kafka.KafkaError._ASSIGNMENT_LOST,  # librdkafka-local codes start with _
        confluent_kafka.KafkaError._MAX_POLL_EXCEEDED,
    }
)


def connection_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The subset of a client config that says how to reach and authenticate to the cluster."""
    return {k: v for k, v in config.items() if k.startswith(_CONNECTION_PREFIXES)}


def raw_message(msg: confluent_kafka.Message) -> RawMessage:
    topic, partition, offset = msg.topic(), msg.partition(), msg.offset()
    assert topic is not None and partition is not None and offset is not None  # set when fetched
    ts_type, ts = msg.timestamp()
    headers = msg.headers()
    return raw_record(
        topic=topic,
        partition=partition,
        offset=offset,
        key=msg.key(),
        value=msg.value(),
        headers=[] if headers is None else received_headers(headers),
        timestamp=None if ts_type == _NO_TIMESTAMP else ts,
    )


class Consumer(PipelineSettings[P]):
    """Consumes one topic's envelopes in a consumer group and hands them to a handler."""

    def __init__(
        self,
        spec: TopicSpec[P],
        config: Mapping[str, Any],
        registry: SchemaRegistry,
        *,
        group_id: str,
        auto_offset_reset: str = "earliest",
        dead_letter: DeadLetterPolicy | None = DeadLetterPolicy(),  # noqa: B008 - frozen
        idempotency: IdempotencyStore | None = None,
        batch_size: int = 100,
        poll_timeout: float = 0.5,
    ) -> None:
        self.spec = spec
        self._pipeline = Pipeline(TopicSerde(spec, registry), dead_letter)
        self._store = idempotency
        self._batch_size = batch_size
        self._poll_timeout = poll_timeout
        self._running = False
        self._closed = False
        self._consumer = confluent_kafka.Consumer(
            {
                **config,
                "group.id": group_id,
                "auto.offset.reset": auto_offset_reset,
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
            }
        )
        self._consumer.subscribe([spec.name])
        self._dlq_producer: confluent_kafka.Producer | None = None
        self._dlq_config = {
            **connection_settings(config),
            **PRODUCER_DEFAULTS,
            # librdkafka gives up when we do, so a write reported failed is never delivered later
            "message.timeout.ms": int((dead_letter.timeout if dead_letter else 30) * 1000),
            **(dead_letter.producer_config if dead_letter else {}),
        }

    def run(
        self,
        handler: Callable[[ConsumedEvent[P]], object],
        *,
        max_messages: int | None = None,
        idle_timeout: float | None = None,
    ) -> ConsumerStats:
        """Handle messages until `stop()`, `max_messages` processed (handled, skipped as
        duplicates or dead-lettered), or `idle_timeout` seconds without messages.

        Raises DeadLetterLimitExceeded / DeadLetterWriteError (nothing uncommitted is lost: the
        unhandled rest of the batch is rewound), or the handler's exception when there is no DLQ.
        """
        if self._closed:
            raise RuntimeError(f"the consumer of {self.spec.name} is closed")
        self._running = True
        seen = 0
        last_activity = monotonic()
        while self._running:
            batch = self._consumer.consume(self._batch_size, self._poll_timeout)
            if not batch:
                if idle_timeout is not None and monotonic() - last_activity >= idle_timeout:
                    break
                continue
            last_activity = monotonic()
            # per partition, the offset after the last message handled (or dead-lettered)
            offsets: dict[tuple[str, int], int] = {}
            handled = done = 0
            try:
                for msg in batch:
                    if not self._running:
                        break
                    error = msg.error()
                    if error is None:
                        topic, partition, offset = msg.topic(), msg.partition(), msg.offset()
                        assert topic is not None and partition is not None and offset is not None
                        self._process(msg, topic, partition, offset, handler)
                        offsets[topic, partition] = offset + 1
                        handled += 1
                        seen += 1
                        self._running = self._running and seen != max_messages
                    elif error.fatal():
                        raise confluent_kafka.KafkaException(error)
                    else:  # e.g. topic not created yet, broker down: librdkafka retries by itself
                        log.warning("%s consumer: %s", self.spec.name, error)
                    done += 1
            finally:
                if self._commit(offsets, handled):
                    self._rewind([raw_message(m) for m in batch[done:] if m.error() is None])
        return self.stats

    def stop(self) -> None:
        """Finish the current message, commit, and return from `run`."""
        self._running = False

    def _process(
        self,
        msg: confluent_kafka.Message,
        topic: str,
        partition: int,
        offset: int,
        handler: Callable[[ConsumedEvent[P]], object],
    ) -> None:
        pipeline, store = self._pipeline, self._store
        headers = msg.headers()
        received = [] if headers is None else received_headers(headers)
        ts_type, ts = msg.timestamp()
        timestamp = None if ts_type == _NO_TIMESTAMP else ts
        # a RawMessage only for a message that fails (raw_message): most never need one
        try:
            event = pipeline.event(
                topic=topic,
                partition=partition,
                offset=offset,
                key=msg.key(),
                value=msg.value(),
                headers=received,
                timestamp=timestamp,
            )
        except (FramingError, DeserializationError) as exc:
            failed = pipeline.undecodable(raw_message(msg), exc)
            self._dead_letter(failed)
            pipeline.dead_lettered(failed)
            return
        event_id = event.envelope.event_id
        if store is not None and store.seen(event_id):
            pipeline.skipped_duplicate()
            return
        try:
            handler(event)
        except Exception as exc:
            if store is not None:  # before dead-lettering, which may raise (no DLQ, limit)
                release(store, event_id)
            failed = raw_message(msg).failed(exc, event.schema_id, Reason.HANDLER, event_id)
            self._dead_letter(failed)
            pipeline.dead_lettered(failed)
        else:
            if store is not None:
                store.mark(event_id)
            pipeline.succeeded()

    def _dead_letter(self, failed: FailedMessage) -> None:
        topic = self._pipeline.reject(failed)
        policy = self._pipeline.dead_letter
        assert policy is not None  # reject() raised otherwise
        if self._dlq_producer is None:
            self._dlq_producer = confluent_kafka.Producer(self._dlq_config)
        errors: list[confluent_kafka.KafkaError | None] = []
        try:
            self._dlq_producer.produce(
                topic,
                value=failed.value,
                key=failed.key,
                headers=[*failed.dead_letter_headers()],
                on_delivery=lambda err, _msg: errors.append(err),
            )
            self._dlq_producer.flush(policy.timeout + 1)
        except (confluent_kafka.KafkaException, BufferError) as exc:
            raise dead_letter_write_error(failed, topic, exc) from exc
        if not errors or errors[0] is not None:
            reason = errors[0] if errors else f"no acknowledgement within {policy.timeout}s"
            raise dead_letter_write_error(failed, topic, reason) from failed.error

    def _commit(self, offsets: Mapping[tuple[str, int], int], handled: int) -> bool:
        """Commit the offsets after the `handled` messages; False when the group had already
        reassigned their partitions (the messages are redelivered; an idempotency store skips
        them)."""
        if not offsets:
            return True
        started = perf_counter()
        try:
            self._consumer.commit(
                offsets=[confluent_kafka.TopicPartition(t, p, o) for (t, p), o in offsets.items()],
                asynchronous=False,
            )
            self._pipeline.committed(perf_counter() - started)
        except confluent_kafka.KafkaException as exc:
            error = exc.args[0] if exc.args else None
            if (
                not isinstance(error, confluent_kafka.KafkaError)
                or error.code() not in _GROUP_MOVED_ON
            ):
                raise
            self._pipeline.commit_lost(handled, error.str())
            return False
        return True

    def _rewind(self, unhandled: Sequence[RawMessage]) -> None:
        """Seek back so a later `run` starts at the first message not handled."""
        first: dict[tuple[str, int], int] = {}
        for m in unhandled:
            first.setdefault((m.topic, m.partition), m.offset)
        for (topic, partition), offset in first.items():
            self._consumer.seek(confluent_kafka.TopicPartition(topic, partition, offset))

    def close(self) -> None:
        """Leave the group (offsets are already committed); idempotent."""
        if self._closed:
            return
        self._closed = True
        self._running = False
        self._consumer.close()
        if self._dlq_producer is not None:  # whatever is still queued was reported as failed
            self._dlq_producer.purge()
            self._dlq_producer.flush(1)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
