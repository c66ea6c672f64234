"""Hand-written models in the exact shape the code generator produces (AvroModel protocol)."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from contractgen.runtime import AvroModel, TopicSpec
from contractgen.runtime.envelope import to_millis

NS = "com.acme.orders"
LINE_ITEM = {
    "type": "record",
    "name": "LineItem",
    "fields": [
        {"name": "sku", "type": "string"},
        {"name": "quantity", "type": "int"},
        {"name": "price_cents", "type": "long"},
    ],
}
CREATED = {
    "type": "record",
    "name": "OrderCreated",
    "namespace": NS,
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "customer_id", "type": "string"},
        {"name": "items", "type": {"type": "array", "items": LINE_ITEM}},
        {"name": "currency", "type": "string", "default": "EUR"},
    ],
}
# v2 adds an optional field with a default: readable both ways
CREATED_V2 = {
    **CREATED,
    "fields": [*CREATED["fields"], {"name": "coupon", "type": ["null", "string"], "default": None}],
}
PAID = {
    "type": "record",
    "name": "OrderPaid",
    "namespace": NS,
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "payment_id", "type": "string"},
        {"name": "amount_cents", "type": "long"},
        {"name": "paid_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    ],
}
CANCELLED = {
    "type": "record",
    "name": "OrderCancelled",
    "namespace": NS,
    "fields": [
        {"name": "order_id", "type": "string"},
        {"name": "reason", "type": ["null", "string"], "default": None},
    ],
}


def compact(schema: object) -> str:
    return json.dumps(schema, separators=(",", ":"))


@dataclass(slots=True, kw_only=True)
class LineItem:
    AVRO_NAME: ClassVar[str] = f"{NS}.LineItem"
    AVRO_SCHEMA: ClassVar[str] = compact({**LINE_ITEM, "namespace": NS})
    sku: str
    quantity: int
    price_cents: int

    def to_avro(self) -> dict[str, Any]:
        return {"sku": self.sku, "quantity": self.quantity, "price_cents": self.price_cents}

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(sku=data["sku"], quantity=data["quantity"], price_cents=data["price_cents"])


@dataclass(slots=True, kw_only=True)
class OrderCreated:
    AVRO_NAME: ClassVar[str] = f"{NS}.OrderCreated"
    AVRO_SCHEMA: ClassVar[str] = compact(CREATED)
    order_id: str
    customer_id: str
    items: list[LineItem] = field(default_factory=list)
    currency: str = "EUR"

    def to_avro(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "customer_id": self.customer_id,
            "items": [item.to_avro() for item in self.items],
            "currency": self.currency,
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            order_id=data["order_id"],
            customer_id=data["customer_id"],
            items=[LineItem.from_avro(item) for item in data["items"]],
            currency=data["currency"],
        )


@dataclass(slots=True, kw_only=True)
class OrderCreatedV2:
    """The same record one schema version later (generated code would keep the class name)."""

    AVRO_NAME: ClassVar[str] = f"{NS}.OrderCreated"
    AVRO_SCHEMA: ClassVar[str] = compact(CREATED_V2)
    order_id: str
    customer_id: str
    items: list[LineItem] = field(default_factory=list)
    currency: str = "EUR"
    coupon: str | None = None

    def to_avro(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "customer_id": self.customer_id,
            "items": [item.to_avro() for item in self.items],
            "currency": self.currency,
            "coupon": self.coupon,
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            order_id=data["order_id"],
            customer_id=data["customer_id"],
            items=[LineItem.from_avro(item) for item in data["items"]],
            currency=data["currency"],
            coupon=data["coupon"],
        )


@dataclass(slots=True, kw_only=True)
class OrderPaid:
    AVRO_NAME: ClassVar[str] = f"{NS}.OrderPaid"
    AVRO_SCHEMA: ClassVar[str] = compact(PAID)
    order_id: str
    payment_id: str
    amount_cents: int
    paid_at: datetime

    def to_avro(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "payment_id": self.payment_id,
            "amount_cents": self.amount_cents,
            "paid_at": to_millis(self.paid_at),
        }

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        paid_at = data["paid_at"]
        return cls(
            order_id=data["order_id"],
            payment_id=data["payment_id"],
            amount_cents=data["amount_cents"],
            paid_at=paid_at
            if isinstance(paid_at, datetime)
            else datetime.fromtimestamp(paid_at / 1000, UTC),
        )


@dataclass(slots=True, kw_only=True)
class OrderCancelled:
    AVRO_NAME: ClassVar[str] = f"{NS}.OrderCancelled"
    AVRO_SCHEMA: ClassVar[str] = compact(CANCELLED)
    order_id: str
    reason: str | None = None

    def to_avro(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "reason": self.reason}

    @classmethod
    def from_avro(cls, data: Mapping[str, Any]) -> Self:
        return cls(order_id=data["order_id"], reason=data["reason"])


OrdersEvent = OrderCreated | OrderPaid | OrderCancelled


def envelope_schema(topic: str, records: list[dict[str, Any]]) -> str:
    """The envelope record exactly as the IR builder emits it for a topic."""
    return compact(
        {
            "type": "record",
            "name": "OrdersEnvelope",
            "namespace": NS,
            "fields": [
                {"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
                {"name": "event_type", "type": "string"},
                {
                    "name": "occurred_at",
                    "type": {"type": "long", "logicalType": "timestamp-millis"},
                },
                {"name": "producer", "type": "string"},
                {"name": "correlation_id", "type": ["null", "string"], "default": None},
                {"name": "trace_id", "type": ["null", "string"], "default": None},
                {"name": "payload", "type": records},
            ],
        }
    )


def orders_spec(topic: str, *, version: int = 1) -> TopicSpec[Any]:
    created: type[AvroModel] = OrderCreated if version == 1 else OrderCreatedV2
    return TopicSpec(
        name=topic,
        value_subject=f"{topic}-value",
        key_subject=f"{topic}-key",
        value_schema=envelope_schema(
            topic, [CREATED if version == 1 else CREATED_V2, PAID, CANCELLED]
        ),
        key_schema='"string"',
        events={
            created.AVRO_NAME: created,
            OrderPaid.AVRO_NAME: OrderPaid,
            OrderCancelled.AVRO_NAME: OrderCancelled,
        },
        key_field="order_id",
    )
