"""Reading a registry's error answers that are not its documented JSON error object.

confluent-kafka turns every error answer into a `SchemaRegistryError`; when the body is not
`{"error_code": ..., "message": ...}` what is left of it is a bytes repr in the message, or a
JSON object without `error_code`. These tell a web server's "no such route" (a registry built on
a web framework: Karapace, Redpanda) from a page that is not a registry's at all.
"""

from __future__ import annotations

import ast
import json

from confluent_kafka.schema_registry.error import SchemaRegistryError

_UNKNOWN_ERROR = "Unknown Schema Registry Error: "
"""confluent-kafka's message for an error answer without a registry's JSON body (`+ str(bytes)`)."""


def body_text(message: str) -> str:
    """The body confluent-kafka quotes after `_UNKNOWN_ERROR` (as a bytes repr), as text."""
    if not message.startswith(_UNKNOWN_ERROR):
        return message
    quoted = message.removeprefix(_UNKNOWN_ERROR)
    try:
        body = ast.literal_eval(quoted)
    except (ValueError, SyntaxError):
        return quoted
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else quoted


def bare_string(body: str) -> str | None:
    """A body that is one JSON string (Karapace's `"Not Found"`, `"Method Not Allowed"`)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed if isinstance(parsed, str) else None


def route_not_found(exc: SchemaRegistryError) -> str | None:
    """The message of a 404 whose JSON object has no `error_code`: the web server's own "no such
    route" (Redpanda's `{"message": "Not found", "code": 404}`), not a registry's answer.

    confluent-kafka gives such an answer error_code None (-1 is a body that is not a JSON
    object), and the object's `message`, if any. Other statuses with such a body (a gateway's
    `{"message": "Forbidden"}`) stay "not a registry".
    """
    message = exc.error_message
    found = exc.error_code is None and int(exc.http_status_code) == 404
    return message if found and isinstance(message, str) else None
