"""The async consumer's process for the crash test:
`python -m tests.runtime.crash_consumer_async DB BOOTSTRAP REGISTRY_URL TOPIC COUNT [KILL_AT]`.

`crash_consumer` on `AsyncConsumer`: it records every handled order id in DB, stops after COUNT
messages, and SIGKILLs itself when about to handle message number KILL_AT: the earlier ones were
handled and marked in the store, but their batch was not committed yet. (With the mock cluster's
single broker, the first fetch returns every partition's messages: one batch.)"""

import asyncio
import json
import os
import signal
import sqlite3
import sys
from typing import Any

from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import AsyncConsumer, ConsumedEvent

from .models import orders_spec
from .sqlite_store import SqliteIdempotencyStore


async def main(  # noqa: PLR0917 (the command line's arguments, in order)
    db_path: str,
    bootstrap_servers: str,
    registry_url: str,
    topic: str,
    count: int,
    kill_at: int | None,
) -> None:
    spec = orders_spec(topic)
    registry = SchemaRegistryClient({"url": registry_url})  # the parent's registry
    results = sqlite3.connect(db_path, isolation_level=None)
    results.execute("CREATE TABLE IF NOT EXISTS handled (order_id TEXT)")
    # a sync store, called on the event loop: fine for a local SQLite file
    store = SqliteIdempotencyStore(db_path)
    calls = 0

    async def handler(event: ConsumedEvent[Any]) -> None:
        nonlocal calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        results.execute("INSERT INTO handled VALUES (?)", (event.payload.order_id,))

    config = {
        "bootstrap_servers": bootstrap_servers,
        # the killed member holds its partitions until its session expires: keep that short
        "session_timeout_ms": 4000,
        "heartbeat_interval_ms": 500,
    }
    consumer = AsyncConsumer(
        spec, config, registry, group_id="crash-aio", idempotency=store, batch_size=500
    )
    async with consumer:
        stats = await consumer.run(handler, max_messages=count, idle_timeout=20)
    print(json.dumps({"handled": stats.handled, "duplicates": stats.duplicates}))


if __name__ == "__main__":
    kill_at = int(sys.argv[6]) if len(sys.argv) > 6 else None
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), kill_at))
