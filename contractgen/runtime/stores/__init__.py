"""Idempotency stores shared between consumers and kept across restarts: Redis and SQL.

Each comes sync and async. None imports its driver: pass a client or connection you made
(``pip install 'contractgen[redis]'`` or ``'contractgen[postgres]'``; SQLite needs nothing).
"""

from contractgen.runtime.stores.redis_store import (
    AsyncRedisIdempotencyStore,
    RedisIdempotencyStore,
)
from contractgen.runtime.stores.sql_store import AsyncSqlIdempotencyStore, SqlIdempotencyStore

__all__ = [
    "AsyncRedisIdempotencyStore",
    "AsyncSqlIdempotencyStore",
    "RedisIdempotencyStore",
    "SqlIdempotencyStore",
]
