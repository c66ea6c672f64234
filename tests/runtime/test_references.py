"""Writer schemas registered with schema references are read, not dead-lettered.

The repo's own contracts are registered by `contractgen register --references` on an embedded
registry of this module (payments-value references PaymentAuthorized and PaymentRefunded, which
reference com.acme.common.Money); messages are written by confluent-kafka's own AvroSerializer.
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import confluent_kafka
import pytest
from click.testing import CliRunner
from confluent_kafka.schema_registry import (
    RegisteredSchema,
    Schema,
    SchemaReference,
    SchemaRegistryClient,
)
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext
from fastavro.schema import parse_schema, to_parsing_canonical_form

from contractgen.cli.main import main
from contractgen.dev.mock_cluster import MockKafkaCluster
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.runtime import ConsumedEvent, Envelope
from contractgen.runtime.envelope import envelope_to_avro
from contractgen.runtime.errors import DeserializationError, Reason, SchemaNotRegisteredError
from contractgen.runtime.references import Fetched, Reference, self_contained
from contractgen.runtime.registry import RegistryRetry, SchemaIds
from generated import payments
from generated.models.com.acme.common import Money
from generated.models.com.acme.payments import PaymentRefunded

from .registry_front import registry_front

REPO = Path(__file__).parents[2]
MISSING_ID = 900101


def canonical(text: str) -> str:
    return str(to_parsing_canonical_form(parse_schema(json.loads(text))))


@pytest.fixture(scope="module")
def registry_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repo's contracts registered by reference, as `contractgen register --references` does
    it (the URL from the environment: the config's embedded file is never touched)."""
    with serve_in_thread(tmp_path_factory.mktemp("refs") / "registry.db") as url:
        result = CliRunner().invoke(
            main,
            ["--config", str(REPO / "pyproject.toml"), "register", "--references"],
            env={"CONTRACTGEN_REGISTRY_URL": url},
        )
        assert result.exit_code == 0, result.output
        yield url


class CountingRegistry:
    """confluent-kafka's client, counting the subject versions asked for; the first `failures`
    of them raise what that client raises for a 503 (error code 50001, as the registry's API
    reference documents for a backend failure)."""

    def __init__(self, client: SchemaRegistryClient, failures: int = 0) -> None:
        self.client = client
        self.failures = failures
        self.versions: list[tuple[str, int]] = []

    def get_version(self, subject_name: str, version: int) -> RegisteredSchema:
        self.versions.append((subject_name, version))
        if self.failures:
            self.failures -= 1
            raise SchemaRegistryError(503, 50001, "Error in the backend data store")
        return self.client.get_version(subject_name, version)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def test_a_schema_with_nested_references_is_read_self_contained(registry_url: str) -> None:
    client = SchemaRegistryClient({"url": registry_url})
    latest = client.get_latest_version(payments.TOPIC.value_subject)
    refs = {r.subject: r.version for r in latest.schema.references}
    assert set(refs) == {"com.acme.payments.PaymentAuthorized", "com.acme.payments.PaymentRefunded"}
    refunded = client.get_version(
        "com.acme.payments.PaymentRefunded", refs[PaymentRefunded.AVRO_NAME]
    )
    assert [r.subject for r in refunded.schema.references] == ["com.acme.common.Money"]
    with pytest.raises(ValueError):  # as registered, not an Avro schema on its own
        parse_schema(json.loads(latest.schema.schema_str))

    counting = CountingRegistry(client)
    ids = SchemaIds(counting)
    text = ids.schema_for(latest.schema_id)
    assert canonical(text) == canonical(payments.TOPIC.value_schema)  # the inline schema's
    assert text.count('"name":"com.acme.common.Money"') == 1  # defined once, then named
    # Money, reached through both events, is fetched once, and again for no other schema id
    assert (
        ids.schema_for(refunded.schema_id)
        and counting.versions.count(("com.acme.common.Money", 1)) == 1
    )
    assert canonical(ids.schema_for(refunded.schema_id)) == canonical(PaymentRefunded.AVRO_SCHEMA)


