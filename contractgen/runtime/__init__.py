"""The runtime of contractgen-generated packages: the only part of contractgen they import.

It imports nothing else of contractgen (and not jinja2, click or the code generator), so services
carry only this, confluent-kafka and fastavro; aiokafka is needed only by the async clients.

The async clients (asyncio) and `consumer_lag` (confluent-kafka's admin client) load on first
use: a service that uses neither does not pay for importing them.
"""

import importlib
from typing import TYPE_CHECKING, Any

from contractgen.runtime.api_level import RUNTIME_API_LEVEL, require_api_level
from contractgen.runtime.consumer import Consumer
from contractgen.runtime.dead_letter import DeadLetterPolicy
from contractgen.runtime.delivery import Delivery
from contractgen.runtime.envelope import Envelope
from contractgen.runtime.errors import (
    DeadLetterLimitExceeded,
    DeadLetterWriteError,
    DeliveryError,
    DeserializationError,
    FramingError,
    Reason,
    SchemaNotRegisteredError,
    SchemaRegistryUnavailableError,
)
from contractgen.runtime.idempotency import (
    AsyncIdempotencyStore,
    IdempotencyStore,
    InMemoryIdempotencyStore,
)
from contractgen.runtime.metrics import Metrics
from contractgen.runtime.model import AvroModel
from contractgen.runtime.pipeline import ConsumedEvent, ConsumerStats
from contractgen.runtime.producer import DeliveryReport, Producer
from contractgen.runtime.registry import RegistryRetry, SchemaRegistry
from contractgen.runtime.serde import TopicSerde
from contractgen.runtime.topic import TopicSpec

if TYPE_CHECKING:
    from contractgen.runtime.aio import AsyncConsumer, AsyncProducer
    from contractgen.runtime.lag import PartitionLag, consumer_lag

_LAZY = {
    "AsyncConsumer": "contractgen.runtime.aio",
    "AsyncProducer": "contractgen.runtime.aio",
    "PartitionLag": "contractgen.runtime.lag",
    "consumer_lag": "contractgen.runtime.lag",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "RUNTIME_API_LEVEL",
    "AsyncConsumer",
    "AsyncIdempotencyStore",
    "AsyncProducer",
    "AvroModel",
    "ConsumedEvent",
    "Consumer",
    "ConsumerStats",
    "DeadLetterLimitExceeded",
    "DeadLetterPolicy",
    "DeadLetterWriteError",
    "Delivery",
    "DeliveryError",
    "DeliveryReport",
    "DeserializationError",
    "Envelope",
    "FramingError",
    "IdempotencyStore",
    "InMemoryIdempotencyStore",
    "Metrics",
    "PartitionLag",
    "Producer",
    "Reason",
    "RegistryRetry",
    "SchemaNotRegisteredError",
    "SchemaRegistry",
    "SchemaRegistryUnavailableError",
    "TopicSerde",
    "TopicSpec",
    "consumer_lag",
    "require_api_level",
]
