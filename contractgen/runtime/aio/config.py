"""One config for both clients: librdkafka-style settings translated to aiokafka's arguments.

Services keep one dict (``{"bootstrap.servers": ..., "security.protocol": "SASL_SSL", ...}``)
for the sync clients and the async ones. The settings services use are translated; aiokafka's
own keyword arguments (``bootstrap_servers=...``, ``ssl_context=...``) pass through unchanged. A
dotted key aiokafka has no equivalent for is an error naming it, rather than a setting silently
dropped. As librdkafka does, a setting of the other role (``group.id`` given to a producer) is
ignored, so the same dict serves producers and consumers.
"""

import inspect
import logging
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Literal

from contractgen.runtime.aio.client import aiokafka

log = logging.getLogger(__name__)

Role = Literal["producer", "consumer"]


def _int(value: Any) -> int:
    return int(value)


def _upper(value: Any) -> str:
    return str(value).upper()


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text not in ("true", "false"):
        raise ValueError(f"{value!r} is not true or false")
    return text == "true"


def _acks(value: Any) -> int | str:
    text = str(value).lower()
    return "all" if text in ("all", "-1") else int(text)


# librdkafka's synonyms; its "error" is aiokafka's "none" (raise when there is no offset)
_OFFSET_RESET = {"smallest": "earliest", "beginning": "earliest", "largest": "latest"}
_OFFSET_RESET |= {"end": "latest", "error": "none"}


def _offset_reset(value: Any) -> str:
    text = str(value).lower()
    return _OFFSET_RESET.get(text, text)


def _compression(value: Any) -> str | None:
    text = str(value).lower()
    return None if text == "none" else text


Translation = tuple[str, Callable[[Any], Any]]
_COMMON: dict[str, Translation] = {
    "bootstrap.servers": ("bootstrap_servers", str),
    "client.id": ("client_id", str),
    "security.protocol": ("security_protocol", _upper),
    "sasl.mechanism": ("sasl_mechanism", _upper),
    "sasl.mechanisms": ("sasl_mechanism", _upper),
    "sasl.username": ("sasl_plain_username", str),
    "sasl.password": ("sasl_plain_password", str),
    "sasl.kerberos.service.name": ("sasl_kerberos_service_name", str),
    "request.timeout.ms": ("request_timeout_ms", _int),
    "metadata.max.age.ms": ("metadata_max_age_ms", _int),
    "retry.backoff.ms": ("retry_backoff_ms", _int),
    "connections.max.idle.ms": ("connections_max_idle_ms", _int),
}
_ROLES: dict[Role, dict[str, Translation]] = {
    "producer": {
        "acks": ("acks", _acks),
        "request.required.acks": ("acks", _acks),
        "enable.idempotence": ("enable_idempotence", _bool),
        "linger.ms": ("linger_ms", _int),
        "queue.buffering.max.ms": ("linger_ms", _int),
        "compression.type": ("compression_type", _compression),
        "compression.codec": ("compression_type", _compression),
        "batch.size": ("max_batch_size", _int),
        "message.max.bytes": ("max_request_size", _int),
        "transactional.id": ("transactional_id", str),
        "transaction.timeout.ms": ("transaction_timeout_ms", _int),
    },
    "consumer": {
        "group.id": ("group_id", str),
        "group.instance.id": ("group_instance_id", str),
        "session.timeout.ms": ("session_timeout_ms", _int),
        "heartbeat.interval.ms": ("heartbeat_interval_ms", _int),
        "max.poll.interval.ms": ("max_poll_interval_ms", _int),
        "auto.offset.reset": ("auto_offset_reset", _offset_reset),
        "enable.auto.commit": ("enable_auto_commit", _bool),
        "auto.commit.interval.ms": ("auto_commit_interval_ms", _int),
        "fetch.wait.max.ms": ("fetch_max_wait_ms", _int),
        "fetch.min.bytes": ("fetch_min_bytes", _int),
        "fetch.max.bytes": ("fetch_max_bytes", _int),
        "max.partition.fetch.bytes": ("max_partition_fetch_bytes", _int),
        "isolation.level": ("isolation_level", str),
        "check.crcs": ("check_crcs", _bool),
        "client.rack": ("client_rack", str),
    },
}
# SSL files become one ssl.SSLContext (aiokafka.helpers.create_ssl_context's arguments)
_SSL_FILES = {
    "ssl.ca.location": "cafile",
    "ssl.certificate.location": "certfile",
    "ssl.key.location": "keyfile",
    "ssl.key.password": "password",
}
_HOSTNAME_CHECK = "ssl.endpoint.identification.algorithm"
# librdkafka's own logging; aiokafka logs through the `logging` module instead
_LIBRDKAFKA_ONLY = frozenset({"log_level", "log.connection.close"})
# Java's murmur2 partitioner: what aiokafka's default partitioner already is
_SAME_PARTITIONER = frozenset({"murmur2_random", "murmur2"})


