"""The contracts as an AsyncAPI 3.0 document, for the tools of that ecosystem (Studio, generators).

One channel per topic with its Kafka bindings (topic, partitions, the subject naming strategy),
and one per dead-letter topic; one message per event type of a topic, whose payload is the
topic's value schema in Avro (the envelope, every named type written out in full, exactly the
registry's canonical string) and whose Kafka binding carries the key's schema and the wire format
(Confluent's: the schema id in the payload); send and receive operations for the generated
producer and consumer, and the consumer's send to the dead-letter topic. The compatibility level
and the subjects are `x-contractgen-*` extensions.

A pure function of the contracts and the config: the same contracts give the same document.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import yaml

from contractgen.catalog.example import example_event
from contractgen.codegen.naming import topic_class_prefix
from contractgen.config import Config, SubjectStrategy
from contractgen.ir.model import Contract, ContractSet, Primitive, Record, Topic
from contractgen.runtime import dead_letter

ASYNCAPI_VERSION = "3.0.0"
AVRO_FORMAT = "application/vnd.apache.avro;version=1.9.0"
KAFKA_BINDING = "0.5.0"

# Confluent's class names for the strategies: what `confluent.*.subject.name.strategy` takes.
STRATEGY_CLASSES = {
    SubjectStrategy.TOPIC: "io.confluent.kafka.serializers.subject.TopicNameStrategy",
    SubjectStrategy.RECORD: "io.confluent.kafka.serializers.subject.RecordNameStrategy",
    SubjectStrategy.TOPIC_RECORD: "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
}
_JSON_TYPES = {
    "string": "string",
    "bytes": "string",
    "int": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "boolean": "boolean",
}
_DLQ_HEADERS = (
    (dead_letter.ERROR_TYPE, "Class name of the error the handler raised."),
    (dead_letter.ERROR_MESSAGE, "The error's message."),
    (dead_letter.ORIGINAL_TOPIC, "Topic the message was consumed from."),
    (dead_letter.ORIGINAL_PARTITION, "Its partition."),
    (dead_letter.ORIGINAL_OFFSET, "Its offset."),
    (dead_letter.ORIGINAL_TIMESTAMP, "Its timestamp (milliseconds since the epoch)."),
    (dead_letter.SCHEMA_ID, "The schema id in the original value, when it had one."),
)


def _id(name: str) -> str:
    """An AsyncAPI key from a topic or type name (keys allow letters, digits, `_` and `-`)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _avro(contract: Contract) -> Any:
    """The schema as the registry stores it (its canonical string), as JSON."""
    return json.loads(contract.identity.canonical)


def _key_schema(topic: Topic) -> dict[str, Any]:
    root = topic.key.schema.root
    if isinstance(root, Primitive) and root.type in _JSON_TYPES:
        described = f"The message key ({root.type}"
        described += f", the events' `{topic.key_field}`)." if topic.key_field else ")."
        return {"type": _JSON_TYPES[root.type], "description": described}
    return {"$ref": f"#/components/schemas/{_id(topic.key.subject)}"}


def _topic_config(strategy: SubjectStrategy) -> dict[str, Any]:
    return {
        "confluent.key.subject.name.strategy": STRATEGY_CLASSES[strategy],
        "confluent.value.subject.name.strategy": STRATEGY_CLASSES[strategy],
    }


def _message(topic: Topic, event: str, strategy: SubjectStrategy) -> dict[str, Any]:
    record = topic.value.schema.named[event]
    assert isinstance(record, Record)  # the IR builder allows only records as events
    message: dict[str, Any] = {
        "name": event,
        "title": record.name,
        "contentType": "application/octet-stream",
        "payload": {"$ref": f"#/components/schemas/{_id(topic.value.subject)}"},
        "bindings": {
            "kafka": {
                "key": _key_schema(topic),
                "schemaIdLocation": "payload",
                "schemaIdPayloadEncoding": "confluent",
                "schemaLookupStrategy": STRATEGY_CLASSES[strategy].rsplit(".", 1)[1],
                "bindingVersion": KAFKA_BINDING,
            }
        },
        "examples": [
            {
                "name": record.name,
                "summary": f"An envelope carrying {record.name}.",
                "payload": example_event(topic.value.schema, event),
            }
        ],
        "x-contractgen-event-type": event,
    }
    if record.doc:
        message["summary"] = record.doc
    return message


