"""The typed async producer on aiokafka."""

import asyncio
from collections.abc import Mapping
from typing import Any, Generic

from contractgen.runtime import metrics as m
from contractgen.runtime.aio.client import PRODUCER_DEFAULTS, AsyncClient, aiokafka
from contractgen.runtime.aio.config import aiokafka_kwargs
from contractgen.runtime.delivery import DeliveryReport
from contractgen.runtime.envelope import Envelope
from contractgen.runtime.errors import DeliveryError
from contractgen.runtime.headers import HeadersArg, normalize_headers
from contractgen.runtime.metrics import Metrics
from contractgen.runtime.model import P
from contractgen.runtime.producer import new_envelope
from contractgen.runtime.registry import SchemaRegistry
from contractgen.runtime.serde import TopicSerde
from contractgen.runtime.topic import TopicSpec
from contractgen.runtime.tracing import outgoing, with_traceparent


class AsyncProducer(AsyncClient, Generic[P]):
    """Produces envelopes of one topic's events; idempotent with acks=all unless configured off.

    `config` is the sync Producer's librdkafka-style dict (``{"bootstrap.servers": ...}``, see
    `aiokafka_kwargs`) and/or AIOKafkaProducer keyword arguments. Use as
    ``async with`` or call `start()`/`close()`. Constructing makes no network call: `start()`
    looks the schema ids up (in a worker thread, so the event loop is never blocked) and raises
    `SchemaNotRegisteredError` when a schema is not registered, before connecting to Kafka.
    """

    def __init__(
        self,
        spec: TopicSpec[P],
        config: Mapping[str, Any],
        registry: SchemaRegistry,
        *,
        producer_name: str | None = None,
        auto_register: bool = False,
    ) -> None:
        self.spec = spec
        self._serde = TopicSerde(spec, registry, auto_register=auto_register)
        kwargs = aiokafka_kwargs(config, "producer")
        self._name = producer_name or str(kwargs.get("client_id", "contractgen"))
        self._producer = aiokafka().AIOKafkaProducer(**{**PRODUCER_DEFAULTS, **kwargs})
        self.metrics: Metrics | None = None
        """Where delivery counts are reported (see contractgen.runtime.metrics)."""
        self._labels = {"topic": spec.name}

    async def start(self) -> None:
        """Look the schema ids up, then connect; on failure the client is closed again."""
        try:
            await asyncio.to_thread(self._serde.resolve_ids)
            await self._producer.start()
        except BaseException:
            await self._producer.stop()  # else it is left unclosed, with its connections
            raise

    async def send(
        self,
        event: P,
        *,
        key: object = None,
        headers: HeadersArg = None,
        correlation_id: str | None = None,
        trace_id: str | None = None,
    ) -> "asyncio.Future[DeliveryReport]":
        """Enqueue `event` in a new envelope; await the returned future for its delivery.

        The record gets a W3C `traceparent` header (see contractgen.runtime.tracing)."""
        trace_id, traceparent = outgoing(trace_id)
        envelope = new_envelope(event, self._name, correlation_id, trace_id)
        return await self._send(envelope, key, headers, traceparent)

    async def send_envelope(
        self, envelope: Envelope[P], *, key: object = None, headers: HeadersArg = None
    ) -> "asyncio.Future[DeliveryReport]":
        """Produce a ready envelope (e.g. one being re-published with its original event id)."""
        return await self._send(envelope, key, headers, outgoing(envelope.trace_id)[1])

    async def _send(
        self, envelope: Envelope[P], key: object, headers: HeadersArg, traceparent: str | None
    ) -> "asyncio.Future[DeliveryReport]":
        value = self._serde.serialize_value(envelope)
        key_bytes = self._serde.serialize_key(self._serde.key_of(envelope.payload, key))
        sent = await self._producer.send(
            self.spec.name,
            value=value,
            key=key_bytes,
            headers=with_traceparent(normalize_headers(headers), traceparent),
        )
        report: asyncio.Future[DeliveryReport] = asyncio.get_running_loop().create_future()
        event_id = envelope.event_id

        def delivered(done: "asyncio.Future[Any]") -> None:
            if done.cancelled():
                report.cancel()
            elif (error := done.exception()) is not None:
                if self.metrics is not None:
                    self.metrics.count(m.PRODUCE_ERRORS, 1, self._labels)
                report.set_exception(
                    DeliveryError(f"event {event_id} to {self.spec.name} failed: {error!r}")
                )
            else:
                if self.metrics is not None:
                    self.metrics.count(m.PRODUCED, 1, self._labels)
                meta = done.result()
                report.set_result(
                    DeliveryReport(
                        event_id=event_id,
                        topic=meta.topic,
                        partition=meta.partition,
                        offset=meta.offset,
                        timestamp=meta.timestamp if meta.timestamp >= 0 else None,
                    )
                )

        sent.add_done_callback(delivered)
        return report

    async def send_and_wait(
        self,
        event: P,
        *,
        key: object = None,
        headers: HeadersArg = None,
        correlation_id: str | None = None,
        trace_id: str | None = None,
    ) -> DeliveryReport:
        future = await self.send(
            event, key=key, headers=headers, correlation_id=correlation_id, trace_id=trace_id
        )
        return await future

    async def flush(self) -> None:
        await self._producer.flush()

    async def close(self) -> None:
        await self._producer.stop()