def aiokafka_kwargs(config: Mapping[str, Any], role: Role) -> dict[str, Any]:
    """`config`'s settings as keyword arguments of AIOKafkaProducer or AIOKafkaConsumer.

    Raises ValueError naming the key for a setting aiokafka cannot take, a value it cannot
    convert, or one setting given both ways.
    """
    translations = {**_COMMON, **_ROLES[role]}
    other: Role = "consumer" if role == "producer" else "producer"
    own_kwargs, other_kwargs = _keywords(role), _keywords(other)
    kwargs: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    ssl_files: dict[str, str] = {}
    check_hostname = True
    for key, value in config.items():
        if key in translations:
            name, convert = translations[key]
            try:
                converted = convert(value)
            except ValueError as exc:
                raise ValueError(f"config {key!r}: {exc}") from None
        elif key in _SSL_FILES:
            ssl_files[_SSL_FILES[key]] = str(value)
            continue
        elif key == _HOSTNAME_CHECK:
            check_hostname = str(value).lower() != "none"
            continue
        elif key == "partitioner" and isinstance(value, str):
            if value not in _SAME_PARTITIONER:
                raise ValueError(
                    f"config 'partitioner': {value!r} has no aiokafka equivalent (aiokafka "
                    "partitions keys with Java's murmur2, librdkafka's murmur2_random): pass an "
                    "aiokafka partitioner callable instead"
                )
            continue
        elif key in own_kwargs:  # an aiokafka keyword argument
            name, converted = key, value
        elif key in _ROLES[other] or key in other_kwargs or key in _LIBRDKAFKA_ONLY:
            log.debug("config %r does not apply to an aiokafka %s: ignored", key, role)
            continue
        else:
            raise ValueError(
                f"config {key!r} has no aiokafka equivalent for the async {role}: remove it "
                "(or keep it only in the sync client's config), or pass the aiokafka keyword "
                "argument that does what you want"
            )
        if name in given_as:
            raise ValueError(f"config {key!r} and {given_as[name]!r} both set aiokafka's {name}")
        given_as[name] = key
        kwargs[name] = converted
    if ssl_files or not check_hostname or _uses_tls(kwargs):
        if "ssl_context" not in kwargs:
            kwargs["ssl_context"] = _ssl_context(ssl_files, check_hostname=check_hostname)
        elif ssl_files:
            raise ValueError(f"config {', '.join(ssl_files)} and ssl_context both set: use one")
    return kwargs


@cache
def _keywords(role: Role) -> frozenset[str]:
    """The keyword arguments AIOKafkaProducer / AIOKafkaConsumer take, from their signatures."""
    kafka = aiokafka()
    cls = kafka.AIOKafkaProducer if role == "producer" else kafka.AIOKafkaConsumer
    return frozenset(inspect.signature(cls).parameters) - {"loop", "topics"}


def _uses_tls(kwargs: Mapping[str, Any]) -> bool:
    return str(kwargs.get("security_protocol", "")).endswith("SSL")


def _ssl_context(files: Mapping[str, str], *, check_hostname: bool) -> Any:
    from aiokafka.helpers import create_ssl_context

    try:
        context = create_ssl_context(**files)
    except OSError as exc:  # a missing or unreadable file; ssl.SSLError for a malformed one
        keys = [key for key, argument in _SSL_FILES.items() if argument in files]
        raise ValueError(f"config {', '.join(map(repr, keys))}: {exc}") from exc
    context.check_hostname = check_hostname
    return context