def _dlq_message(topic: Topic) -> dict[str, Any]:
    headers = {name: {"type": "string", "description": doc} for name, doc in _DLQ_HEADERS}
    return {
        "name": f"{topic.name} dead letter",
        "title": f"Dead letter of {topic.name}",
        "summary": f"A message of {topic.name} its consumer could not handle: the original key, "
        "value and headers, unchanged, plus error headers.",
        "contentType": "application/octet-stream",
        "headers": {"type": "object", "properties": headers},
        "payload": {"$ref": f"#/components/schemas/{_id(topic.value.subject)}"},
    }


def _channels(topic: Topic, strategy: SubjectStrategy) -> dict[str, Any]:
    kafka = {
        "topic": topic.name,
        "partitions": topic.partitions,
        "topicConfiguration": _topic_config(strategy),
        "bindingVersion": KAFKA_BINDING,
    }
    events = {_id(e): {"$ref": f"#/components/messages/{_id(topic.name)}.{_id(e)}"}
              for e in topic.events}  # fmt: skip
    dlq_ref = {"$ref": f"#/components/messages/{_id(topic.name)}.deadLetter"}
    return {
        _id(topic.name): {
            "address": topic.name,
            "title": topic.name,
            "description": f"Events of topic `{topic.name}`, one envelope per message.",
            "messages": events,
            "bindings": {"kafka": kafka},
            "x-contractgen-compatibility": topic.value.level.value,
            "x-contractgen-subjects": {"key": topic.key.subject, "value": topic.value.subject},
            "x-contractgen-dead-letter-topic": topic.dead_letter_topic,
        },
        _id(topic.dead_letter_topic): {
            "address": topic.dead_letter_topic,
            "title": topic.dead_letter_topic,
            "description": f"Dead letters of `{topic.name}`.",
            "messages": {"deadLetter": dlq_ref},
            "bindings": {"kafka": {"topic": topic.dead_letter_topic,
                                   "bindingVersion": KAFKA_BINDING}},
        },
    }  # fmt: skip


def _operations(topic: Topic, package: str) -> dict[str, Any]:
    channel, dlq = _id(topic.name), _id(topic.dead_letter_topic)
    refs = [{"$ref": f"#/channels/{channel}/messages/{_id(e)}"} for e in topic.events]
    prefix = f"{package}.{topic_class_prefix(topic.name)}"
    return {
        f"send_{channel}": {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "title": f"{prefix}Producer",
            "summary": f"The generated producer sends the events of {topic.name}.",
            "messages": refs,
        },
        f"receive_{channel}": {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel}"},
            "title": f"{prefix}Consumer",
            "summary": f"The generated consumer receives the events of {topic.name}.",
            "messages": refs,
        },
        f"dead_letter_{channel}": {
            "action": "send",
            "channel": {"$ref": f"#/channels/{dlq}"},
            "title": f"{prefix}Consumer dead letters",
            "summary": "The generated consumer sends what its handler failed on here.",
            "messages": [{"$ref": f"#/channels/{dlq}/messages/deadLetter"}],
        },
    }


def _version(contracts: ContractSet) -> str:
    """A version that changes exactly when a subject's schema does: the fingerprint of all."""
    digest = hashlib.sha256()
    for contract in contracts.contracts():
        digest.update(f"{contract.subject}\n{contract.identity.canonical}\n".encode())
    return f"sha256-{digest.hexdigest()[:12]}"


def asyncapi_document(config: Config, contracts: ContractSet) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of `contracts`, as JSON-ready data."""
    strategy = config.subject_strategy
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in contracts.topics:
        channels.update(_channels(topic, strategy))
        operations.update(_operations(topic, config.package))
        for contract in (topic.key, topic.value):
            schemas[_id(contract.subject)] = {
                "schemaFormat": AVRO_FORMAT,
                "schema": _avro(contract),
            }
        for event in topic.events:
            messages[f"{_id(topic.name)}.{_id(event)}"] = _message(topic, event, strategy)
        messages[f"{_id(topic.name)}.deadLetter"] = _dlq_message(topic)
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Event contracts",
            "version": _version(contracts),
            "description": "Kafka topics and their Avro events, generated by contractgen from "
            f"{config.source.path.name}. Values use Confluent's wire format (magic byte 0, "
            "4-byte schema id, Avro binary).",
            "x-contractgen-subject-strategy": STRATEGY_CLASSES[strategy].rsplit(".", 1)[1],
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }


def render_document(document: dict[str, Any], output_format: str) -> str:
    """`yaml` (block style, keys in document order) or `json` (indented)."""
    if output_format == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return text
