"""A worker: consume `orders`, commit only after each event is handled, dead-letter what fails.

. .contractgen/dev.env            # written by `contractgen dev`
.venv/bin/python -m examples.fulfil_orders   # stops after 15 s without events
"""

from __future__ import annotations

import os

from confluent_kafka.schema_registry import SchemaRegistryClient

from contractgen.runtime import ConsumedEvent, DeadLetterPolicy, InMemoryIdempotencyStore
from generated.models.com.acme.orders import OrderCancelled, OrderCreated, OrderPaid
from generated.orders import OrdersConsumer, OrdersEvent


def handle(event: ConsumedEvent[OrdersEvent]) -> None:
    """Raising here sends the event to `orders-dlq` (with error headers) and moves on."""
    payload = event.envelope.payload
    match payload:
        case OrderCreated():
            total = f"{payload.amount} {payload.currency}"
            print(f"reserve stock for {payload.order_id}: {len(payload.items)} line(s), {total}")
        case OrderPaid():
            print(f"ship {payload.order_id}")
        case OrderCancelled():
            print(f"release stock of {payload.order_id}: {payload.reason.value}")


def main() -> None:
    registry = SchemaRegistryClient({"url": os.environ["SCHEMA_REGISTRY_URL"]})
    config = {
        "bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
        # A restarted worker joins once the group gives up on its previous member; keep that
        # short (the dev cluster's recommended settings, contractgen.dev.CONSUMER_SETTINGS).
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 2000,
    }
    with OrdersConsumer(
        config,
        registry,
        group_id="fulfilment",
        # Redelivery after a crash must not reserve stock twice: skip event ids already handled.
        idempotency=InMemoryIdempotencyStore(),
        # Stop (rather than dead-letter the whole topic) after 5 failures in a row.
        dead_letter=DeadLetterPolicy(max_consecutive=5),
    ) as consumer:
        stats = consumer.run(handle, idle_timeout=float(os.environ.get("IDLE_TIMEOUT", "15")))
    print(stats)


if __name__ == "__main__":
    main()
