"""The async clients take the sync clients' librdkafka-style config, translated to aiokafka's."""

import ssl
from pathlib import Path
from typing import Any

import pytest
import trustme

from contractgen.runtime.aio.config import aiokafka_kwargs

SERVICE_CONFIG: dict[str, Any] = {
    "bootstrap.servers": "kafka-1:9093,kafka-2:9093",
    "client.id": "billing",
    "security.protocol": "sasl_plaintext",
    "sasl.mechanisms": "SCRAM-SHA-512",
    "sasl.username": "billing",
    "sasl.password": "secret",
    "group.id": "billing-workers",
    "session.timeout.ms": "6000",
    "heartbeat.interval.ms": 2000,
    "max.poll.interval.ms": 60000,
    "auto.offset.reset": "smallest",
    "log_level": 3,
}


def test_one_dict_serves_producer_and_consumer() -> None:
    common = {
        "bootstrap_servers": "kafka-1:9093,kafka-2:9093",
        "client_id": "billing",
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "billing",
        "sasl_plain_password": "secret",
    }
    # the consumer's settings are not the producer's business, as librdkafka sees it too
    assert aiokafka_kwargs(SERVICE_CONFIG, "producer") == common
    assert aiokafka_kwargs(SERVICE_CONFIG, "consumer") == {
        **common,
        "group_id": "billing-workers",
        "session_timeout_ms": 6000,
        "heartbeat_interval_ms": 2000,
        "max_poll_interval_ms": 60000,
        "auto_offset_reset": "earliest",
    }


def test_producer_settings_are_converted() -> None:
    config = {
        "acks": -1,
        "enable.idempotence": "false",
        "linger.ms": "5",
        "compression.type": "none",
    }
    assert aiokafka_kwargs(config, "producer") == {
        "acks": "all",
        "enable_idempotence": False,
        "linger_ms": 5,
        "compression_type": None,
    }
    assert aiokafka_kwargs({"acks": "1", "partitioner": "murmur2_random"}, "producer") == {
        "acks": 1
    }


def test_aiokafka_keywords_still_work_and_mix_with_dotted_keys() -> None:
    context = ssl.create_default_context()
    config = {"bootstrap_servers": "k:9092", "ssl_context": context, "client.id": "x"}
    assert aiokafka_kwargs(config, "consumer") == {
        "bootstrap_servers": "k:9092",
        "ssl_context": context,
        "client_id": "x",
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"socket.keepalive.enable": True},
            r"'socket.keepalive.enable' has no aiokafka equivalent",
        ),
        ({"enable.auto.offset.store": False}, r"'enable.auto.offset.store' has no aiokafka"),
        ({"queue_buffering": 1}, r"'queue_buffering' has no aiokafka equivalent for the async"),
        ({"partitioner": "consistent"}, r"'partitioner': 'consistent' has no aiokafka"),
        ({"bootstrap.servers": "a", "bootstrap_servers": "b"}, r"both set aiokafka's bootstrap"),
        ({"enable.idempotence": "yes"}, r"'enable.idempotence': 'yes' is not true or false"),
    ],
)
def test_settings_aiokafka_cannot_take_are_errors_naming_the_key(
    config: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        aiokafka_kwargs(config, "producer")


def test_ssl_files_become_one_context(tmp_path: Path) -> None:
    ca = trustme.CA()
    client = ca.issue_cert("billing")
    ca_file, cert_file = tmp_path / "ca.pem", tmp_path / "client.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    client.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    kwargs = aiokafka_kwargs(
        {
            "security.protocol": "SSL",
            "ssl.ca.location": str(ca_file),
            "ssl.certificate.location": str(cert_file),
            "ssl.key.location": str(cert_file),
            "ssl.endpoint.identification.algorithm": "none",
        },
        "consumer",
    )
    context = kwargs.pop("ssl_context")
    assert kwargs == {"security_protocol": "SSL"}
    assert isinstance(context, ssl.SSLContext) and not context.check_hostname
    assert len(context.get_ca_certs()) == 1  # the CA file, not the system's store
    with pytest.raises(ValueError, match=r"config 'ssl.ca.location': .*No such file"):
        aiokafka_kwargs({"ssl.ca.location": str(tmp_path / "missing.pem")}, "producer")
