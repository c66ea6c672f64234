"""Local development infrastructure: an in-process Kafka cluster (and its pytest fixtures)."""

from contractgen.dev.mock_cluster import CONSUMER_SETTINGS, MockKafkaCluster

__all__ = ["CONSUMER_SETTINGS", "MockKafkaCluster"]
