"""Dead-letter routing: what goes in a dead-letter record, and the limits on how many may go.

A bad deploy (a handler that always raises, a schema the consumer can't read) must not drain a topic
into its DLQ, so a consumer stops with DeadLetterLimitExceeded, without committing, when too many
recent messages failed (the idea of getsentry/arroyo's DlqLimit, counted per consumer).
"""

import collections
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from contractgen.runtime.errors import DeadLetterLimitExceeded, DeadLetterWriteError, Reason

HEADER_PREFIX = "contractgen.dlq."
REASON = HEADER_PREFIX + "reason"
"""One of `Reason`'s values: handler-error, schema-not-found, schema-type, ..."""
ERROR_TYPE = HEADER_PREFIX + "error.type"
ERROR_MESSAGE = HEADER_PREFIX + "error.message"
ERROR_STACKTRACE = HEADER_PREFIX + "error.stacktrace"
"""The formatted traceback, as Kafka Connect's `__connect.errors.exception.stacktrace`."""
EVENT_ID = HEADER_PREFIX + "event.id"
ORIGINAL_TOPIC = HEADER_PREFIX + "original.topic"
ORIGINAL_PARTITION = HEADER_PREFIX + "original.partition"
ORIGINAL_OFFSET = HEADER_PREFIX + "original.offset"
ORIGINAL_TIMESTAMP = HEADER_PREFIX + "original.timestamp"
SCHEMA_ID = HEADER_PREFIX + "schema.id"
MAX_MESSAGE = 4000
MAX_STACKTRACE = 8000
"""Characters of traceback kept (its end: the raising frame and the exception); brokers limit
the whole record's size, so one deep stack must not make the DLQ write fail."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadLetterPolicy:
    """Where failed messages go and when to give up instead."""

    topic: str | None = None
    """Defaults to `<topic>-dlq`."""
    max_ratio: float | None = 0.5
    """Stop when more than this share of the last `window` messages were dead-lettered."""
    window: int = 100
    max_consecutive: int | None = 20
    """Stop when more than this many messages in a row were dead-lettered."""
    timeout: float = 30.0
    """Seconds to wait for the DLQ write to be acknowledged."""
    producer_config: Mapping[str, Any] = field(default_factory=dict)
    """Extra configuration for the DLQ producer (merged over the consumer's connection settings)."""

    def __post_init__(self) -> None:
        problems = [
            f"{name}={value!r} {rule}"
            for name, value, ok, rule in (
                ("window", self.window, self.window >= 1, "must be at least 1"),
                (
                    "max_ratio",
                    self.max_ratio,
                    self.max_ratio is None or 0 <= self.max_ratio <= 1,
                    "must be in [0, 1] or None (no ratio limit)",
                ),
                (
                    "max_consecutive",
                    self.max_consecutive,
                    self.max_consecutive is None or self.max_consecutive >= 0,
                    "must be >= 0 or None (no limit)",
                ),
                ("timeout", self.timeout, self.timeout > 0, "must be positive"),
            )
            if not ok
        ]
        if problems:
            raise ValueError(f"invalid DeadLetterPolicy: {'; '.join(problems)}")


@dataclass(frozen=True, slots=True, kw_only=True)
class FailedMessage:
    """A message that could not be handled, with what is known about it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    timestamp: int | None
    schema_id: int | None
    error: BaseException
    reason: Reason
    event_id: UUID | None = None
    """Known when the message decoded (the handler failed)."""

    def dead_letter_headers(self) -> list[tuple[str, bytes]]:
        """The original headers followed by the error and provenance headers."""
        extra = {
            REASON: self.reason.value,
            ERROR_TYPE: type(self.error).__qualname__,
            ERROR_MESSAGE: str(self.error)[:MAX_MESSAGE],
            ERROR_STACKTRACE: stack_trace(self.error),
            ORIGINAL_TOPIC: self.topic,
            ORIGINAL_PARTITION: str(self.partition),
            ORIGINAL_OFFSET: str(self.offset),
        }
        if self.timestamp is not None:
            extra[ORIGINAL_TIMESTAMP] = str(self.timestamp)
        if self.schema_id is not None:
            extra[SCHEMA_ID] = str(self.schema_id)
        if self.event_id is not None:
            extra[EVENT_ID] = str(self.event_id)
        return [*self.headers, *((name, text.encode()) for name, text in extra.items())]


def stack_trace(error: BaseException, limit: int = MAX_STACKTRACE) -> str:
    """`error`'s traceback as Python prints it (with its causes), cut to its last `limit`
    characters."""
    text = "".join(traceback.format_exception(error))
    if len(text) <= limit:
        return text
    marker = f"... ({len(text) - limit} characters cut)\n"
    return marker + text[len(text) - limit + len(marker) :]


class DeadLetterLimiter:
    """Counts outcomes and raises when the policy's limits are passed."""

    def __init__(self, policy: DeadLetterPolicy) -> None:
        self._policy = policy
        self._recent: collections.deque[bool] = collections.deque(maxlen=policy.window)
        self._failures = 0
        self._consecutive = 0

    def succeeded(self) -> None:
        # a full window without failures stays as it is: skip the per-message bookkeeping
        if self._failures or len(self._recent) != self._recent.maxlen:
            self._record(failed=False)
        self._consecutive = 0

    def failed(self, message: FailedMessage) -> None:
        """Count a failure; raise DeadLetterLimitExceeded if this one passes a limit."""
        self._record(failed=True)
        self._consecutive += 1
        policy = self._policy
        if policy.max_consecutive is not None and self._consecutive > policy.max_consecutive:
            self._stop(message, f"{self._consecutive} consecutive failures")
        if policy.max_ratio is not None and self._failures > policy.max_ratio * policy.window:
            self._stop(message, f"{self._failures} failures in the last {len(self._recent)}")

    def _record(self, *, failed: bool) -> None:
        if len(self._recent) == self._recent.maxlen and self._recent[0]:
            self._failures -= 1
        self._recent.append(failed)
        self._failures += failed

    def _stop(self, message: FailedMessage, why: str) -> None:
        raise DeadLetterLimitExceeded(
            f"stopping: {why} passed the dead-letter limits (max_ratio={self._policy.max_ratio} "
            f"over {self._policy.window}, max_consecutive={self._policy.max_consecutive}); "
            f"{message.topic}[{message.partition}] offset {message.offset} was not committed. "
            f"Last error: {type(message.error).__qualname__}: {message.error}"
        ) from message.error


def dead_letter_write_error(
    failed: FailedMessage, topic: str, reason: object
) -> DeadLetterWriteError:
    return DeadLetterWriteError(
        f"could not write {failed.topic}[{failed.partition}] offset {failed.offset} to dead-letter "
        f"topic {topic!r} ({reason}); its offset was not committed. The message had failed with "
        f"{type(failed.error).__qualname__}: {failed.error}"
    )
