"""Idempotency in Redis: one key per event id, claimed with `SET NX PX`, so that of two consumers
racing on one event exactly one handles it (see `claim` for the waiting side).

Keys expire by themselves: a claim after `claim_ttl`, a done event after `ttl`. This module does
not import redis: the client is the caller's (``redis.Redis`` / ``redis.asyncio.Redis``, or any
client with the same `set`, `get` and `eval`), installed with the ``redis`` extra.

Durability is the server's: a claim or a done mark lost with a Redis that restarts without its
data lets a redelivered event be handled again. Run it with ``appendonly yes`` (``appendfsync
always`` to lose nothing on a crash) and a ``maxmemory-policy`` of ``noeviction``: every key
here has a TTL, so the ``volatile-*`` policies would evict done marks first.
"""

import inspect
from collections.abc import Awaitable
from typing import Generic, Protocol, TypeVar
from uuid import UUID

from contractgen.runtime.stores.claim import (
    DEFAULT_CLAIM_TTL,
    DEFAULT_TTL,
    DONE,
    ClaimState,
    claim_or_wait,
    claim_or_wait_async,
    milliseconds,
    new_token,
)

# Delete the key only while it holds this store's claim: never a done mark, nor a claim that
# another consumer took after ours expired.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisClient(Protocol):
    """What the store uses of ``redis.Redis``."""

    def set(self, name: str, value: str, *, px: int, nx: bool = False) -> object: ...

    def get(self, name: str) -> object: ...

    def eval(self, script: str, numkeys: int, *keys_and_args: str) -> object: ...


class AsyncRedisClient(Protocol):
    """What the store uses of ``redis.asyncio.Redis``."""

    def set(self, name: str, value: str, *, px: int, nx: bool = False) -> Awaitable[object]: ...

    def get(self, name: str) -> Awaitable[object]: ...

    def eval(self, script: str, numkeys: int, *keys_and_args: str) -> Awaitable[object]: ...


C = TypeVar("C", RedisClient, AsyncRedisClient)


class _RedisStore(Generic[C]):
    """Client, key names, values and lifetimes, shared by the sync and async stores."""

    def __init__(
        self,
        client: C,
        *,
        ttl: float = DEFAULT_TTL,
        claim_ttl: float = DEFAULT_CLAIM_TTL,
        prefix: str = "contractgen:event:",
    ) -> None:
        self._client: C = client
        self._prefix = prefix
        self._ttl_ms, self._claim_ms = milliseconds(ttl, claim_ttl)
        self._token = new_token()

    def _key(self, event_id: UUID) -> str:
        return f"{self._prefix}{event_id}"

    @staticmethod
    def _state(value: object) -> ClaimState:
        """What the value a failed `SET NX` found means (None: it expired in between)."""
        if isinstance(value, bytes):  # a client without decode_responses
            value = value.decode()
        return ClaimState.DONE if value == DONE else ClaimState.BUSY


class RedisIdempotencyStore(_RedisStore[RedisClient]):
    """Event ids in Redis, shared by every consumer that uses the same server and `prefix`.

    `seen` claims the event for `claim_ttl` seconds (or waits while another consumer holds it),
    `mark` turns the claim into a done mark kept `ttl` seconds, `release` drops the claim of an
    event whose handler failed, so that a retry needn't wait for it to expire. `client` is a
    ``redis.Redis``; keys are `prefix` followed by the event id.
    """

    def seen(self, event_id: UUID) -> bool:
        return claim_or_wait(event_id, lambda: self._try_claim(event_id))

    def mark(self, event_id: UUID) -> None:
        self._client.set(self._key(event_id), DONE, px=self._ttl_ms)

    def release(self, event_id: UUID) -> None:
        self._client.eval(_RELEASE, 1, self._key(event_id), self._token)

    def _try_claim(self, event_id: UUID) -> ClaimState:
        key = self._key(event_id)
        claimed = self._client.set(key, self._token, nx=True, px=self._claim_ms)
        if inspect.iscoroutine(claimed):  # truthy: every event would look claimed, silently
            claimed.close()
            raise TypeError(
                f"{type(self._client).__qualname__} is an async client: "
                "use AsyncRedisIdempotencyStore with it"
            )
        if claimed:
            return ClaimState.CLAIMED
        return self._state(self._client.get(key))


class AsyncRedisIdempotencyStore(_RedisStore[AsyncRedisClient]):
    """`RedisIdempotencyStore` for the async consumer, on a ``redis.asyncio.Redis`` client."""

    async def seen(self, event_id: UUID) -> bool:
        return await claim_or_wait_async(event_id, lambda: self._try_claim(event_id))

    async def mark(self, event_id: UUID) -> None:
        await self._client.set(self._key(event_id), DONE, px=self._ttl_ms)

    async def release(self, event_id: UUID) -> None:
        await self._client.eval(_RELEASE, 1, self._key(event_id), self._token)

    async def _try_claim(self, event_id: UUID) -> ClaimState:
        key = self._key(event_id)
        if await self._client.set(key, self._token, nx=True, px=self._claim_ms):
            return ClaimState.CLAIMED
        return self._state(await self._client.get(key))
