"""W3C trace context: producers write `traceparent`, consumers expose it on the event; with the
OpenTelemetry API installed (the `otel` extra) and without it."""

import asyncio
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from opentelemetry import propagate, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from contractgen.runtime import (
    AsyncConsumer,
    AsyncProducer,
    ConsumedEvent,
    Consumer,
    Producer,
    TopicSpec,
    tracing,
)
from contractgen.runtime import metrics as m

from .kafka_helpers import register
from .models import OrderCancelled
from .recorder import Recorder

pytestmark = pytest.mark.kafka

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def without_opentelemetry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if the `otel` extra were not installed: importing opentelemetry fails."""
    monkeypatch.setitem(sys.modules, "opentelemetry", None)
    monkeypatch.setitem(sys.modules, "opentelemetry.trace", None)
    tracing._opentelemetry.cache_clear()
    yield
    tracing._opentelemetry.cache_clear()


@pytest.mark.usefixtures("without_opentelemetry")
def test_traceparent_from_the_envelope_trace_id_without_opentelemetry(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    with pytest.raises(ImportError):
        import opentelemetry.trace  # noqa: F401 - proves the simulated absence
    register(registry, spec)
    given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
    with Producer(spec, kafka_config, registry) as producer:
        for order_id, kwargs in [
            ("w3c", {"trace_id": TRACE_ID}),
            ("none", {}),
            ("other-format", {"trace_id": "req-42"}),
            ("given", {"trace_id": TRACE_ID, "headers": {"traceparent": given}}),
        ]:
            producer.send(OrderCancelled(order_id=order_id), key="one", **kwargs)
    events: dict[str, ConsumedEvent[Any]] = {}
    with Consumer(spec, kafka_config, registry, group_id="trace") as consumer:
        consumer.run(
            lambda event: events.update({event.payload.order_id: event}),
            max_messages=4,
            idle_timeout=10,
        )
    traceparent = events["w3c"].traceparent
    assert traceparent is not None
    assert re.fullmatch(f"00-{TRACE_ID}-[0-9a-f]{{16}}-01", traceparent)
    assert events["w3c"].trace_carrier == {"traceparent": traceparent}
    assert events["w3c"].envelope.trace_id == TRACE_ID
    assert events["none"].traceparent is None and events["none"].envelope.trace_id is None
    assert events["other-format"].traceparent is None  # not a W3C trace id: no header
    assert events["other-format"].envelope.trace_id == "req-42"
    assert events["given"].traceparent == given  # the caller's own header wins


def test_traceparent_from_the_current_opentelemetry_span(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    span = NonRecordingSpan(
        SpanContext(
            trace_id=int(TRACE_ID, 16),
            span_id=0x00F067AA0BA902B7,
            is_remote=False,
            trace_flags=TraceFlags(TraceFlags.SAMPLED),
        )
    )
    recorder = Recorder()
    received: list[ConsumedEvent[Any]] = []

    async def handle(event: ConsumedEvent[Any]) -> None:
        received.append(event)

    async def main() -> None:
        # the sync clients' config, as is
        async with AsyncProducer(spec, kafka_config, registry) as producer:
            producer.metrics = recorder
            with trace.use_span(span):
                await producer.send_and_wait(OrderCancelled(order_id="in-span"))
            await producer.send_and_wait(OrderCancelled(order_id="no-span"))
        async with AsyncConsumer(spec, kafka_config, registry, group_id="trace-aio") as consumer:
            await consumer.run(handle, max_messages=2, idle_timeout=10)

    asyncio.run(main())
    events = {event.payload.order_id: event for event in received}
    in_span = events["in-span"]
    assert in_span.traceparent == f"00-{TRACE_ID}-00f067aa0ba902b7-01"
    assert in_span.envelope.trace_id == TRACE_ID  # taken from the span
    context = trace.get_current_span(propagate.extract(in_span.trace_carrier)).get_span_context()
    assert (context.trace_id, context.span_id) == (int(TRACE_ID, 16), 0x00F067AA0BA902B7)
    assert events["no-span"].traceparent is None
    assert recorder.total(m.PRODUCED, spec.name) == 2