def test_a_referenced_version_failing_transiently_is_retried(registry_url: str) -> None:
    client = SchemaRegistryClient({"url": registry_url})
    refunded = client.get_latest_version("com.acme.payments.PaymentRefunded")
    counting = CountingRegistry(client, failures=2)
    ids = SchemaIds(counting, retry=RegistryRetry(initial_backoff=0.01, deadline=5))
    retries: list[None] = []
    ids.on_retry = lambda: retries.append(None)
    assert canonical(ids.schema_for(refunded.schema_id)) == canonical(PaymentRefunded.AVRO_SCHEMA)
    assert len(retries) == 2 and counting.versions == [("com.acme.common.Money", 1)] * 3


def test_a_missing_referenced_subject_makes_the_message_undecodable(registry_url: str) -> None:
    """The answer follows Confluent's documented `GET /schemas/ids/{id}` body; the 404 for the
    referenced subject comes from the embedded registry itself."""
    body = {
        "schema": json.dumps(
            {
                "type": "record",
                "name": "Order",
                "namespace": "com.acme",
                "fields": [{"name": "customer", "type": "Customer"}],
            }
        ),
        "references": [{"name": "com.acme.Customer", "subject": "com.acme.Customer", "version": 1}],
    }
    with registry_front(registry_url, {MISSING_ID: body}) as (url, _):
        ids = SchemaIds(SchemaRegistryClient({"url": url}))
        with pytest.raises(DeserializationError) as caught:
            ids.schema_for(MISSING_ID)
    assert caught.value.reason is Reason.SCHEMA_REFERENCES
    assert "version 1 of subject 'com.acme.Customer'" in str(caught.value)


def test_names_resolve_as_avro_says(registry_url: str) -> None:
    """Registered with confluent-kafka's client: a type nested in a referenced one keeps its
    namespace, one used before its enclosing type is defined at that first use (with its full
    name) and only named inside the enclosing type, and every later use stays a name."""
    client = SchemaRegistryClient({"url": registry_url})
    country = {"type": "enum", "name": "Country", "symbols": ["FR", "DE"]}
    address = {
        "type": "record",
        "name": "Address",
        "namespace": "geo",
        "fields": [
            {"name": "country", "type": country},
            {"name": "previous", "type": ["null", "Address"], "default": None},
        ],
    }
    client.register_schema("geo.Address", Schema(json.dumps(address), "AVRO"))
    user = {
        "type": "record",
        "name": "User",
        "namespace": "acme",
        "fields": [
            {"name": "born", "type": "geo.Country"},
            {"name": "home", "type": "geo.Address"},
            {"name": "work", "type": {"type": "array", "items": "geo.Address"}},
        ],
    }
    reference = SchemaReference("geo.Address", "geo.Address", 1)
    user_id = client.register_schema("acme.User", Schema(json.dumps(user), "AVRO", [reference]))

    text = SchemaIds(client).schema_for(user_id)
    inline = {
        **user,
        "fields": [
            {"name": "born", "type": {**country, "namespace": "geo"}},
            {
                "name": "home",
                "type": {
                    **address,
                    "fields": [{"name": "country", "type": "Country"}, address["fields"][1]],
                },
            },
            user["fields"][2],
        ],
    }
    assert canonical(text) == canonical(json.dumps(inline))
    born, home, _ = (field["type"] for field in json.loads(text)["fields"])
    assert born["name"] == "geo.Country" and home["name"] == "geo.Address"


