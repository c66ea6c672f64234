"""Serving the embedded registry over HTTP with uvicorn: in the foreground or a background thread.

uvicorn drains in-flight requests on SIGINT/SIGTERM (graceful shutdown) and the store is closed
after it; a registration is one SQLite transaction, so even a hard kill loses none half-done.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from contractgen.registry.embedded.app import MAX_BODY, create_app
from contractgen.registry.embedded.engine import Registry

DEFAULT_STORE = Path(".contractgen/registry.db")


@dataclass(frozen=True, slots=True)
class TLS:
    certfile: str
    keyfile: str


def _config(app: ASGIApp, host: str, port: int, tls: TLS | None, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=10,
        ssl_certfile=tls.certfile if tls else None,
        ssl_keyfile=tls.keyfile if tls else None,
    )


class ListenError(Exception):
    """The address could not be bound: the port is taken or privileged, or the host not ours."""


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one); connections queue until served."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
    # says TCP; with proto 0 every response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    return sock


def _url(sock: socket.socket, host: str, tls: TLS | None) -> str:
    scheme = "https" if tls else "http"
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{sock.getsockname()[1]}"


class _Server(uvicorn.Server):
    """uvicorn's server, calling back once it accepts connections."""

    def __init__(self, config: uvicorn.Config, started: Callable[[], None]) -> None:
        super().__init__(config)
        self._started = started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._started()


def serve(
    store: str | Path = DEFAULT_STORE,
    host: str = "127.0.0.1",
    port: int = 8081,
    *,
    credentials: tuple[str, str] | None = None,
    tls: TLS | None = None,
    on_started: Callable[[str], None] | None = None,
    max_body: int = MAX_BODY,
) -> None:
    """Serve until interrupted (`contractgen registry serve`).

    The socket is bound here, not by uvicorn, so a busy port is a ListenError before anything
    starts and `on_started` gets the real URL once the server accepts connections (port 0 picks a
    free port).
    """
    try:
        sock = _listen(host, port)
    except OSError as error:
        raise ListenError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    try:
        registry = Registry(store)
        try:
            app = create_app(registry, credentials=credentials, max_body=max_body)
            url = _url(sock, host, tls)

            def started() -> None:
                # uvicorn logs its address only for the sockets it binds itself.
                logging.getLogger("uvicorn.error").info(
                    "Uvicorn running on %s (Press CTRL+C to quit)", url
                )
                if on_started is not None:
                    on_started(url)

            config = _config(app, host, sock.getsockname()[1], tls, "info")
            _Server(config, started).run(sockets=[sock])
        finally:
            registry.close()
    finally:
        sock.close()


@contextmanager
def serve_app_in_thread(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, *, tls: TLS | None = None
) -> Iterator[str]:
    """Serve any ASGI app in a daemon thread; yields its base URL (port 0 picks a free port)."""
    sock = _listen(host, port)
    server = uvicorn.Server(_config(app, host, sock.getsockname()[1], tls, "warning"))
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[sock])),
        name="contractgen-registry",
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the embedded registry did not start on {host}")
            time.sleep(0.01)
        yield _url(sock, host, tls)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@contextmanager
def serve_in_thread(
    store: str | Path = DEFAULT_STORE,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    credentials: tuple[str, str] | None = None,
    tls: TLS | None = None,
    max_body: int = MAX_BODY,
) -> Iterator[str]:
    """Run the embedded registry in a daemon thread (tests, `contractgen dev`); yields its URL."""
    registry = Registry(store)
    try:
        app = create_app(registry, credentials=credentials, max_body=max_body)
        with serve_app_in_thread(app, host, port, tls=tls) as url:
            yield url
    finally:
        registry.close()
