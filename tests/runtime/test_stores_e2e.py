"""The repository's generated consumers with the SQLite store on the mock cluster: an event sent
twice (an application-level retry, same event id) is handled once, and a second consumer group
replaying the topic against the same database handles nothing again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import confluent_kafka
import pytest
from codegen.support import repo_module
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.dev.mock_cluster import MockKafkaCluster
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.runtime import ConsumedEvent, Envelope
from contractgen.runtime.stores import AsyncSqlIdempotencyStore, SqlIdempotencyStore

from .kafka_helpers import read_topic, register

common = repo_module("generated.models.com.acme.common")
models = repo_module("generated.models.com.acme.orders")
orders = repo_module("generated.orders")

pytestmark = pytest.mark.kafka


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[SchemaRegistryClient]:
    # a registry and (below) a cluster of their own: the generated topic is the fixed `orders`
    with serve_in_thread(tmp_path / "registry.db") as url:
        client = SchemaRegistryClient({"url": url})
        register(client, orders.TOPIC)
        yield client


@pytest.fixture
def cluster() -> Iterator[MockKafkaCluster]:
    with MockKafkaCluster() as started:
        yield started


def _send_with_a_retry(cluster: MockKafkaCluster, registry: SchemaRegistryClient) -> list[Any]:
    """Three messages, two of them one event: what was sent, in order, deduplicated."""
    paid = models.OrderPaid(
        order_id="o-7",
        payment_id="p-7",
        paid=common.Money(amount=Decimal("12.50"), currency="EUR"),
        paid_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    cancelled = models.OrderCancelled(
        order_id="o-7",
        reason=models.CancellationReason.FRAUD_SUSPECTED,
        cancelled_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    envelope = Envelope(
        event_id=uuid4(),
        event_type=models.OrderPaid.AVRO_NAME,
        occurred_at=datetime.now(UTC),
        producer="retrying-producer",
        payload=paid,
    )
    config = {"bootstrap.servers": cluster.bootstrap_servers, "log_level": 3}
    producer = orders.OrdersProducer(config, registry)
    producer.send_envelope(envelope)
    producer.send_envelope(envelope)  # the retry: same event id, one partition (same key)
    producer.send(cancelled)
    assert producer.flush(10) == 0
    producer.close()
    return [paid, cancelled]


def test_a_duplicate_is_handled_once_and_a_replay_not_at_all(
    cluster: MockKafkaCluster, registry: SchemaRegistryClient, tmp_path: Path
) -> None:
    sent = _send_with_a_retry(cluster, registry)
    config = {"bootstrap.servers": cluster.bootstrap_servers, "log_level": 3}
    database = tmp_path / "handled.db"
    handled: list[Any] = []

    def handle(event: ConsumedEvent[Any]) -> None:
        handled.append(event.payload)

    for group in ("billing", "billing-replay"):  # the replay: a group reading from the start
        with (
            closing(sqlite3.connect(database)) as connection,
            orders.OrdersConsumer(
                config, registry, group_id=group, idempotency=SqlIdempotencyStore(connection)
            ) as consumer,
        ):
            stats = consumer.run(handle, max_messages=3, idle_timeout=20)
        assert (stats.handled, stats.duplicates) == ((2, 1) if group == "billing" else (0, 3))
    assert handled == sent


async def test_the_async_consumer_with_the_async_store(
    cluster: MockKafkaCluster, registry: SchemaRegistryClient, tmp_path: Path
) -> None:
    sent = _send_with_a_retry(cluster, registry)
    handled: list[Any] = []

    async def handle(event: ConsumedEvent[Any]) -> None:
        handled.append(event.payload)

    connection = sqlite3.connect(tmp_path / "handled.db", check_same_thread=False)
    try:
        store = AsyncSqlIdempotencyStore(connection)
        config = {"bootstrap_servers": cluster.bootstrap_servers}
        async with orders.OrdersAsyncConsumer(
            config, registry, group_id="billing", idempotency=store
        ) as consumer:
            stats = await consumer.run(handle, max_messages=3, idle_timeout=20)
    finally:
        connection.close()
    assert (stats.handled, stats.duplicates) == (2, 1)
    assert handled == sent


def test_a_dead_lettered_event_is_not_done_so_its_replay_is_handled(
    cluster: MockKafkaCluster, registry: SchemaRegistryClient, tmp_path: Path
) -> None:
    """The failed handler's claim is never marked but released at once (a long claim_ttl would
    otherwise hold it): the DLQ written back onto the topic after the fix reaches the handler."""
    config = {"bootstrap.servers": cluster.bootstrap_servers, "log_level": 3}
    cancelled = models.OrderCancelled(order_id="o-8", cancelled_at=datetime(2026, 3, 3, tzinfo=UTC))
    producer = orders.OrdersProducer(config, registry)
    producer.send(cancelled)
    assert producer.flush(10) == 0
    producer.close()
    handled: list[Any] = []

    def buggy(event: ConsumedEvent[Any]) -> None:
        raise RuntimeError("a bug, fixed in the next release")

    with (
        closing(sqlite3.connect(tmp_path / "handled.db")) as connection,
        orders.OrdersConsumer(
            config,
            registry,
            group_id="billing",
            idempotency=SqlIdempotencyStore(connection, claim_ttl=600),
        ) as consumer,
    ):
        assert consumer.run(buggy, max_messages=1, idle_timeout=20).dead_lettered == 1
        assert _claims(connection) == 0
        [dead] = read_topic(cluster.bootstrap_servers, "orders-dlq", 1)
        replayer = confluent_kafka.Producer(config)
        replayer.produce("orders", value=dead.value(), key=dead.key())
        assert replayer.flush(10) == 0
        stats = consumer.run(lambda e: handled.append(e.payload), max_messages=1, idle_timeout=20)
    assert (stats.handled, stats.duplicates) == (1, 0)
    assert handled == [cancelled]


async def test_the_async_consumer_releases_a_failed_handlers_claim(
    cluster: MockKafkaCluster, registry: SchemaRegistryClient, tmp_path: Path
) -> None:
    producer = orders.OrdersProducer(
        {"bootstrap.servers": cluster.bootstrap_servers, "log_level": 3}, registry
    )
    producer.send(models.OrderCancelled(order_id="o-9", cancelled_at=datetime.now(UTC)))
    assert producer.flush(10) == 0
    producer.close()

    async def buggy(event: ConsumedEvent[Any]) -> None:
        raise RuntimeError("a bug")

    connection = sqlite3.connect(tmp_path / "handled.db", check_same_thread=False)
    try:
        store = AsyncSqlIdempotencyStore(connection, claim_ttl=600)
        config = {"bootstrap_servers": cluster.bootstrap_servers}
        async with orders.OrdersAsyncConsumer(
            config, registry, group_id="billing", idempotency=store
        ) as consumer:
            stats = await consumer.run(buggy, max_messages=1, idle_timeout=20)
        assert stats.dead_lettered == 1
        assert _claims(connection) == 0
        # the same through `async for`, whose body raising leaves the event uncommitted
        with pytest.raises(RuntimeError, match="a bug"):
            async with orders.OrdersAsyncConsumer(
                config, registry, group_id="billing-iterating", idempotency=store
            ) as consumer:
                async for event in consumer:
                    await buggy(event)
        assert _claims(connection) == 0
    finally:
        connection.close()


def _claims(connection: sqlite3.Connection) -> int:
    """Rows in the store's table: a claim left by a failed handler would be one."""
    return int(connection.execute("SELECT count(*) FROM contractgen_idempotency").fetchone()[0])
