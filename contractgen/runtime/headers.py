"""Kafka header normalization shared by the sync and async clients."""

from collections.abc import Iterable, Mapping
from typing import TypeAlias

HeadersArg: TypeAlias = Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]] | None
"""Headers as callers give them: a mapping or (name, value) pairs; str values are UTF-8 encoded."""


def normalize_headers(headers: HeadersArg) -> list[tuple[str, bytes]]:
    if headers is None:
        return []
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [(name, value.encode() if isinstance(value, str) else value) for name, value in pairs]


def received_headers(
    headers: Mapping[str, str | bytes | None] | Iterable[tuple[str, str | bytes | None]] | None,
) -> list[tuple[str, bytes]]:
    """Headers as clients hand them over (None values allowed) in the runtime's form."""
    if headers is None:
        return []
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [
        (name, value.encode() if isinstance(value, str) else value or b"") for name, value in pairs
    ]
