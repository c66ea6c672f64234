"""The repository's own generated package end to end: contracts registered with `contractgen
register` on the embedded registry, typed producer -> mock Kafka -> typed consumer, through the
generated TopicSpec and envelope schema."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from confluent_kafka.schema_registry import SchemaRegistryClient

from codegen.support import repo_module
from contractgen import runtime
from contractgen.cli.main import main
from contractgen.dev.mock_cluster import MockKafkaCluster
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.runtime import ConsumedEvent, Consumer, Producer

models = repo_module("generated.models.com.acme.orders")
orders = repo_module("generated.orders")


def test_topic_module_binds_the_runtime_clients() -> None:
    assert issubclass(orders.OrdersProducer, Producer)
    assert issubclass(orders.OrdersConsumer, Consumer)
    spec = orders.TOPIC
    assert (spec.name, spec.value_subject, spec.key_subject) == (
        "orders",
        "orders-value",
        "orders-key",
    )
    events = (models.OrderCreated, models.OrderPaid, models.OrderCancelled)
    assert spec.events == {cls.AVRO_NAME: cls for cls in events}
    assert spec.key_field == "order_id"


@pytest.mark.parametrize("kind", ["Producer", "Consumer", "AsyncProducer", "AsyncConsumer"])
def test_bound_clients_keep_the_runtime_signatures(kind: str) -> None:
    # the generated classes repeat the runtime constructors minus `spec`: a runtime change
    # must come with a template change (and a RUNTIME_API_LEVEL bump if old code would break)
    base = inspect.signature(getattr(runtime, kind).__init__).parameters
    bound = inspect.signature(getattr(orders, f"Orders{kind}").__init__).parameters
    expected = [(p.name, p.kind, p.default) for p in base.values() if p.name != "spec"]
    assert [(p.name, p.kind, p.default) for p in bound.values()] == expected
    base_hints = typing.get_type_hints(getattr(runtime, kind).__init__)
    bound_hints = typing.get_type_hints(getattr(orders, f"Orders{kind}").__init__)
    assert {k: v for k, v in base_hints.items() if k != "spec"} == bound_hints


@pytest.fixture
def registry_url(tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A registry of its own holding the repository's contracts, registered as a user does."""
    # its own: the generated topic name is the fixed `orders`, so its subjects are too
    with serve_in_thread(tmp_path / "registry.db") as url:
        monkeypatch.chdir(repo)
        env = {"CONTRACTGEN_REGISTRY_URL": url, "CONTRACTGEN_CONFIG": None}
        registered = CliRunner().invoke(main, ["register"], env=env)
        assert registered.exit_code == 0, registered.output
        yield url


@pytest.mark.kafka
def test_typed_events_travel_through_kafka(registry_url: str) -> None:
    registry = SchemaRegistryClient({"url": registry_url})
    created = models.OrderCreated(
        order_id="o-1",
        customer_id="c-1",
        items=[models.LineItem(sku="s", quantity=2, unit_price=Decimal("1.50"))],
        amount=Decimal("3.00"),
        currency="EUR",
        status=models.OrderStatus.CONFIRMED,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    cancelled = models.OrderCancelled(
        order_id="o-1",
        reason=models.CancellationReason.FRAUD_SUSPECTED,
        cancelled_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    received: list[Any] = []
    keys: list[Any] = []

    def handle(event: ConsumedEvent[Any]) -> None:
        received.append(event.envelope.payload)
        keys.append(event.key)

    # A cluster of its own, not the plugin's session one (which wants a fresh topic name per
    # test): the generated producer and consumer always use the fixed topic `orders`.
    with MockKafkaCluster() as cluster:
        config = {"bootstrap.servers": cluster.bootstrap_servers, "log_level": 3}
        # no auto_register: as in real use, the producer only finds the registered schemas
        producer = orders.OrdersProducer(config, registry)
        for event in (created, cancelled):
            producer.send(event)
        assert producer.flush(10) == 0
        producer.close()

        with orders.OrdersConsumer(config, registry, group_id="codegen-e2e") as consumer:
            consumer.run(handle, max_messages=2, idle_timeout=20)
    assert received == [created, cancelled]
    assert keys == ["o-1", "o-1"]
