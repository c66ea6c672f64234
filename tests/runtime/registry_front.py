"""A Schema Registry front for poison-message tests: answers some schema ids itself and passes
every other request to the embedded registry behind it.

The embedded registry stores only valid, self-contained Avro, so it cannot hold what a shared
Confluent registry may answer for a message's id: a PROTOBUF or JSON schema, text that does not
parse, a schema naming types it neither defines nor references. The answers served here follow
Confluent's documented `GET /schemas/ids/{id}` response, ``{"schema": ..., "schemaType": ...,
"references": [...]}`` (schemaType omitted for Avro), and its error body ``{"error_code": 50001,
"message": ...}`` for a 5xx; the 404 for unknown ids comes from the embedded registry itself.
"""

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_IDS_PATH = "/schemas/ids/"


class RegistryFront:
    def __init__(self, upstream: str, served: Mapping[int, Mapping[str, Any]]) -> None:
        self.upstream = upstream.rstrip("/")
        self.served = dict(served)
        self.failures: dict[int, int] = {}
        """Schema id -> how many more fetches of it answer 503."""
        self.fetches: list[int] = []
        self._lock = threading.Lock()

    def fail_next(self, schema_id: int, times: int) -> None:
        with self._lock:
            self.failures[schema_id] = times

    def answer(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        if method == "GET" and path.startswith(_IDS_PATH):
            id_text = path[len(_IDS_PATH) :].split("?", maxsplit=1)[0]
            if id_text.isdigit():
                schema_id = int(id_text)
                with self._lock:
                    self.fetches.append(schema_id)
                    left = self.failures.get(schema_id, 0)
                    self.failures[schema_id] = max(left - 1, 0)
                if left:
                    error = {"error_code": 50001, "message": "Error in the backend data store"}
                    return 503, json.dumps(error).encode()
                if schema_id in self.served:
                    return 200, json.dumps(self.served[schema_id]).encode()
        request = urllib.request.Request(
            self.upstream + path,
            data=body,
            method=method,
            headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


@contextmanager
def registry_front(upstream: str, served: Mapping[int, Mapping[str, Any]]) -> Iterator[Any]:
    """Yields (url, front)."""
    front = RegistryFront(upstream, served)

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            status, payload = front.answer(self.command, self.path, body)
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _reply  # noqa: N815 - http.server's names

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", front
    finally:
        server.shutdown()
        server.server_close()
