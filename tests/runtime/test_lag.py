import json
import socket
from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import confluent_kafka
import pytest
from click.testing import CliRunner
from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.cli.lag import lag
from contractgen.runtime import Consumer, PartitionLag, Producer, TopicSpec, consumer_lag
from contractgen.runtime import lag as lag_module

from .kafka_helpers import register
from .models import OrderCancelled

pytestmark = pytest.mark.kafka


def test_lag_is_produced_minus_committed(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    bootstrap = kafka_config["bootstrap.servers"]
    group = f"{spec.name}-lag"  # the cluster is the session's: a group no other test commits in
    with Producer(spec, kafka_config, registry) as producer:
        deliveries = [producer.send(OrderCancelled(order_id=f"o-{i}")) for i in range(30)]
    produced: dict[int, int] = {}
    for delivery in deliveries:
        partition = delivery.result().partition
        produced[partition] = produced.get(partition, 0) + 1

    assert {
        (p.partition, p.lag, p.committed) for p in consumer_lag(bootstrap, group, spec.name)
    } == {(p, produced.get(p, 0), None) for p in range(4)}
    with Consumer(spec, kafka_config, registry, group_id=group, batch_size=5) as consumer:
        consumer.run(lambda _: None, max_messages=12, idle_timeout=10)

    lags = consumer_lag(bootstrap, group, spec.name)
    assert [p.partition for p in lags] == [0, 1, 2, 3]
    for p in lags:
        assert p.end_offset == produced.get(p.partition, 0)
        assert p.lag == p.end_offset - (p.committed or 0)
    assert sum(p.lag for p in lags) == 30 - 12
    # without a topic: every topic the group committed on (here, this one)
    assert consumer_lag(bootstrap, group) == lags

    runner = CliRunner()
    args = ["--bootstrap-servers", bootstrap, "--group", group, "--topic", spec.name]
    text = runner.invoke(lag, [*args, "--max-lag", "100"])
    assert text.exit_code == 0, text.output
    assert f"group {group}: total lag 18 (max 100: ok)" in text.output
    assert "note:" not in text.output
    every_topic = runner.invoke(lag, ["--bootstrap-servers", bootstrap, "--group", group])
    assert every_topic.exit_code == 0, every_topic.output
    assert every_topic.output == text.output.replace(" (max 100: ok)", "")
    as_json = runner.invoke(lag, [*args, "--max-lag", "17", "--format", "json"])
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    assert (report["total_lag"], report["ok"], report["uncommitted_topics"]) == (18, False, [])
    assert [PartitionLag(**p) for p in report["partitions"]] == lags


def test_unreachable_cluster_exits_3() -> None:
    result = CliRunner().invoke(
        lag,
        ["--bootstrap-servers", "127.0.0.1:1", "--group", "g", "--topic", "t", "--timeout", "1"],
    )
    assert result.exit_code == 3
    assert "cannot connect to 127.0.0.1:1" in result.output


def test_a_group_that_committed_nothing_gets_a_note(
    registry: SchemaRegistryClient, spec: TopicSpec[Any], kafka_config: dict[str, Any]
) -> None:
    register(registry, spec)
    with Producer(spec, kafka_config, registry) as producer:
        for i in range(5):
            producer.send(OrderCancelled(order_id=f"o-{i}")).result()
    runner = CliRunner()
    group = f"{spec.name}-nosuch"
    args = ["--bootstrap-servers", kafka_config["bootstrap.servers"], "--group", group]

    text = runner.invoke(lag, [*args, "--topic", spec.name])
    assert text.exit_code == 0, text.output
    assert f"note: group {group} has no committed offsets on {spec.name}" in text.output
    assert f"group {group}: total lag 5" in text.output
    as_json = json.loads(
        runner.invoke(lag, [*args, "--topic", spec.name, "--format", "json"]).output
    )
    assert (as_json["uncommitted_topics"], as_json["total_lag"]) == ([spec.name], 5)

    no_topic = runner.invoke(lag, args)
    assert no_topic.exit_code == 0, no_topic.output
    assert f"group {group}: no committed offsets (pass --topic" in no_topic.output


class _Watermarks:
    """A consumer whose partitions start after deleted records: log start 7, end 10."""

    def list_topics(self, topic: str, timeout: float) -> Any:
        metadata = SimpleNamespace(error=None, partitions={0: None, 1: None})
        return SimpleNamespace(topics={topic: metadata})

    def committed(self, partitions: list[Any], timeout: float) -> list[Any]:
        offsets = {0: 8, 1: confluent_kafka.OFFSET_INVALID}
        return [confluent_kafka.TopicPartition(tp.topic, tp.partition, offsets[tp.partition])
                for tp in partitions]  # fmt: skip

    def get_watermark_offsets(self, tp: Any, timeout: float, cached: bool) -> tuple[int, int]:
        return 7, 10


def test_uncommitted_partitions_lag_from_the_log_start() -> None:
    lags = lag_module._topic_lag(_Watermarks(), "t", 1.0)  # type: ignore[arg-type]
    assert lags == [PartitionLag("t", 0, 8, 10, 2), PartitionLag("t", 1, None, 10, 3)]


class _SilentAdmin:
    """A cluster that never answers list-consumer-group-offsets."""

    def __init__(self, conf: dict[str, Any]) -> None:
        pass

    def list_consumer_group_offsets(self, requests: list[Any], **_: Any) -> dict[str, Future[Any]]:
        return {r.group_id: Future() for r in requests}


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_cluster_not_listing_committed_topics_exits_3(
    monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    monkeypatch.setattr(lag_module, "AdminClient", _SilentAdmin)
    with socket.socket() as silent:  # accepts connections, never answers: the brokers are "up"
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"127.0.0.1:{silent.getsockname()[1]}"
        args = ["--bootstrap-servers", address, "--group", "g", "--timeout", "0.2"]
        result = CliRunner().invoke(lag, [*args, "--format", output])
    assert result.exit_code == 3
    assert result.output.count("\n") == 1, result.output
    assert "did not list the topics group 'g' committed offsets for" in result.output
    assert "Pass --topic TOPIC" in result.output
    assert "Traceback" not in result.output
