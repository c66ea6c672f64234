"""What consumers and producers count, through a hook any metrics library fits behind.

The runtime depends on no metrics library: give a client an object with the two methods of
`Metrics` (``client.metrics = hook``) and it reports every counter and timing to it, labelled
with the topic (and the reason, for failures). Unset, each report costs one `is None` test.
A Prometheus hook, for example::

    from prometheus_client import Counter, Histogram

    class PrometheusMetrics:
        def __init__(self) -> None:
            self._counters: dict[str, Counter] = {}
            self._commit = Histogram("contractgen_commit_seconds", "commit latency", ["topic"])

        def count(self, name: str, value: int, labels: Mapping[str, str]) -> None:
            counter = self._counters.get(name)
            if counter is None:
                counter = self._counters[name] = Counter(
                    f"contractgen_{name}", name, list(labels)
                )
            counter.labels(**labels).inc(value)

        def observe(self, name: str, value: float, labels: Mapping[str, str]) -> None:
            self._commit.labels(**labels).observe(value)

StatsD maps `count` to ``incr`` and `observe` to ``timing``; OpenTelemetry to a Counter's
``add(value, attributes=labels)`` and a Histogram's ``record``. A metric's label names never
change, so one metric is one labelled family.
"""

from collections.abc import Mapping
from typing import Protocol

# counters (`Metrics.count`); labels: topic, and reason for the two failure counters
HANDLED = "handled"
"""Events the handler returned for (consumer)."""
DUPLICATES = "duplicates"
"""Events skipped because the idempotency store had seen their event id (consumer)."""
DEAD_LETTERED = "dead_lettered"
"""Messages written to the dead-letter topic; label `reason` (a `Reason` value) (consumer)."""
DECODE_FAILURES = "decode_failures"
"""Messages that could not be decoded; label `reason` (consumer)."""
REGISTRY_RETRIES = "registry_retries"
"""Writer-schema fetches retried after a transient registry failure (consumer)."""
PRODUCED = "produced"
"""Messages the broker acknowledged (producer)."""
PRODUCE_ERRORS = "produce_errors"
"""Messages the broker did not acknowledge (producer)."""
# timings (`Metrics.observe`), in seconds; label topic
COMMIT_SECONDS = "commit_seconds"
"""How long each offset commit took (consumer)."""


class Metrics(Protocol):
    """Receives the runtime's counters and timings. Called on the consumer's thread (or event
    loop) and on the producer's delivery thread: keep both methods fast and thread-safe."""

    def count(self, name: str, value: int, labels: Mapping[str, str]) -> None: ...

    def observe(self, name: str, value: float, labels: Mapping[str, str]) -> None: ...
