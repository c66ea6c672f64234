"""librdkafka's mock cluster: a real Kafka-protocol server on 127.0.0.1, no Docker, no Java.

confluent-kafka and aiokafka clients reach it over TCP. It creates topics on first use (4
partitions; no CreateTopics) and keeps about 5 MiB per partition.

Consumer groups: a consumer's close() sends LeaveGroup and the mock acknowledges it, but it keeps
the group in its last state, so the next member's join waits for the rebalance timeout, which is
session.timeout.ms - 1 s (a real broker empties the group and waits only
group.initial.rebalance.delay.ms, 3 s by default). Measured: a worker restarted with librdkafka's
default (45 s) first received after 44 s; aiokafka's default (10 s) after 9 s; with
`CONSUMER_SETTINGS` after 5 s, with either client. A new group's first join waits
group.initial.rebalance.delay.ms, for its other members to join too: 3 s in librdkafka's mock,
lowered to `group_join_delay_ms` here when librdkafka's C API is reachable (librdkafka_mock).
"""

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import confluent_kafka

from contractgen.dev.librdkafka_mock import NativeMockCluster

CONSUMER_SETTINGS: Mapping[str, Any] = {
    # the smallest session timeout real brokers accept (group.min.session.timeout.ms), so these
    # settings are valid beyond the mock cluster too; heartbeats at a third of it, as Kafka advises
    "session.timeout.ms": 6000,
    "heartbeat.interval.ms": 2000,
}
"""Recommended consumer settings for the dev cluster: a restarted worker receives within ~5 s."""


class MockKafkaCluster:
    """Starts a mock cluster of `num_brokers` brokers; `bootstrap_servers` is where it listens.

    The cluster lives as long as the librdkafka handle that created it, so this object keeps that
    handle and `close()` drops it.
    """

    def __init__(self, num_brokers: int = 1, *, group_join_delay_ms: int = 1000) -> None:
        # long enough for members started together to join one generation, even on a busy
        # machine: a member joining a formed group waits session.timeout.ms - 1 s (see above)
        native = NativeMockCluster.start(num_brokers, group_join_delay_ms)
        self._owner: confluent_kafka.Producer | NativeMockCluster | None = native
        if native is not None:
            self.bootstrap_servers = native.bootstrap_servers
            return
        # log_level 4 hides librdkafka's "Mock cluster enabled" notice on every start
        producer = confluent_kafka.Producer({"test.mock.num.brokers": num_brokers, "log_level": 4})
        self._owner = producer
        brokers = producer.list_topics(timeout=10).brokers.values()
        self.bootstrap_servers = ",".join(f"{b.host}:{b.port}" for b in brokers)

    def consumer_config(self) -> dict[str, Any]:
        """The config for a consumer (sync or async) of this cluster: `CONSUMER_SETTINGS`."""
        return {"bootstrap.servers": self.bootstrap_servers, **CONSUMER_SETTINGS}

    def close(self) -> None:
        """Stop the cluster (clients still connected see their connections close)."""
        if isinstance(self._owner, NativeMockCluster):
            self._owner.close()
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
