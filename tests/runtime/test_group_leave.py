"""Stop means leave: closing a consumer leaves its group, and with the dev cluster's recommended
settings a restarted worker receives within seconds (librdkafka's default session timeout made
it wait 44 s on the mock cluster; see contractgen.dev.mock_cluster)."""

import asyncio
import logging
from typing import Any

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.dev import CONSUMER_SETTINGS
from contractgen.runtime import AsyncConsumer, ConsumedEvent, Consumer, Producer, TopicSpec

from .kafka_helpers import register
from .models import OrderCancelled

pytestmark = pytest.mark.kafka
# well under the 44 s a restarted member waited with the default session timeout
RESTART_WITHIN = 15


def two_messages(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], config: dict[str, Any]
) -> None:
    """ "before" for the worker that stops, "after" for the restarted one (one partition)."""
    register(registry, spec)
    with Producer(spec, config, registry) as producer:
        for order_id in ("before", "after"):
            producer.send(OrderCancelled(order_id=order_id), key="one")


def test_closed_consumer_leaves_and_a_restarted_one_receives_within_seconds(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    kafka_config: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    two_messages(registry, spec, kafka_config)
    librdkafka = logging.getLogger("librdkafka.test")
    config = {**kafka_config, **CONSUMER_SETTINGS, "debug": "cgrp", "logger": librdkafka}
    handled: list[str] = []
    with caplog.at_level(logging.DEBUG, logger=librdkafka.name):
        with Consumer(spec, config, registry, group_id="restart") as first:
            first.run(lambda e: handled.append(e.payload.order_id), max_messages=1)
        # librdkafka's own account: it left, and the broker answered the LeaveGroup request
        logged = [record.getMessage() for record in caplog.records]
        assert any('Group "restart": leave' in line for line in logged)
        assert any("LeaveGroup response received" in line for line in logged)
    with Consumer(spec, {**kafka_config, **CONSUMER_SETTINGS}, registry, group_id="restart") as c:
        c.run(
            lambda e: handled.append(e.payload.order_id),
            max_messages=1,
            idle_timeout=RESTART_WITHIN,
        )
    assert handled == ["before", "after"]


def test_closed_async_consumer_leaves_and_a_restarted_one_receives_within_seconds(
    registry: SchemaRegistryClient,
    spec: TopicSpec[Any],
    kafka_config: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    two_messages(registry, spec, kafka_config)
    config = {**kafka_config, **CONSUMER_SETTINGS}
    handled: list[str] = []

    async def handle(event: ConsumedEvent[Any]) -> None:
        handled.append(event.payload.order_id)

    async def worker(idle_timeout: float | None) -> None:
        async with AsyncConsumer(spec, config, registry, group_id="restart-aio") as consumer:
            await consumer.run(handle, max_messages=1, idle_timeout=idle_timeout)

    with caplog.at_level(logging.INFO, logger="aiokafka.consumer.group_coordinator"):
        asyncio.run(worker(None))
    assert "LeaveGroup request succeeded" in caplog.messages
    asyncio.run(worker(RESTART_WITHIN))
    assert handled == ["before", "after"]
