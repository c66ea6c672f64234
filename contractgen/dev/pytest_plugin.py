"""pytest fixtures for services built on contractgen (registered as the `contractgen` plugin).

    def test_orders_flow(bootstrap_servers: str) -> None:
        producer = OrdersProducer({"bootstrap.servers": bootstrap_servers}, registry)

The cluster is shared by the session: use a fresh topic name and group id per test.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
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
