"""The runtime of contractgen-generated packages: the only part of contractgen they import.

It imports nothing else of contractgen (and not jinja2, click or the code generator), so services
carry only this, confluent-kafka and fastavro; aiokafka is needed only by the async clients.

Importing the package loads only what every generated model needs (`AvroModel`,
`require_api_level`, the errors); every other name loads its module on first use, so a process
pays for the producer, the consumer (its pipeline and dead-letter records), the registry client,
the async clients (asyncio) or `consumer_lag` (confluent-kafka's admin client) only when it uses
them. `from contractgen.runtime import Producer` works as before: it is that first use.
"""

import importlib
from typing import TYPE_CHECKING, Any

from contractgen.runtime.api_level import RUNTIME_API_LEVEL, require_api_level
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
from contractgen.runtime.model import AvroModel

if TYPE_CHECKING:  # the deferred names, as mypy and editors see them
    from contractgen.runtime.aio import AsyncConsumer, AsyncProducer
    from contractgen.runtime.consumer import Consumer
    from contractgen.runtime.dead_letter import DeadLetterPolicy
    from contractgen.runtime.delivery import Delivery
    from contractgen.runtime.envelope import Envelope
    from contractgen.runtime.idempotency import (
        AsyncIdempotencyStore,
        IdempotencyStore,
        InMemoryIdempotencyStore,
    )
    from contractgen.runtime.lag import PartitionLag, consumer_lag
    from contractgen.runtime.metrics import Metrics
    from contractgen.runtime.pipeline import ConsumedEvent, ConsumerStats
    from contractgen.runtime.producer import DeliveryReport, Producer
    from contractgen.runtime.registry import RegistryRetry, SchemaRegistry
    from contractgen.runtime.serde import TopicSerde
    from contractgen.runtime.topic import TopicSpec

_LAZY = {
    "AsyncConsumer": "contractgen.runtime.aio",
    "AsyncProducer": "contractgen.runtime.aio",
    "Consumer": "contractgen.runtime.consumer",
    "DeadLetterPolicy": "contractgen.runtime.dead_letter",
    "Delivery": "contractgen.runtime.delivery",
    "Envelope": "contractgen.runtime.envelope",
    "AsyncIdempotencyStore": "contractgen.runtime.idempotency",
    "IdempotencyStore": "contractgen.runtime.idempotency",
    "InMemoryIdempotencyStore": "contractgen.runtime.idempotency",
    "PartitionLag": "contractgen.runtime.lag",
    "consumer_lag": "contractgen.runtime.lag",
    "Metrics": "contractgen.runtime.metrics",
    "ConsumedEvent": "contractgen.runtime.pipeline",
    "ConsumerStats": "contractgen.runtime.pipeline",
    "DeliveryReport": "contractgen.runtime.producer",
    "Producer": "contractgen.runtime.producer",
    "RegistryRetry": "contractgen.runtime.registry",
    "SchemaRegistry": "contractgen.runtime.registry",
    "TopicSerde": "contractgen.runtime.serde",
    "TopicSpec": "contractgen.runtime.topic",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value  # later look-ups find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
