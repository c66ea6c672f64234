"""The order service's side: publish `OrderCreated` events, as an HTTP handler would.

. .contractgen/dev.env            # written by `contractgen dev`
.venv/bin/python -m examples.place_orders
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from decimal import Decimal

from confluent_kafka.schema_registry import SchemaRegistryClient

from generated.models.com.acme.orders import LineItem, OrderCreated
from generated.orders import OrdersProducer


def main() -> None:
    registry = SchemaRegistryClient({"url": os.environ["SCHEMA_REGISTRY_URL"]})
    config = {"bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"]}
    with OrdersProducer(config, registry, producer_name="order-service") as producer:
        for number in range(1, 4):
            order = OrderCreated(
                order_id=f"order-{number}",
                customer_id="customer-42",
                items=[LineItem(sku="SKU-1", quantity=number, unit_price=Decimal("9.99"))],
                amount=Decimal("9.99") * number,
                currency="EUR",
                created_at=datetime.now(UTC),
            )
            # The key is the order id (the topic's key_field): one order, one partition.
            delivered = producer.send(order, correlation_id=f"checkout-{number}").result(10)
            print(f"sent {order.order_id} to partition {delivered.partition} @ {delivered.offset}")


if __name__ == "__main__":
    main()
