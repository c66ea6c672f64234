from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

# The plugin's fixtures, imported because the development venv does not install the package (its
# pytest11 entry point then isn't registered); they are the same objects users get.
from contractgen.dev.pytest_plugin import bootstrap_servers, kafka_cluster  # noqa: F401
from contractgen.runtime import TopicSpec

from .models import orders_spec


@pytest.fixture
def registry() -> SchemaRegistryClient:
    """A throwaway in-memory registry per test (until the embedded registry lands)."""
    return SchemaRegistryClient.new_client({"url": "mock://test"})


@pytest.fixture
def topic() -> str:
    return f"orders-{uuid4().hex[:10]}"


@pytest.fixture
def spec(topic: str) -> TopicSpec[Any]:
    return orders_spec(topic)


@pytest.fixture
def kafka_config(bootstrap_servers: str) -> Iterator[dict[str, Any]]:  # noqa: F811
    yield {"bootstrap.servers": bootstrap_servers, "log_level": 3}
