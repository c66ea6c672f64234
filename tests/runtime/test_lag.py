import json
from typing import Any

import pytest
from click.testing import CliRunner
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.cli.lag import lag
from contractgen.runtime import Consumer, PartitionLag, Producer, TopicSpec, consumer_lag

from .kafka_helpers import register
from .models import OrderCancelled

pytestmark = pytest.mark.kafka


def test_lag_is_produced_minus_committed(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    bootstrap = kafka_config["bootstrap.servers"]
    with Producer(spec, kafka_config, registry) as producer:
        deliveries = [producer.send(OrderCancelled(order_id=f"o-{i}")) for i in range(30)]
    produced: dict[int, int] = {}
    for delivery in deliveries:
        partition = delivery.result().partition
        produced[partition] = produced.get(partition, 0) + 1

    assert {
        (p.partition, p.lag, p.committed) for p in consumer_lag(bootstrap, "lag", spec.name)
    } == {(p, produced.get(p, 0), None) for p in range(4)}
    with Consumer(spec, kafka_config, registry, group_id="lag", batch_size=5) as consumer:
        consumer.run(lambda _: None, max_messages=12, idle_timeout=10)

    lags = consumer_lag(bootstrap, "lag", spec.name)
    assert [p.partition for p in lags] == [0, 1, 2, 3]
    for p in lags:
        assert p.end_offset == produced.get(p.partition, 0)
        assert p.lag == p.end_offset - (p.committed or 0)
    assert sum(p.lag for p in lags) == 30 - 12

    runner = CliRunner()
    args = ["--bootstrap-servers", bootstrap, "--group", "lag", "--topic", spec.name]
    text = runner.invoke(lag, [*args, "--max-lag", "100"])
    assert text.exit_code == 0, text.output
    assert "group lag: total lag 18 (max 100: ok)" in text.output
    as_json = runner.invoke(lag, [*args, "--max-lag", "17", "--format", "json"])
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    assert (report["total_lag"], report["ok"]) == (18, False)
    assert [PartitionLag(**p) for p in report["partitions"]] == lags


def test_unreachable_cluster_exits_3() -> None:
    result = CliRunner().invoke(
        lag,
        ["--bootstrap-servers", "127.0.0.1:1", "--group", "g", "--topic", "t", "--timeout", "1"],
    )
    assert result.exit_code == 3
    assert "cannot read offsets of group 'g' from 127.0.0.1:1" in result.output
