from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import TopicSpec

from .models import orders_spec


@pytest.fixture
def registry(schema_registry_url: str) -> SchemaRegistryClient:
    """Confluent's client on the session's embedded registry (the pytest plugin's); every test
    uses topics, and so subjects, of its own."""
    return SchemaRegistryClient({"url": schema_registry_url})


@pytest.fixture
def topic() -> str:
    return f"orders-{uuid4().hex[:10]}"


@pytest.fixture
def spec(topic: str) -> TopicSpec[Any]:
    return orders_spec(topic)


@pytest.fixture
def kafka_config(bootstrap_servers: str) -> Iterator[dict[str, Any]]:
    yield {"bootstrap.servers": bootstrap_servers, "log_level": 3}
