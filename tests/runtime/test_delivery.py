"""`Delivery`, what the sync producer's `send` returns: a Future's result/exception/done without
a Future per message, and a real Future on request, completed whichever comes first."""

import threading
from concurrent.futures import wait
from uuid import uuid4

import pytest
from confluent_kafka import KafkaError

from contractgen.runtime.delivery import Delivery, DeliveryBoard
from contractgen.runtime.errors import DeliveryError

TIMED_OUT = KafkaError(KafkaError._MSG_TIMED_OUT)


def test_result_waits_for_the_report_and_raises_its_error() -> None:
    reports: list[object] = []
    delivery = Delivery(uuid4(), DeliveryBoard("orders"), reports.append)
    assert not delivery.done()
    with pytest.raises(TimeoutError):
        delivery.result(timeout=0.01)
    threading.Timer(0.05, delivery.report, (TIMED_OUT, None)).start()
    with pytest.raises(DeliveryError, match="to orders failed"):
        delivery.result(timeout=10)
    assert delivery.done()
    assert delivery.exception() is reports[0]


@pytest.mark.parametrize("asked_before_the_report", [True, False])
def test_as_future_completes_with_the_same_outcome(asked_before_the_report: bool) -> None:
    delivery = Delivery(uuid4(), DeliveryBoard("orders"), None)
    future = delivery.as_future() if asked_before_the_report else None
    delivery.report(TIMED_OUT, None)
    future = future or delivery.as_future()
    done, _ = wait([future], timeout=1)
    assert done == {future}
    assert future.exception() is delivery.exception()
    assert delivery.as_future() is future
