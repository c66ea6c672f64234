"""Deadlines for HTTP requests to a registry: total time, not time per socket operation.

httpx's timeouts apply to each connect, write and read on its own, so a server that trickles one
byte every few seconds never trips them, and confluent-kafka's client retries on top. Here every
socket operation of the connection pool is given at most the time left until the calling
thread's deadline, and fails with the pool's own timeout error once it has passed: confluent-
kafka then gives up like on any timeout (its retries meet the same spent deadline).

The deadline of a request is the earlier of "now + the per-request timeout" and the command's
deadline (`--timeout`), set per thread with `deadline(...)` around each request.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_local = threading.local()


class DeadlineExceeded(Exception):  # noqa: N818 - reads as what happened
    """The command's own deadline (`--timeout`) passed before a request could start."""


def _left() -> float | None:
    at: float | None = getattr(_local, "at", None)
    return None if at is None else at - time.monotonic()


@contextmanager
def deadline(seconds: float, overall: float | None) -> Iterator[None]:
    """Requests in this block end within `seconds`, and before the monotonic time `overall`."""
    at = time.monotonic() + seconds
    if overall is not None:
        if overall <= time.monotonic():
            raise DeadlineExceeded
        at = min(at, overall)
    before = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = before


class _Stream:
    """A network stream whose operations never outlive the thread's deadline."""

    def __init__(self, inner: Any, timeouts: Any) -> None:
        self._inner, self._timeouts = inner, timeouts

    def _bound(self, timeout: float | None, error: type[Exception]) -> float | None:
        left = _left()
        if left is None:
            return timeout
        if left <= 0:
            raise error("the request's deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._inner.read(max_bytes, self._bound(timeout, self._timeouts.ReadTimeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._bound(timeout, self._timeouts.WriteTimeout))

    def start_tls(self, ssl_context: Any, server_hostname: Any = None, timeout: Any = None) -> Any:
        bounded = self._bound(timeout, self._timeouts.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, bounded), self._timeouts)

    def __getattr__(self, name: str) -> Any:  # close, get_extra_info
        return getattr(self._inner, name)


class _Backend:
    """Wraps a connection pool's network backend: every stream it opens is a `_Stream`."""

    def __init__(self, inner: Any, timeouts: Any) -> None:
        self._inner, self._timeouts = inner, timeouts

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kw: Any) -> Any:
        left = _left()
        if left is not None:
            if left <= 0:
                raise self._timeouts.ConnectTimeout("the request's deadline passed")
            timeout = left if timeout is None else min(timeout, left)
        return _Stream(self._inner.connect_tcp(host, port, timeout, **kw), self._timeouts)

    def __getattr__(self, name: str) -> Any:  # connect_unix_socket, sleep
        return getattr(self._inner, name)


def install(session: Any) -> None:
    """Bound every request of an httpx(2) `Client` by the thread's deadline.

    Reaches into the client's transports (their connection pools' network backend): httpx has
    no public hook for a total deadline. A client of another shape fails loudly here, at start,
    rather than silently losing the deadline.
    """
    transports = [session._transport, *getattr(session, "_mounts", {}).values()]
    pools = [pool for t in transports if (pool := getattr(t, "_pool", None)) is not None]
    if not pools:
        raise RuntimeError("the HTTP client has no connection pool to bound with deadlines")
    for pool in pools:
        timeouts = sys.modules[type(pool).__module__.split(".")[0]]  # httpcore or httpcore2
        if not isinstance(pool._network_backend, _Backend):
            pool._network_backend = _Backend(pool._network_backend, timeouts)
