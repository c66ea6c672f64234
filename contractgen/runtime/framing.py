"""The Schema Registry wire format: magic byte 0, a 4-byte big-endian schema id, the Avro body.

Pure bytes in and out, no I/O, so every client (sync, async, benchmarks) shares one implementation.
"""

import struct

from contractgen.runtime.errors import FramingError

MAGIC_BYTE = 0
HEADER_SIZE = 5
_HEADER = struct.Struct(">bI")
_SHOWN_BYTES = 16


def frame_header(schema_id: int) -> bytes:
    """The 5-byte prefix announcing `schema_id`."""
    if not 0 <= schema_id <= 0xFFFFFFFF:
        raise FramingError(f"schema id {schema_id} does not fit in 4 bytes")
    return _HEADER.pack(MAGIC_BYTE, schema_id)


def frame(schema_id: int, body: bytes) -> bytes:
    """Prefix an Avro binary body with the wire-format header."""
    return frame_header(schema_id) + body


def schema_id_of(data: bytes) -> int:
    """The schema id in a framed message; FramingError when the header is missing or wrong."""
    if len(data) < HEADER_SIZE:
        raise FramingError(
            f"payload of {len(data)} bytes is shorter than the {HEADER_SIZE}-byte Schema Registry "
            "header: it was not written by a Schema Registry serializer"
        )
    magic, schema_id = _HEADER.unpack_from(data)
    if magic != MAGIC_BYTE:
        raise FramingError(
            f"unknown magic byte {magic} (expected {MAGIC_BYTE}): the payload was not written "
            "with the Schema Registry wire format (it starts with "
            f"{bytes(data[:_SHOWN_BYTES])!r}); was it produced by a client without an Avro "
            "serializer?"
        )
    return int(schema_id)


def peek_schema_id(data: bytes | None) -> int | None:
    """The schema id of a framed message, None when `data` is not framed (never raises)."""
    if data is None or len(data) < HEADER_SIZE or data[0] != MAGIC_BYTE:
        return None
    return int.from_bytes(data[1:HEADER_SIZE], "big")


def unframe(data: bytes) -> tuple[int, bytes]:
    """Split a framed message into its schema id and Avro body."""
    return schema_id_of(data), data[HEADER_SIZE:]
