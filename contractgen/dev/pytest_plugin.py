"""pytest fixtures for services built on contractgen (registered as the `contractgen` plugin).

    def test_orders_flow(bootstrap_servers: str, schema_registry: SchemaRegistryClient) -> None:
        producer = OrdersProducer({"bootstrap.servers": bootstrap_servers}, schema_registry)

The cluster and the registry are shared by the session: use a fresh topic name and group id per
test.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from confluent_kafka.schema_registry import SchemaRegistryClient

    from contractgen.dev.mock_cluster import MockKafkaCluster


@pytest.fixture(scope="session")
def kafka_cluster() -> Iterator["MockKafkaCluster"]:
    """An in-process Kafka cluster (librdkafka's mock cluster) for the whole test session."""
    # imported here: pytest loads this plugin in every run, most of which never need Kafka
    from contractgen.dev.mock_cluster import MockKafkaCluster

    with MockKafkaCluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def bootstrap_servers(kafka_cluster: "MockKafkaCluster") -> str:
    """The `bootstrap.servers` of the session's cluster."""
    return kafka_cluster.bootstrap_servers


@pytest.fixture(scope="session")
def schema_registry_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Confluent-compatible Schema Registry (contractgen's embedded one) for the session.

    Its store is a fresh SQLite file: register what a test needs, e.g. with
    `contractgen.registry.connect.open_client(url)` or confluent-kafka's own client.
    """
    from contractgen.registry.embedded.server import serve_in_thread

    store = tmp_path_factory.mktemp("schema-registry") / "registry.db"
    with serve_in_thread(store) as url:
        yield url


@pytest.fixture(scope="session")
def schema_registry(schema_registry_url: str) -> "SchemaRegistryClient":
    """confluent-kafka's `SchemaRegistryClient` on the session's registry: what producers take."""
    from confluent_kafka.schema_registry import SchemaRegistryClient

    return SchemaRegistryClient({"url": schema_registry_url})
