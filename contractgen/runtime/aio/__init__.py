"""Async twins of the typed clients, on aiokafka.

aiokafka is an optional dependency (`contractgen[async]`): these modules import it only when a
client is constructed, so `import contractgen.runtime` works without it.
"""

from contractgen.runtime.aio.consumer import AsyncConsumer
from contractgen.runtime.aio.producer import AsyncProducer

__all__ = ["AsyncConsumer", "AsyncProducer"]
