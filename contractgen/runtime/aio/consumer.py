"""The typed async consumer on aiokafka, with the sync consumer's commit and DLQ semantics.

A batch is handled and committed while holding a lock that the rebalance listener also takes, so
partitions are only given up after the handled messages' offsets are committed.
"""

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from time import monotonic, perf_counter
from typing import Any

from contractgen.runtime.aio.client import (
    PRODUCER_DEFAULTS,
    AsyncClient,
    aiokafka,
    connection_settings,
)
from contractgen.runtime.aio.config import aiokafka_kwargs
from contractgen.runtime.dead_letter import (
    DeadLetterPolicy,
    FailedMessage,
    dead_letter_write_error,
)
from contractgen.runtime.errors import Reason
from contractgen.runtime.headers import received_headers
from contractgen.runtime.idempotency import (
    AsyncIdempotencyStore,
    IdempotencyStore,
    mark_async,
    release_async,
    seen_async,
)
from contractgen.runtime.model import P
from contractgen.runtime.pipeline import (
    ConsumedEvent,
    ConsumerStats,
    Pipeline,
    PipelineSettings,
    RawMessage,
    raw_record,
)
from contractgen.runtime.registry import SchemaRegistry
from contractgen.runtime.serde import TopicSerde
from contractgen.runtime.topic import TopicSpec

AsyncHandler = Callable[[ConsumedEvent[P]], Awaitable[object]]


def raw_message(record: Any) -> RawMessage:
    return raw_record(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers=received_headers(record.headers),
        timestamp=record.timestamp if record.timestamp >= 0 else None,
    )


