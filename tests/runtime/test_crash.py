"""A consumer killed mid-batch loses nothing and, with a durable store, repeats nothing."""

import functools
import json
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import Producer, TopicSpec

from .kafka_helpers import committed, register
from .models import OrderCancelled

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def consumer_process(
    db: Path,
    bootstrap: str,
    registry_url: str,
    topic: str,
    *kill_at: int,
    module: str = "crash_consumer",
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            f"tests.runtime.{module}",
            str(db),
            bootstrap,
            registry_url,
            topic,
            *map(str, kill_at),
        ],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("module", "group"),
    [("crash_consumer", "crash"), ("crash_consumer_async", "crash-aio")],
    ids=["sync", "async"],
)
def test_killed_consumer_redelivers_and_skips_duplicates(  # noqa: PLR0917 - fixtures and parameters
    tmp_path: Path,
    registry: SchemaRegistryClient,
    schema_registry_url: str,
    spec: TopicSpec[Any],
    kafka_config: dict[str, Any],
    module: str,
    group: str,
) -> None:
    register(registry, spec)
    order_ids = [f"o-{i}" for i in range(60)]
    with Producer(spec, kafka_config, registry) as producer:
        for order_id in order_ids:
            producer.send(OrderCancelled(order_id=order_id))
    db = tmp_path / "state.db"
    bootstrap = kafka_config["bootstrap.servers"]
    run = functools.partial(
        consumer_process, db, bootstrap, schema_registry_url, spec.name, module=module
    )

    killed = run(60, 26)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert committed(bootstrap, group, spec.name) == {}  # died before the batch commit

    restarted = run(60)
    assert restarted.returncode == 0, restarted.stderr
    assert json.loads(restarted.stdout) == {"handled": 35, "duplicates": 25}
    handled = [row[0] for row in sqlite3.connect(db).execute("SELECT order_id FROM handled")]
    assert Counter(handled) == Counter(order_ids)  # each exactly once, none lost
    assert sum(committed(bootstrap, group, spec.name).values()) == 60
