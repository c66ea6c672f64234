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
    """Messages not yet committed (from the log start when nothing was committed)."""


def consumer_lag(
    bootstrap_servers: str,
    group: str,
    topic: str | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    timeout: float = 10.0,
) -> list[PartitionLag]:
    """Lag of `group` on `topic` (or on every topic it committed offsets for), sorted.

    Raises confluent_kafka.KafkaException when the cluster can't be reached within `timeout`.
    """
    conf = {**(config or {}), "bootstrap.servers": bootstrap_servers}
    topics = [topic] if topic is not None else _committed_topics(conf, group, timeout)
    client = confluent_kafka.Consumer(
        {**conf, "group.id": group, "enable.auto.commit": False, "allow.auto.create.topics": False}
    )
    try:
        return [lag for name in topics for lag in _topic_lag(client, name, timeout)]
    finally:
        client.close()


def _committed_topics(conf: dict[str, Any], group: str, timeout: float) -> list[str]:
    request = confluent_kafka.ConsumerGroupTopicPartitions(group)
    futures = AdminClient(conf).list_consumer_group_offsets([request], request_timeout=timeout)
    result = futures[group].result(timeout=timeout)
    return sorted({tp.topic for tp in result.topic_partitions})


def _topic_lag(client: confluent_kafka.Consumer, topic: str, timeout: float) -> list[PartitionLag]:
    metadata = client.list_topics(topic, timeout=timeout).topics[topic]
    if metadata.error is not None:
        raise confluent_kafka.KafkaException(metadata.error)
    partitions = [confluent_kafka.TopicPartition(topic, p) for p in sorted(metadata.partitions)]
    lags = []
    for tp in client.committed(partitions, timeout=timeout):
        low, high = client.get_watermark_offsets(tp, timeout=timeout, cached=False)
        committed = tp.offset if tp.offset >= 0 else None
        lag = high - (committed if committed is not None else low)
        lags.append(PartitionLag(topic, tp.partition, committed, high, max(lag, 0)))
    return lags
