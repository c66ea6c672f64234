"""What is particular to the Redis store: either kind of client response, one client across a
server restart, lifetimes kept by the server, and a clear error for an async client in the sync
store (whose un-awaited replies would otherwise read as claims, silently)."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest

from contractgen.runtime.stores import AsyncRedisIdempotencyStore, RedisIdempotencyStore

from .store_servers import RedisServer, redis_server

redis = pytest.importorskip("redis", reason="pip install 'contractgen[redis]'")


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with redis_server() as started:
        yield started


@pytest.fixture
def client(server: RedisServer) -> Iterator[redis.Redis]:
    made = redis.Redis.from_url(server.url, decode_responses=True)
    yield made
    made.close()


def test_a_client_decoding_responses_works_and_keys_expire(client: redis.Redis) -> None:
    store = RedisIdempotencyStore(client, ttl=30, claim_ttl=5, prefix="billing:")
    event = uuid4()
    assert store.seen(event) is False
    assert 0 < client.pttl(f"billing:{event}") <= 5000
    store.mark(event)
    assert store.seen(event) is True
    assert client.get(f"billing:{event}") == "done"
    assert 5000 < client.pttl(f"billing:{event}") <= 30000


def test_one_client_goes_on_across_a_server_restart(server: RedisServer) -> None:
    client = redis.Redis.from_url(server.url)
    try:
        store = RedisIdempotencyStore(client)
        handled, interrupted = uuid4(), uuid4()
        assert store.seen(handled) is False
        store.mark(handled)
        assert store.seen(interrupted) is False
        server.kill()
        server.start()
        assert store.seen(handled) is True
        store.mark(interrupted)  # its handler finished while the server was restarting
        assert store.seen(interrupted) is True
    finally:
        client.close()


async def test_an_async_client_in_the_sync_store_is_refused(server: RedisServer) -> None:
    client = redis.asyncio.Redis.from_url(server.url)
    try:
        with pytest.raises(TypeError, match="use AsyncRedisIdempotencyStore"):
            RedisIdempotencyStore(client).seen(uuid4())
        store = AsyncRedisIdempotencyStore(client)
        assert await store.seen(uuid4()) is False
    finally:
        await client.aclose()
