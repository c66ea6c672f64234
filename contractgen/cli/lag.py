"""`contractgen lag`: a consumer group's lag per partition, for health checks and scripts."""

from __future__ import annotations

import json
import socket

import click
import confluent_kafka

from contractgen.cli.exit_codes import ExitCode
from contractgen.runtime.lag import CommittedTopicsUnavailable, PartitionLag, consumer_lag

# DESIGN.md §9 exit codes (main.py maps library errors; this command reports Kafka's itself)


@click.command(name="lag")
@click.option(
    "--bootstrap-servers",
    envvar="KAFKA_BOOTSTRAP_SERVERS",
    help="Kafka brokers, host:port[,host:port…] (env KAFKA_BOOTSTRAP_SERVERS, which "
    "`. .contractgen/dev.env` sets while `contractgen dev` runs).",
)
@click.option("--group", required=True, help="Consumer group id.")
@click.option(
    "--topic", help="Only this topic (default: every topic the group committed offsets for)."
)
@click.option(
    "--max-lag",
    type=click.IntRange(min=0),
    help="Exit 1 when the group's total lag is above this many messages.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for brokers."
)
def lag(
    *,
    bootstrap_servers: str | None,
    group: str,
    topic: str | None,
    max_lag: int | None,
    output_format: str,
    timeout: float,
) -> None:
    """Committed offset, end offset and lag of GROUP per partition."""
    if not bootstrap_servers:
        raise click.UsageError(
            "no brokers: pass --bootstrap-servers HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS "
            "(`. .contractgen/dev.env` sets it while `contractgen dev` runs)"
        )
    unreachable = _unreachable(bootstrap_servers, min(timeout, 3.0))
    if unreachable:
        click.echo(
            f"error: kafka: cannot connect to {bootstrap_servers} ({unreachable}). Check "
            "--bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS) and that the brokers are up.",
            err=True,
        )
        raise SystemExit(ExitCode.INFRASTRUCTURE)
    try:
        partitions = consumer_lag(
            bootstrap_servers, group, topic, config={"log_level": 0}, timeout=timeout
        )
    except CommittedTopicsUnavailable as error:
        click.echo(
            f"error: kafka: {bootstrap_servers}: {_reason(error)}. Pass --topic TOPIC (this "
            "cluster may not answer that request), or check that the brokers are up.",
            err=True,
        )
        raise SystemExit(ExitCode.INFRASTRUCTURE) from None
    except (confluent_kafka.KafkaException, TimeoutError) as error:
        exists = "" if topic is None else f" and that topic {topic!r} exists"
        click.echo(
            f"error: kafka: cannot read offsets of group {group!r} from {bootstrap_servers}: "
            f"{_reason(error)}. Check --bootstrap-servers, that the brokers are up{exists}.",
            err=True,
        )
        raise SystemExit(ExitCode.INFRASTRUCTURE) from None
    total = sum(p.lag for p in partitions)
    lagging = max_lag is not None and total > max_lag
    if output_format == "json":
        click.echo(json.dumps(_json(group, partitions, total, max_lag, lagging), indent=2))
    else:
        click.echo("\n".join(_text(group, partitions, total, max_lag, lagging)))
    if lagging:
        raise SystemExit(ExitCode.FINDINGS)


def _addresses(bootstrap_servers: str) -> list[tuple[str, int]]:
    """(host, port) of each server in the list; a usage error naming an entry that is not one."""
    addresses = []
    for server in bootstrap_servers.split(","):
        address = server.strip().rpartition("://")[2]
        host, colon, port = address.rpartition(":")
        if not colon:
            host, port = address, "9092"  # Kafka's port, as librdkafka assumes
        if not host or not port.isdigit() or int(port) > 65535:
            raise click.BadParameter(
                f"{server.strip()!r} is not HOST:PORT", param_hint="'--bootstrap-servers'"
            )
        addresses.append((host.strip("[]"), int(port)))
    return addresses


def _unreachable(bootstrap_servers: str, timeout: float) -> str | None:
    """Why no broker accepts a TCP connection, or None when one does: a closed port or an unknown
    host says so at once, not after a timeout as a confusing "did not list the topics"."""
    reasons: list[str] = []
    for host, port in _addresses(bootstrap_servers):
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except OSError as error:
            reasons.append(f"{host}:{port}: {error.strerror or error}")
        else:
            return None
    return "; ".join(reasons)


def _reason(error: BaseException) -> str:
    """The Kafka error's own words (KafkaError.str()), not its repr."""
    first = error.args[0] if error.args else None
    if isinstance(first, confluent_kafka.KafkaError):
        return str(first.str())
    return str(first or type(error).__name__)


def _uncommitted_topics(partitions: list[PartitionLag]) -> list[str]:
    """Topics on which the group committed nothing at all (a typo in --group, say)."""
    topics = dict.fromkeys(p.topic for p in partitions)
    return [t for t in topics if all(p.committed is None for p in partitions if p.topic == t)]


def _json(
    group: str, partitions: list[PartitionLag], total: int, max_lag: int | None, lagging: bool
) -> dict[str, object]:
    return {
        "group": group,
        "total_lag": total,
        "max_lag": max_lag,
        "ok": not lagging,
        "uncommitted_topics": _uncommitted_topics(partitions),
        "partitions": [
            {
                "topic": p.topic,
                "partition": p.partition,
                "committed": p.committed,
                "end_offset": p.end_offset,
                "lag": p.lag,
            }
            for p in partitions
        ],
    }


def _text(
    group: str, partitions: list[PartitionLag], total: int, max_lag: int | None, lagging: bool
) -> list[str]:
    if not partitions:
        return [f"group {group}: no committed offsets (pass --topic to see a topic's lag)"]
    width = max(len(p.topic) for p in partitions)
    lines = [f"{'topic':<{width}}  partition  committed        end        lag"]
    lines.extend(
        f"{p.topic:<{width}}  {p.partition:>9}  "
        f"{'-' if p.committed is None else p.committed:>9}  {p.end_offset:>9}  {p.lag:>9}"
        for p in partitions
    )
    verdict = "" if max_lag is None else f" (max {max_lag}: {'LAGGING' if lagging else 'ok'})"
    lines.extend(
        f"note: group {group} has no committed offsets on {t}: lag counts from the log start "
        "(check the group id)"
        for t in _uncommitted_topics(partitions)
    )
    lines.append(f"group {group}: total lag {total}{verdict}")
    return lines
