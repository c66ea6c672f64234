"""A real embedded registry server per test, reached over TCP by real clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.registry.embedded.server import serve_in_thread


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "registry.db"


@pytest.fixture
def registry_url(store_path: Path) -> Iterator[str]:
    with serve_in_thread(store_path) as url:
        yield url


@pytest.fixture
def sr(registry_url: str) -> Iterator[SchemaRegistryClient]:
    """Confluent's own client, unchanged."""
    client = SchemaRegistryClient({"url": registry_url})
    yield client
    client.close()


@pytest.fixture
def http(registry_url: str) -> Iterator[httpx.Client]:
    """Raw HTTP, for what Confluent's client drops (verbose messages, error bodies)."""
    with httpx.Client(base_url=registry_url, timeout=10) as client:
        yield client
