"""Local development infrastructure: an in-process Kafka cluster (and its pytest fixtures)."""

from contractgen.dev.mock_cluster import MockKafkaCluster

__all__ = ["MockKafkaCluster"]
