"""Avro datum <-> framed bytes for one subject, with fastavro.

Reading resolves the writer's schema (fetched by id, parsed once per id) onto the reader schema this
code was generated from, so old and new producers and consumers interoperate. When the writer's
schema is the reader's own, the same parsed object is used for both, which lets fastavro skip
resolution entirely. What is decoded as written (the reader's own schema, or an older writer
whose records only gained or lost fields: writer_plan) is read by a reader compiled for that
schema (record_reader: fastavro's datum at about half the cost), fastavro's otherwise.
"""

import functools
import io
import json
from collections.abc import Callable
from typing import Any

import fastavro
from fastavro.types import Schema as ParsedSchema

from contractgen.runtime.errors import DeserializationError, Reason
from contractgen.runtime.framing import HEADER_SIZE, frame_header, peek_schema_id, schema_id_of
from contractgen.runtime.java_reading import java_reading, parse_java_reading
from contractgen.runtime.record_reader import Reader, datum_reader
from contractgen.runtime.registry import SchemaIds
from contractgen.runtime.writer_plan import Plan, added_defaults, fill

# the parsed writer, the reader schema fastavro resolves onto (None: no resolution), the
# defaults to add (contractgen.runtime.writer_plan), the compiled reader of what is decoded as
# written (record_reader; None: fastavro decodes)
_Reading = tuple[ParsedSchema, ParsedSchema | None, Plan | None, Reader | None]


def parse(schema_str: str, adapt: Callable[[Any], Any] | None = None) -> ParsedSchema:
    # the schema as Avro Java reads it: fastavro reads some of Java's texts otherwise, or refuses
    schema, placeholders = java_reading(json.loads(schema_str))
    return parse_java_reading(adapt(schema) if adapt else schema, placeholders)


class AvroCodec:
    """Encodes and decodes one subject's values in the Schema Registry wire format.

    `adapt` rewrites every schema (this code's and the writers') before fastavro parses it, for
    annotations the caller converts itself; it must not change the encoding.
    """

    def __init__(
        self,
        ids: SchemaIds,
        subject: str,
        schema_str: str,
        adapt: Callable[[Any], Any] | None = None,
    ) -> None:
        self._ids = ids
        self._subject = subject
        self._schema_str = schema_str
        self._adapt = adapt
        self._schema = parse(schema_str, adapt)
        self._header: bytes | None = None
        self._json = json.loads(schema_str)
        self._writers: dict[int, _Reading] = {}  # per writer schema id
        # ids whose writer schema can never be read (ids are immutable: wrong type, unparseable):
        # later messages naming one fail at once instead of asking the registry again. A 404 is
        # not kept, as a registry replica may not have seen a new schema yet.
        self._unreadable: dict[int, DeserializationError] = {}

    @property
    def header(self) -> bytes:
        """The 5-byte prefix for this schema; resolves the schema id on first use."""
        if self._header is None:
            self._header = frame_header(self._ids.id_for(self._subject, self._schema_str))
        return self._header

    def encode(self, datum: Any) -> bytes:
        out = io.BytesIO()
        out.write(self.header)
        fastavro.schemaless_writer(out, self._schema, datum)
        return out.getvalue()

    def needs_lookup(self, data: bytes | None) -> bool:
        """True when decoding `data` would fetch its writer's schema from the registry."""
        schema_id = peek_schema_id(data)
        return (
            schema_id is not None
            and schema_id not in self._writers
            and schema_id not in self._unreadable
        )

    def decode(self, data: bytes) -> tuple[int, Any]:
        """The schema id and the datum, resolved onto this codec's schema."""
        schema_id = schema_id_of(data)
        reading = self._writers.get(schema_id)
        if reading is None:
            reading = self._writer_schema(schema_id)
        writer, reader, plan, read = reading
        try:
            if read is not None:
                datum = read(data if type(data) is bytes else bytes(data), HEADER_SIZE)
            else:
                source = io.BytesIO(data)
                source.seek(HEADER_SIZE)
                datum = fastavro.schemaless_reader(source, writer, reader, return_named_type=True)
        except Exception as exc:  # fastavro raises many types for corrupt or unresolvable data
            raise DeserializationError(
                f"cannot decode a {self._subject} message with schema id {schema_id}: {exc}"
            ) from exc
        if plan:
            fill(plan, datum)
        return schema_id, datum

    def _writer_schema(self, schema_id: int) -> _Reading:
        unreadable = self._unreadable.get(schema_id)
        if unreadable is not None:
            raise DeserializationError(str(unreadable), reason=unreadable.reason)
        try:
            text = self._ids.schema_for(schema_id)
            try:
                writer = self._schema if text == self._schema_str else parse(text, self._adapt)
            except Exception as exc:  # JSONDecodeError, fastavro's SchemaParseException...
                raise DeserializationError(
                    f"the writer schema of {self._subject} schema id {schema_id} is not valid "
                    f"Avro: {type(exc).__name__}: {exc}",
                    reason=Reason.SCHEMA_INVALID,
                ) from exc
        except DeserializationError as exc:
            if exc.reason is not Reason.SCHEMA_NOT_FOUND:
                self._unreadable[schema_id] = exc
            raise
        if writer is not self._schema and writer == self._schema:
            writer = self._schema
        # the same object: decoded as written (fastavro would not resolve)
        reading: _Reading = (writer, self._schema, None, self._reader)
        if writer is not self._schema:
            reading = (writer, self._schema, None, None)  # fastavro resolves
            plan = added_defaults(self._adapted(json.loads(text)), self._adapted(self._json))
            if plan is not None:  # decoded as written, then the reader's defaults added
                reading = (writer, None, plan, datum_reader(writer))
        self._writers[schema_id] = reading
        return reading

    @functools.cached_property
    def _reader(self) -> Reader | None:
        """The compiled reader of this codec's schema, on first use (producers never read)."""
        return datum_reader(self._schema)

    def _adapted(self, schema: Any) -> Any:
        return self._adapt(schema) if self._adapt else schema
