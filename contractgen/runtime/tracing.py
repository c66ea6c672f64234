"""W3C trace context (https://www.w3.org/TR/trace-context/) on Kafka records.

Producers write a `traceparent` header, ``00-<trace id>-<parent id>-<flags>``:
- with OpenTelemetry installed (the `otel` extra, opentelemetry-api) and a span current, from that
  span; the envelope's `trace_id` defaults to its trace id;
- otherwise from the envelope's `trace_id` when it is a W3C trace id (32 hex digits), with a
  random parent id and the sampled flag, so tracers downstream join the same trace.
A `traceparent` the caller put in the headers is kept as given. Consumers expose the header on
the event (`ConsumedEvent.traceparent`; `trace_carrier` for an OpenTelemetry propagator).
"""

import functools
import importlib
import os
import re
from collections.abc import Sequence
from types import ModuleType
from typing import Any

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
_VERSION = "00"
_SAMPLED = "01"
_is_hex_trace_id = re.compile("[0-9a-f]{32}").fullmatch
_INVALID_TRACE_ID = "0" * 32


@functools.cache
def _opentelemetry() -> ModuleType | None:
    """`opentelemetry.trace`, or None when it is not installed; imported once, on first use."""
    try:
        return importlib.import_module("opentelemetry.trace")
    except ImportError:
        return None


def _current_span_context() -> Any:
    otel = _opentelemetry()
    if otel is None:
        return None
    span = otel.get_current_span()
    if span is otel.INVALID_SPAN:  # no span current: the common case, answered first
        return None
    context = span.get_span_context()
    return context if context.is_valid else None


def is_trace_id(text: str | None) -> bool:
    """True for a W3C trace id: 32 lowercase hex digits, not all zero."""
    return text is not None and _is_hex_trace_id(text) is not None and text != _INVALID_TRACE_ID


def outgoing(trace_id: str | None) -> tuple[str | None, str | None]:
    """The envelope's trace id and the `traceparent` for a record about to be produced."""
    span = _current_span_context()
    if span is not None:
        span_trace_id = f"{span.trace_id:032x}"
        if trace_id is None:
            trace_id = span_trace_id
        if trace_id == span_trace_id:
            flags = f"{int(span.trace_flags):02x}"
            return trace_id, f"{_VERSION}-{trace_id}-{span.span_id:016x}-{flags}"
    if not is_trace_id(trace_id):
        return trace_id, None
    # os.urandom rather than the random module: importing that costs ~1 ms at every start-up
    parent_id = int.from_bytes(os.urandom(8)) or 1  # an all-zero parent id is invalid
    return trace_id, f"{_VERSION}-{trace_id}-{parent_id:016x}-{_SAMPLED}"


def with_traceparent(
    headers: list[tuple[str, bytes]], traceparent: str | None
) -> list[tuple[str, bytes]]:
    """`headers` plus `traceparent`, unless absent or the caller set one already."""
    if traceparent is not None and not any(name == TRACEPARENT for name, _ in headers):
        headers.append((TRACEPARENT, traceparent.encode()))
    return headers


def header_value(headers: Sequence[tuple[str, bytes]], name: str) -> str | None:
    """The last value of header `name`, decoded; None when absent or not UTF-8."""
    for header, value in reversed(headers):
        if header == name:
            try:
                return value.decode()
            except UnicodeDecodeError:
                return None
    return None
