"""The typed producer on confluent-kafka (librdkafka)."""

import threading
import weakref
from collections.abc import Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Generic, Self

import confluent_kafka

from contractgen.runtime.delivery import Delivery, DeliveryBoard, DeliveryReport, OnDelivery
from contractgen.runtime.envelope import Envelope, filled_envelope, random_uuid
from contractgen.runtime.errors import DeliveryError
from contractgen.runtime.headers import HeadersArg, normalize_headers
from contractgen.runtime.metrics import Metrics
from contractgen.runtime.model import P
from contractgen.runtime.registry import SchemaRegistry
from contractgen.runtime.serde import TopicSerde
from contractgen.runtime.topic import TopicSpec
from contractgen.runtime.tracing import outgoing, with_traceparent

__all__ = ["PRODUCER_DEFAULTS", "DeliveryReport", "Producer", "new_envelope"]

PRODUCER_DEFAULTS: Mapping[str, Any] = {
    "enable.idempotence": True,
    "acks": "all",
    # Java's partitioner (also aiokafka's), so a key lands on the same partition from any client
    "partitioner": "murmur2_random",
}


def new_envelope(
    payload: P, producer: str, correlation_id: str | None, trace_id: str | None
) -> Envelope[P]:
    return filled_envelope(
        event_id=random_uuid(),
        event_type=payload.AVRO_NAME,
        occurred_at=datetime.now(UTC),
        producer=producer,
        correlation_id=correlation_id,
        trace_id=trace_id,
        payload=payload,
    )


def _serve_delivery_reports(producer: confluent_kafka.Producer, closed: threading.Event) -> None:
    while not closed.is_set():
        producer.poll(0.1)


class Producer(Generic[P]):
    """Produces envelopes of one topic's events; idempotent with acks=all unless configured off.

    A background thread serves delivery reports, so the `Delivery` that `send` returns (a
    Future's `result`/`exception`/`done`) completes on its own. `on_delivery` callbacks run on
    that thread, or on the thread calling `flush`/`close` (or `send` while the local queue is
    full): make them thread-safe. `close()` (or leaving the `with` block) flushes and stops the
    thread; it is idempotent.
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
        self._serde.resolve_ids()
        self._name = producer_name or str(config.get("client.id", "contractgen"))
        self._producer = confluent_kafka.Producer({**PRODUCER_DEFAULTS, **config})
        self._board = DeliveryBoard(spec.name)
        self._closed = threading.Event()
        # the thread gets the client, not self, so an unclosed Producer can still be collected
        self._poller = threading.Thread(
            target=_serve_delivery_reports,
            args=(self._producer, self._closed),
            name=f"contractgen-delivery-{spec.name}",
            daemon=True,
        )
        self._poller.start()
        # an unclosed, collected Producer stops its thread (which holds only the client)
        weakref.finalize(self, self._closed.set)

    def send(
        self,
        event: P,
        *,
        key: object = None,
        headers: HeadersArg = None,
        correlation_id: str | None = None,
        trace_id: str | None = None,
        on_delivery: OnDelivery | None = None,
    ) -> Delivery:
        """Wrap `event` in a new envelope and produce it; key from the key field unless given.

        The record gets a W3C `traceparent` header (see contractgen.runtime.tracing)."""
        trace_id, traceparent = outgoing(trace_id)
        envelope = new_envelope(event, self._name, correlation_id, trace_id)
        return self._send(envelope, key, headers, on_delivery, traceparent)

    def send_envelope(
        self,
        envelope: Envelope[P],
        *,
        key: object = None,
        headers: HeadersArg = None,
        on_delivery: OnDelivery | None = None,
    ) -> Delivery:
        """Produce a ready envelope (e.g. one being re-published with its original event id)."""
        return self._send(envelope, key, headers, on_delivery, outgoing(envelope.trace_id)[1])

    def _send(
        self,
        envelope: Envelope[P],
        key: object,
        headers: HeadersArg,
        on_delivery: OnDelivery | None,
        traceparent: str | None,
    ) -> Delivery:
        if self._closed.is_set():
            raise RuntimeError(f"the producer of {self.spec.name} is closed")
        value = self._serde.serialize_value(envelope)
        key_bytes = self._serde.serialize_key(self._serde.key_of(envelope.payload, key))
        delivery = Delivery(envelope.event_id, self._board, on_delivery)
        produce_headers: list[tuple[str, str | bytes | None]] | None = None
        if headers is not None or traceparent is not None:
            produce_headers = [*with_traceparent(normalize_headers(headers), traceparent)]
        while True:
            try:
                self._producer.produce(
                    self.spec.name,
                    value=value,
                    key=key_bytes,
                    headers=produce_headers,
                    on_delivery=delivery.report,
                )
                break
            except BufferError:  # local queue full: wait for deliveries to make room
                self._producer.poll(0.1)
        return delivery

    @property
    def metrics(self) -> Metrics | None:
        """Where delivery counts are reported (see contractgen.runtime.metrics)."""
        return self._board.metrics

    @metrics.setter
    def metrics(self, hook: Metrics | None) -> None:
        self._board.metrics = hook

    def flush(self, timeout: float | None = None) -> int:
        """Wait for outstanding deliveries; the number still in flight after `timeout`."""
        return int(self._producer.flush(-1 if timeout is None else timeout))

    def close(self, timeout: float | None = None) -> None:
        """Flush, then stop the delivery thread. Messages still unacknowledged after `timeout`
        are purged: their deliveries fail with DeliveryError, and so does `close`."""
        if self._closed.is_set():
            return
        try:
            remaining = self.flush(timeout)
            if remaining:
                # fail them now rather than leave their deliveries pending forever
                self._producer.purge()
                self._producer.flush(1)  # serves the purged messages' delivery reports
        finally:
            self._closed.set()
            self._poller.join()
        if remaining:
            raise DeliveryError(
                f"{remaining} messages to {self.spec.name} were not acknowledged within "
                f"{timeout}s and were purged; they may or may not have been written"
            )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
