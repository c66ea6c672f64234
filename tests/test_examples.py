"""The README's service examples run as written: a producer script and a worker, on a local
registry and Kafka cluster like the ones `contractgen dev` starts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from contractgen.cli.main import main
from contractgen.dev.mock_cluster import MockKafkaCluster
from contractgen.registry.embedded.server import serve_in_thread

REPO = Path(__file__).parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture
def dev_environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """What `. .contractgen/dev.env` exports, for a registry holding the repo's contracts."""
    # A cluster of its own: the examples use the real topic name `orders`.
    with serve_in_thread(tmp_path / "registry.db") as url, MockKafkaCluster() as cluster:
        env = {**os.environ, "SCHEMA_REGISTRY_URL": url, "CONTRACTGEN_REGISTRY_URL": url,
               "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrap_servers}  # fmt: skip
        registered = CliRunner().invoke(main, ["register"], env=env)
        assert registered.exit_code == 0, registered.output
        yield env


def example(name: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", f"examples.{name}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_producer_and_the_worker_examples_run_as_written(
    dev_environment: dict[str, str],
) -> None:
    sent = example("place_orders", dev_environment)
    assert sent.count("sent order-") == 3

    handled = example("fulfil_orders", {**dev_environment, "IDLE_TIMEOUT": "8"})
    assert sorted(line for line in handled.splitlines() if line.startswith("reserve")) == [
        "reserve stock for order-1: 1 line(s), 9.99 EUR",
        "reserve stock for order-2: 1 line(s), 19.98 EUR",
        "reserve stock for order-3: 1 line(s), 29.97 EUR",
    ]
    assert "ConsumerStats(handled=3, duplicates=0, dead_lettered=0," in handled

    again = example("fulfil_orders", {**dev_environment, "IDLE_TIMEOUT": "8"})
    assert "handled=0" in again  # committed: the group does not see them twice
