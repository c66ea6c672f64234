"""The dev cluster: librdkafka's mock, with its group join delay lowered through the C API, and
the plain confluent-kafka way when that API is out of reach."""

from typing import Any

import confluent_kafka
import pytest

from contractgen.dev import MockKafkaCluster
from contractgen.dev.librdkafka_mock import NativeMockCluster

from .kafka_helpers import read_topic

pytestmark = pytest.mark.kafka


def round_trip(cluster: MockKafkaCluster) -> list[Any]:
    producer = confluent_kafka.Producer({"bootstrap.servers": cluster.bootstrap_servers})
    producer.produce("dev-topic", value=b"hello")
    assert producer.flush(10) == 0
    return [m.value() for m in read_topic(cluster.bootstrap_servers, "dev-topic", 1)]


def test_the_cluster_comes_from_librdkafkas_c_api_here() -> None:
    with MockKafkaCluster(num_brokers=2) as cluster:
        assert isinstance(cluster._owner, NativeMockCluster)  # the wheel bundles librdkafka
        assert len(cluster.bootstrap_servers.split(",")) == 2
        assert round_trip(cluster) == [b"hello"]
        assert cluster.consumer_config()["session.timeout.ms"] == 6000


def test_without_the_c_api_the_cluster_still_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NativeMockCluster, "start", classmethod(lambda *_args: None))
    with MockKafkaCluster() as cluster:
        assert isinstance(cluster._owner, confluent_kafka.Producer)
        assert round_trip(cluster) == [b"hello"]
