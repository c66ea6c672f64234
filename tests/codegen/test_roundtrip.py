"""Every record of every golden case, on samples covering every union branch, survives
bytes -> fastavro read -> from_avro -> to_avro -> fastavro write byte for byte; and through
confluent-kafka's AvroSerializer/AvroDeserializer with the generated hooks."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import fastavro
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from codegen.samples import samples
from codegen.support import GOLDEN, golden_package
from contractgen.avro.loader import SchemaFile, load_schema_files
from contractgen.registry.embedded.server import serve_in_thread

CASES = sorted(p.parent.name for p in GOLDEN.glob("*/expected"))
TOPIC_STRATEGY = {"subject.name.strategy.type": "TOPIC"}


def _records(case: str) -> list[tuple[str, type[Any], Any]]:
    files = [
        SchemaFile(p.relative_to(GOLDEN / case).as_posix(), p.read_text("utf-8"))
        for p in sorted((GOLDEN / case / "schemas").rglob("*.avsc"))
    ]
    loaded = load_schema_files(files)
    package = golden_package(case)
    return [
        (name, cls, loaded.schema_for(name)) for name, cls in sorted(package.AVRO_TYPES.items())
    ]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SchemaRegistryClient]:
    """confluent-kafka's own client on a real embedded registry of this module's own."""
    with serve_in_thread(tmp_path_factory.mktemp("codegen-interop") / "registry.db") as url:
        yield SchemaRegistryClient({"url": url})


def _write(parsed: Any, datum: Any) -> bytes:
    out = io.BytesIO()
    fastavro.schemaless_writer(out, parsed, datum)
    return out.getvalue()


def _read(parsed: Any, data: bytes) -> Any:
    return fastavro.schemaless_reader(io.BytesIO(data), parsed, parsed, return_named_type=True)


@pytest.mark.parametrize("case", CASES)
def test_fastavro_round_trip_is_byte_exact(case: str) -> None:
    checked = 0
    for name, cls, schema in _records(case):
        parsed = fastavro.parse_schema(json.loads(cls.AVRO_SCHEMA))
        for datum in samples(schema):
            original = _write(parsed, datum)
            model = cls.from_avro(_read(parsed, original))
            assert _write(parsed, model.to_avro()) == original, name
            assert cls.from_avro(_read(parsed, _write(parsed, model.to_avro()))) == model
            model.validate_avro()
            checked += 1
    assert checked


# confluent-kafka's AvroDeserializer tags only records in unions (`return_record_name`): the
# named_unions case needs the contractgen runtime, which reads with `return_named_type`
@pytest.mark.parametrize("case", ["basic", "unions", "logical", "topics"])
def test_confluent_serializer_round_trip(case: str, registry: SchemaRegistryClient) -> None:
    checked = 0
    for name, cls, schema in _records(case):
        parsed = fastavro.parse_schema(json.loads(cls.AVRO_SCHEMA))
        serializer = AvroSerializer(
            registry,
            cls.AVRO_SCHEMA,
            to_dict=lambda model, _ctx: model.to_avro(),
            conf={"auto.register.schemas": True, **TOPIC_STRATEGY},
        )
        deserializer = AvroDeserializer(
            registry,
            cls.AVRO_SCHEMA,
            from_dict=lambda data, _ctx, cls=cls: cls.from_avro(data),
            return_record_name=True,
            conf=TOPIC_STRATEGY,
        )
        # the registry is shared by the module: one subject per case and record
        context = SerializationContext(f"{case}-{name}", MessageField.VALUE)
        for datum in samples(schema):
            model = cls.from_avro(_read(parsed, _write(parsed, datum)))
            framed = serializer(model, context)
            assert framed is not None
            assert framed[5:] == _write(parsed, datum), name
            assert deserializer(framed, context) == model
            checked += 1
    assert checked
