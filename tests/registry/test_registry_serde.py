"""confluent-kafka's own AvroSerializer/AvroDeserializer work against the embedded registry."""

from __future__ import annotations

from decimal import Decimal

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

SCHEMA = """
{"type": "record", "name": "OrderCreated", "namespace": "com.acme.orders",
 "fields": [{"name": "order_id", "type": "string"},
            {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal",
                                        "precision": 10, "scale": 2}},
            {"name": "note", "type": ["null", "string"], "default": null}]}
"""
VALUE = {"order_id": "o-1", "amount": Decimal("12.34"), "note": None}
CONTEXT = SerializationContext("orders", MessageField.VALUE)


def test_round_trip_with_auto_registration(sr: SchemaRegistryClient, registry_url: str) -> None:
    serializer = AvroSerializer(sr, SCHEMA, conf={"auto.register.schemas": True})
    payload = serializer(VALUE, CONTEXT)
    assert payload is not None and payload[0] == 0
    schema_id = int.from_bytes(payload[1:5], "big")
    assert sr.get_latest_version("orders-value").schema_id == schema_id

    # A fresh client (empty cache) resolves the writer schema by id from the server.
    reader_client = SchemaRegistryClient({"url": registry_url})
    try:
        assert AvroDeserializer(reader_client)(payload, CONTEXT) == VALUE
    finally:
        reader_client.close()


def test_serializer_looks_up_a_registered_schema(sr: SchemaRegistryClient) -> None:
    schema_id = sr.register_schema("orders-value", Schema(SCHEMA, "AVRO"))
    serializer = AvroSerializer(sr, SCHEMA, conf={"auto.register.schemas": False})
    payload = serializer(VALUE, CONTEXT)
    assert payload is not None and int.from_bytes(payload[1:5], "big") == schema_id
