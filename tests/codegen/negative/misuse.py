"""Deliberate misuse of generated code: each statement must fail `mypy --strict`.

Checked by test_negative_typing.py against misuse.expected (mypy's exact output). After changing
the generator, regenerate the expected output with `python -m codegen.negative.pin` from tests/.
"""

from __future__ import annotations

from basic.models.com.example.crm import Address, Customer, Tier
from topics.models.com.acme.orders import OrderCancelled, OrderStatus
from topics.models.com.acme.payments import PaymentAuthorized
from topics.orders import OrdersProducer

Customer(id="c-1")
Address("Main St")
Address(street=1)
Address(street="Main St", tier=Tier.PRO)
visits = Customer.from_avro({}).visitz
wrong: Address = Customer.from_avro({})
status: OrderStatus = "PENDING"
cancelled = OrderCancelled.from_avro({})
cancelled.order_id = "o-2"


def send(producer: OrdersProducer, payment: PaymentAuthorized) -> None:
    producer.send(payment)