def test_cycles_and_diamonds_end_at_a_version_already_seen() -> None:
    """The text transform alone: types of two subjects that use each other (which a registry
    refuses to register in two steps, but a shared one may hold), each fetched once."""
    ping = {
        "type": "record",
        "name": "a.Ping",
        "fields": [{"name": "pong", "type": ["null", "b.Pong"]}],
    }
    pong = {
        "type": "record",
        "name": "b.Pong",
        "fields": [{"name": "ping", "type": ["null", "a.Ping"]}],
    }
    answers = {
        ("a", 1): Fetched(json.dumps(ping), (Reference("b.Pong", "b", 1),)),
        ("b", 1): Fetched(json.dumps(pong), (Reference("a.Ping", "a", 1),)),
    }
    fetched: list[tuple[str, int]] = []

    def fetch(subject: str, version: int) -> Fetched:
        fetched.append((subject, version))
        return answers[(subject, version)]

    root = {"type": "record", "name": "Root", "fields": [{"name": "p", "type": "a.Ping"}]}
    refs = [Reference("a.Ping", "a", 1), Reference("b.Pong", "b", 1)]
    text = self_contained(json.dumps(root), refs, fetch)
    assert sorted(fetched) == [("a", 1), ("b", 1)]
    expected = {
        **root,
        "fields": [
            {"name": "p", "type": {**ping, "fields": [{"name": "pong", "type": ["null", pong]}]}}
        ],
    }
    assert canonical(text) == canonical(json.dumps(expected))


@pytest.mark.kafka
def test_confluent_serializer_to_the_generated_consumer(registry_url: str) -> None:
    """confluent-kafka's AvroSerializer writes with the registered (referencing) schema, as a
    producer configured not to register does; the generated consumer handles the message.

    A cluster of its own: the generated consumer reads the fixed topic `payments`."""
    client = SchemaRegistryClient({"url": registry_url})
    use_registered = {"auto.register.schemas": False, "use.latest.version": True}
    values = AvroSerializer(client, conf=use_registered)
    keys = AvroSerializer(client, conf=use_registered)
    sent = Envelope(
        event_id=uuid4(),
        event_type=PaymentRefunded.AVRO_NAME,
        occurred_at=datetime(2026, 12, 4, 18, 0, tzinfo=UTC),
        producer="support-desk",
        payload=PaymentRefunded(
            payment_id="p-1",
            refund_id="r-1",
            amount=Money(amount=Decimal("12.50"), currency="EUR"),
            reason="damaged",
            refunded_at=datetime(2026, 12, 4, 17, 59, tzinfo=UTC),
        ),
    )
    topic = payments.TOPIC.name
    with MockKafkaCluster() as cluster:
        config = {"bootstrap.servers": cluster.bootstrap_servers, "log_level": 3}
        produce(
            config,
            topic,
            keys("p-1", SerializationContext(topic, MessageField.KEY)),
            values(envelope_to_avro(sent), SerializationContext(topic, MessageField.VALUE)),
        )
        received: list[ConsumedEvent[Any]] = []
        with payments.PaymentsConsumer(config, client, group_id="refs") as consumer:
            stats = consumer.run(received.append, max_messages=1, idle_timeout=10)
    assert [(event.key, event.envelope) for event in received] == [("p-1", sent)]
    assert stats.handled == 1 and stats.dead_lettered == stats.decode_failures == 0


def produce(config: dict[str, Any], topic: str, key: bytes | None, value: bytes | None) -> None:
    """One message, the producer gone before the cluster is."""
    raw = confluent_kafka.Producer(config)
    raw.produce(topic, key=key, value=value)
    assert raw.flush(10) == 0


def test_a_producer_finds_its_schema_among_versions_registered_by_reference(
    registry_url: str,
) -> None:
    """Only referencing versions exist (`register --references` on a fresh registry): the look-up
    of the generated, self-contained text answers 404, and the producer still finds the version
    whose inlined form is its schema on the wire, instead of failing as unregistered."""
    client = SchemaRegistryClient({"url": registry_url})
    latest = client.get_latest_version(payments.TOPIC.value_subject)
    assert latest.schema.references, "the subject holds only a version written by reference"
    with pytest.raises(SchemaRegistryError):
        client.lookup_schema(payments.TOPIC.value_subject, Schema(payments.TOPIC.value_schema))
    ids = SchemaIds(client)
    assert ids.id_for(payments.TOPIC.value_subject, payments.TOPIC.value_schema) == (
        latest.schema_id
    )
    # a schema that is not on the subject at all stays unregistered
    other = json.dumps({"type": "record", "name": "Other", "fields": []})
    with pytest.raises(SchemaNotRegisteredError):
        ids.id_for(payments.TOPIC.value_subject, other)