class AsyncConsumer(AsyncClient, PipelineSettings[P]):
    """Consumes one topic's envelopes in a consumer group.

    `config` is the sync Consumer's librdkafka-style dict (``{"bootstrap.servers": ...}``, see
    `aiokafka_kwargs`) and/or AIOKafkaConsumer keyword arguments. Construct it inside a running
    event loop (aiokafka's rule). Writer-schema lookups (once per schema id)
    run in a worker thread. `idempotency` takes an async store (awaited) or a sync one (called on
    the event loop: keep those to in-memory ones).
    """

    def __init__(
        self,
        spec: TopicSpec[P],
        config: Mapping[str, Any],
        registry: SchemaRegistry,
        *,
        group_id: str,
        auto_offset_reset: str = "earliest",
        dead_letter: DeadLetterPolicy | None = DeadLetterPolicy(),  # noqa: B008 - frozen
        idempotency: IdempotencyStore | AsyncIdempotencyStore | None = None,
        batch_size: int = 100,
        poll_timeout: float = 0.5,
    ) -> None:
        self.spec = spec
        self._pipeline = Pipeline(TopicSerde(spec, registry), dead_letter)
        self._store = idempotency
        self._batch_size = batch_size
        self._poll_timeout_ms = int(poll_timeout * 1000)
        self._running = False
        self._closed = False
        self._batch_lock = asyncio.Lock()
        kafka = aiokafka()
        self._kafka = kafka
        kwargs = aiokafka_kwargs(config, "consumer")
        self._consumer = kafka.AIOKafkaConsumer(
            **{
                **kwargs,
                "group_id": group_id,
                "auto_offset_reset": auto_offset_reset,
                "enable_auto_commit": False,
            }
        )
        lock = self._batch_lock

        class _WaitForCommit(kafka.ConsumerRebalanceListener):  # type: ignore[misc,name-defined]
            async def on_partitions_revoked(self, revoked: object) -> None:
                async with lock:  # the batch in progress commits before the partitions go
                    pass

            async def on_partitions_assigned(self, assigned: object) -> None:
                pass

        self._consumer.subscribe([spec.name], listener=_WaitForCommit())
        self._dlq_config = {
            **connection_settings(kwargs),
            **PRODUCER_DEFAULTS,
            # a request (and a batch with no leader) fails when our wait for it does
            "request_timeout_ms": int((dead_letter.timeout if dead_letter else 30) * 1000),
            **aiokafka_kwargs(dead_letter.producer_config if dead_letter else {}, "producer"),
        }
        self._dlq_producer: Any = None
        self._iteration: AsyncGenerator[ConsumedEvent[P], None] | None = None

    async def start(self) -> None:
        await self._consumer.start()

    async def run(
        self,
        handler: AsyncHandler[P],
        *,
        max_messages: int | None = None,
        idle_timeout: float | None = None,
    ) -> ConsumerStats:
        """Handle messages until `stop()`, `max_messages` processed (handled, skipped as
        duplicates or dead-lettered), or `idle_timeout` seconds without messages.

        Raises like the sync Consumer.run.
        """
        self._running = True
        seen = 0
        while self._running and (batch := await self._fetch(idle_timeout)):
            async with self._handling(batch) as handled:
                for record in batch:
                    if not self._running:
                        break
                    await self._process(raw_message(record), handler)
                    handled.append(record)
                    seen += 1
                    self._running = self._running and seen != max_messages
        return self.stats

    def __aiter__(self) -> AsyncIterator[ConsumedEvent[P]]:
        """The events, for ``async for``; runs until `stop()`.

        An event counts as handled when the loop asks for the next one, so call `stop()` in the
        body to finish after the current event. When the body raises (or breaks), the event is
        not committed and the exception propagates, without dead-lettering; `close()` (the end
        of ``async with``) commits what was handled before it. Undecodable messages still go to
        the dead-letter topic.
        """
        if self._iteration is None:
            self._iteration = self._iterate()
        return self._iteration

    async def _iterate(self) -> AsyncGenerator[ConsumedEvent[P], None]:
        pipeline = self._pipeline
        self._running = True
        while self._running and (batch := await self._fetch(None)):
            async with self._handling(batch) as handled:
                for record in batch:
                    if not self._running:
                        break
                    event = await self._decode(raw_message(record))
                    if isinstance(event, FailedMessage):
                        await self._dead_letter(event)
                        pipeline.dead_lettered(event)
                    elif not await self._is_duplicate(event):
                        try:
                            yield event
                        except GeneratorExit:  # the body raised or broke: not handled
                            if self._store is not None:
                                await release_async(self._store, event.envelope.event_id)
                            raise
                        await self._succeeded(event)
                    handled.append(record)

    async def _fetch(self, idle_timeout: float | None) -> list[Any]:
        """The next non-empty batch; empty when `idle_timeout` passed or `stop()` was called."""
        idle_since = monotonic()
        while self._running:
            fetched = await self._consumer.getmany(
                timeout_ms=self._poll_timeout_ms, max_records=self._batch_size
            )
            if batch := [record for records in fetched.values() for record in records]:
                return batch
            if idle_timeout is not None and monotonic() - idle_since >= idle_timeout:
                break
        return []

    @contextlib.asynccontextmanager
    async def _handling(self, batch: list[Any]) -> AsyncIterator[list[Any]]:
        """Hold off rebalances; on exit commit the records added to the yielded list (a prefix
        of `batch`) and rewind to the first one that was not."""
        handled: list[Any] = []
        async with self._batch_lock:
            try:
                yield handled
            finally:
                if await self._commit(handled):
                    self._rewind(batch[len(handled) :])

    def stop(self) -> None:
        """Finish the current message, commit, and return from `run`."""
        self._running = False

    async def _process(self, raw: RawMessage, handler: AsyncHandler[P]) -> None:
        event = await self._decode(raw)
        if isinstance(event, FailedMessage):
            await self._dead_letter(event)
            self._pipeline.dead_lettered(event)
            return
        if await self._is_duplicate(event):
            return
        try:
            await handler(event)
        except Exception as exc:
            if self._store is not None:  # before dead-lettering, which may raise
                await release_async(self._store, event.envelope.event_id)
            failed = raw.failed(exc, event.schema_id, Reason.HANDLER, event.envelope.event_id)
            await self._dead_letter(failed)
            self._pipeline.dead_lettered(failed)
        else:
            await self._succeeded(event)

    async def _decode(self, raw: RawMessage) -> ConsumedEvent[P] | FailedMessage:
        """Decode off the event loop when a writer schema must be fetched (once per id)."""
        if self._pipeline.needs_registry(raw):
            return await asyncio.to_thread(self._pipeline.decode, raw)
        return self._pipeline.decode(raw)

    async def _is_duplicate(self, event: ConsumedEvent[P]) -> bool:
        if self._store is not None and await seen_async(self._store, event.envelope.event_id):
            self._pipeline.skipped_duplicate()
            return True
        return False

    async def _succeeded(self, event: ConsumedEvent[P]) -> None:
        if self._store is not None:
            await mark_async(self._store, event.envelope.event_id)
        self._pipeline.succeeded()

    async def _dead_letter(self, failed: FailedMessage) -> None:
        topic = self._pipeline.reject(failed)
        policy = self._pipeline.dead_letter
        assert policy is not None  # reject() raised otherwise
        try:
            if self._dlq_producer is None:
                producer = self._kafka.AIOKafkaProducer(**self._dlq_config)
                try:
                    await asyncio.wait_for(producer.start(), policy.timeout)
                except BaseException:
                    await producer.stop()  # else it is left unclosed, with its connections
                    raise
                self._dlq_producer = producer
            await asyncio.wait_for(
                self._dlq_producer.send_and_wait(
                    topic, value=failed.value, key=failed.key, headers=failed.dead_letter_headers()
                ),
                policy.timeout,
            )
        except (self._kafka.errors.KafkaError, TimeoutError) as exc:
            raise dead_letter_write_error(failed, topic, repr(exc)) from exc

    async def _commit(self, handled: Sequence[Any]) -> bool:
        """Commit the handled records' offsets; False when the group had already reassigned
        their partitions (aiokafka's CommitFailedError: they are redelivered, and seeking in
        partitions this member may no longer own would fail)."""
        offsets = {self._kafka.TopicPartition(r.topic, r.partition): r.offset + 1 for r in handled}
        if not offsets:
            return True
        started = perf_counter()
        try:
            await self._consumer.commit(offsets)
        except self._kafka.errors.CommitFailedError as exc:
            self._pipeline.commit_lost(len(handled), type(exc).__name__)
            return False
        self._pipeline.committed(perf_counter() - started)
        return True

    def _rewind(self, unhandled: Sequence[Any]) -> None:
        """Seek back so a later `run` starts at the first message not handled."""
        first: dict[Any, int] = {}
        for r in unhandled:
            first.setdefault(self._kafka.TopicPartition(r.topic, r.partition), r.offset)
        for tp, offset in first.items():
            self._consumer.seek(tp, offset)

    async def close(self) -> None:
        """Commit what an `async for` handled, leave the group, stop the DLQ producer;
        idempotent."""
        if self._closed:
            return
        self._closed = True
        self._running = False
        if self._iteration is not None:  # commits what an `async for` handled
            await self._iteration.aclose()
        await self._consumer.stop()
        if self._dlq_producer is not None:
            await self._dlq_producer.stop()
