"""Consumer-group lag for health checks: committed offset, end offset and lag per partition."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import confluent_kafka
from confluent_kafka.admin import AdminClient


@dataclass(frozen=True, slots=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None
    """The group's committed offset; None when the group never committed on this partition."""
    end_offset: int
    lag: int
    """Messages not yet committed (from the log start, its low watermark, when nothing was)."""


class CommittedTopicsUnavailable(confluent_kafka.KafkaException):
    """The cluster did not say which topics a group committed offsets for: pass the topic."""


def consumer_lag(
    bootstrap_servers: str,
    group: str,
    topic: str | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    timeout: float = 10.0,
) -> list[PartitionLag]:
    """Lag of `group` on `topic` (or on every topic it committed offsets for), sorted.

    Raises confluent_kafka.KafkaException when the cluster can't be reached within `timeout`
    (CommittedTopicsUnavailable, a subclass, when `topic` is None and the cluster did not list the
    group's topics in time).
    """
    conf = {**(config or {}), "bootstrap.servers": bootstrap_servers}
    client = confluent_kafka.Consumer(
        {**conf, "group.id": group, "enable.auto.commit": False, "allow.auto.create.topics": False}
    )
    try:
        topics = [topic] if topic is not None else _committed_topics(conf, client, group, timeout)
        return [lag for name in topics for lag in _topic_lag(client, name, timeout)]
    finally:
        client.close()


def _committed_topics(
    conf: dict[str, Any], client: confluent_kafka.Consumer, group: str, timeout: float
) -> list[str]:
    """The topics `group` committed offsets on: the admin API's answer, else a scan.

    A cluster without the admin API's answer (librdkafka's mock cluster lists nothing, or says
    it doesn't support the request) is asked for the group's offsets on every topic instead.
    """
    admin = AdminClient(conf)  # kept referenced: a collected client never completes its futures
    request = confluent_kafka.ConsumerGroupTopicPartitions(group)
    try:
        futures = admin.list_consumer_group_offsets([request], request_timeout=timeout)
        result = futures[group].result(timeout=timeout + 1)
    except TimeoutError:
        raise _unavailable(group, timeout) from None
    except confluent_kafka.KafkaException as error:
        code = error.args[0].code() if error.args else None
        if code == confluent_kafka.KafkaError._TIMED_OUT:
            raise _unavailable(group, timeout) from error
        if code != confluent_kafka.KafkaError._UNSUPPORTED_FEATURE:
            raise
        listed: set[str] = set()
    else:
        listed = {tp.topic for tp in result.topic_partitions or ()}
    return sorted(listed) if listed else _scan_committed_topics(client, timeout)


def _unavailable(group: str, timeout: float) -> CommittedTopicsUnavailable:
    return CommittedTopicsUnavailable(
        confluent_kafka.KafkaError(
            confluent_kafka.KafkaError._TIMED_OUT,
            f"the cluster did not list the topics group {group!r} committed offsets for "
            f"within {timeout:g}s",
        )
    )


def _scan_committed_topics(client: confluent_kafka.Consumer, timeout: float) -> list[str]:
    """Every topic on which the client's group has a committed offset (internal ones aside)."""
    metadata = client.list_topics(timeout=timeout).topics
    partitions = [
        confluent_kafka.TopicPartition(name, p)
        for name, topic in sorted(metadata.items())
        if not name.startswith("__") and topic.error is None
        for p in sorted(topic.partitions)
    ]
    if not partitions:
        return []
    committed = client.committed(partitions, timeout=timeout)
    return sorted({tp.topic for tp in committed if tp.offset >= 0})


def _topic_lag(client: confluent_kafka.Consumer, topic: str, timeout: float) -> list[PartitionLag]:
    metadata = client.list_topics(topic, timeout=timeout).topics[topic]
    if metadata.error is not None:
        raise confluent_kafka.KafkaException(metadata.error)
    partitions = [confluent_kafka.TopicPartition(topic, p) for p in sorted(metadata.partitions)]
    lags = []
    for tp in client.committed(partitions, timeout=timeout):
        low, high = client.get_watermark_offsets(tp, timeout=timeout, cached=False)
        committed = tp.offset if tp.offset >= 0 else None
        # nothing committed: a new consumer starts at the log start at the earliest
        lag = high - (committed if committed is not None else low)
        lags.append(PartitionLag(topic, tp.partition, committed, high, max(lag, 0)))
    return lags
