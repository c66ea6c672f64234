"""What the async clients share: the lazy aiokafka import, config defaults, `async with`."""

import importlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from types import ModuleType, TracebackType
from typing import Any, Self

# aiokafka keyword arguments (its config is Python kwargs, not librdkafka's dotted names)
PRODUCER_DEFAULTS: Mapping[str, Any] = {"enable_idempotence": True, "acks": "all"}
_CONNECTION_PREFIXES = ("bootstrap_servers", "security_", "ssl_", "sasl_", "client_id")


def aiokafka() -> ModuleType:
    try:
        return importlib.import_module("aiokafka")
    except ImportError as exc:
        raise ImportError(
            "the async clients need aiokafka: pip install 'contractgen[async]'"
        ) from exc


def connection_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The aiokafka kwargs that say how to reach and authenticate to the cluster."""
    return {k: v for k, v in config.items() if k.startswith(_CONNECTION_PREFIXES)}


class AsyncClient(ABC):
    """`async with client:` starts it and closes it, whatever happens inside."""

    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
