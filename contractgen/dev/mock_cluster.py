"""librdkafka's mock cluster: a real Kafka-protocol server on 127.0.0.1, no Docker, no Java.

confluent-kafka and aiokafka clients reach it over TCP. It creates topics on first use (4
partitions; no CreateTopics) and keeps about 5 MiB per partition.
"""

from types import TracebackType
from typing import Self

import confluent_kafka


class MockKafkaCluster:
    """Starts a mock cluster of `num_brokers` brokers; `bootstrap_servers` is where it listens.

    The cluster lives as long as the librdkafka handle that created it, so this object keeps that
    handle and `close()` drops it.
    """

    def __init__(self, num_brokers: int = 1) -> None:
        # log_level 4 hides librdkafka's "Mock cluster enabled" notice on every start
        self._owner: confluent_kafka.Producer | None = confluent_kafka.Producer(
            {"test.mock.num.brokers": num_brokers, "log_level": 4}
        )
        brokers = self._owner.list_topics(timeout=10).brokers.values()
        self.bootstrap_servers = ",".join(f"{b.host}:{b.port}" for b in brokers)

    def close(self) -> None:
        """Stop the cluster (clients still connected see their connections close)."""
        self._owner = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
