"""Reading topics back in tests without a consumer group (no 3 s group join on the mock cluster)."""

import time
from typing import Any

import confluent_kafka
from confluent_kafka.schema_registry import Schema

from contractgen.runtime import TopicSpec

PARTITIONS = 4  # the mock cluster creates every topic with 4 partitions


def read_topic(
    bootstrap_servers: str, topic: str, count: int, timeout: float = 15.0
) -> list[confluent_kafka.Message]:
    """The first `count` messages of `topic`, from all partitions."""
    consumer = confluent_kafka.Consumer(
        {"bootstrap.servers": bootstrap_servers, "group.id": "reader", "log_level": 3}
    )
    consumer.assign(
        [
            confluent_kafka.TopicPartition(topic, p, confluent_kafka.OFFSET_BEGINNING)
            for p in range(PARTITIONS)
        ]
    )
    messages: list[confluent_kafka.Message] = []
    deadline = time.monotonic() + timeout
    try:
        while len(messages) < count and time.monotonic() < deadline:
            for msg in consumer.consume(count - len(messages), 0.2):
                if msg.error() is None:
                    messages.append(msg)
    finally:
        consumer.close()
    return messages


def committed(bootstrap_servers: str, group: str, topic: str) -> dict[int, int]:
    """Committed offsets of `group` per partition (partitions without a commit left out)."""
    consumer = confluent_kafka.Consumer(
        {"bootstrap.servers": bootstrap_servers, "group.id": group, "log_level": 3}
    )
    try:
        tps = consumer.committed(
            [confluent_kafka.TopicPartition(topic, p) for p in range(PARTITIONS)], timeout=10
        )
    finally:
        consumer.close()
    return {tp.partition: tp.offset for tp in tps if tp.offset >= 0}


def register(registry: Any, spec: TopicSpec[Any]) -> None:
    """Register a topic's schemas as `contractgen register` would (value first, then key)."""
    registry.register_schema(spec.value_subject, Schema(spec.value_schema, "AVRO"))
    registry.register_schema(spec.key_subject, Schema(spec.key_schema, "AVRO"))


def header_map(msg: confluent_kafka.Message) -> dict[str, bytes]:
    headers = msg.headers() or []
    pairs = headers.items() if isinstance(headers, dict) else headers
    return {
        name: value if isinstance(value, bytes) else (value or "").encode() for name, value in pairs
    }
