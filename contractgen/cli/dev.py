"""`contractgen dev`: the embedded registry and a Kafka mock cluster, no Docker and no Java.

It registers the project's contracts first (producers look schemas up, they never register them),
prints the addresses, writes them to an env file that scripts can source, and runs until
interrupted.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from contractgen.config import find_config, load_config
from contractgen.dev.mock_cluster import MockKafkaCluster
from contractgen.project import load_project
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.registry.plan import apply, plan
from contractgen.registry.targets import targets

DEFAULT_STORE = Path(".contractgen/registry.db")


def _store(config_path: Path | None, store: Path | None) -> Path:
    """The store given, else the project's embedded registry, else the default file."""
    if store is not None:
        return store
    if config_path is not None or find_config(Path.cwd()) is not None:
        embedded = load_config(config_path).registry.embedded_path
        if embedded is not None:
            return embedded
    return DEFAULT_STORE


def _register(config_path: Path | None, url: str) -> int:
    """Register the project's contracts in the local registry; the number of subjects."""
    project = load_project(config_path)
    client = open_client(url)
    try:
        apply(client, plan(client, targets(project.contracts, references=False)))
    finally:
        client.close()
    return len(project.contracts.contracts())


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--registry-port", default=8081, show_default=True, help="0 picks a free port.")
@click.option("--brokers", default=1, show_default=True, help="Brokers in the mock cluster.")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path),
              help="Registry store (default: the project's embedded registry file).")  # fmt: skip
@click.option("--register/--no-register", "register_contracts", default=True, show_default=True,
              help="Register the project's contracts before serving.")  # fmt: skip
@click.option("--env-file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(".contractgen/dev.env"), show_default=True,
              help="Where to write the addresses as shell variables.")  # fmt: skip
@click.pass_context
def dev(
    ctx: click.Context,
    *,
    host: str,
    registry_port: int,
    brokers: int,
    store: Path | None,
    register_contracts: bool,
    env_file: Path,
) -> None:
    """Run a local Schema Registry and Kafka cluster until interrupted (Ctrl-C)."""
    config_path = ctx.find_root().params.get("config")
    store_path = _store(config_path, store)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve_in_thread(store_path, host, registry_port) as url, MockKafkaCluster(
        brokers
    ) as cluster:
        registered = _register(config_path, url) if register_contracts else 0
        variables = {
            "CONTRACTGEN_REGISTRY_URL": url,
            "SCHEMA_REGISTRY_URL": url,
            "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrap_servers,
        }
        env_file.parent.mkdir(parents=True, exist_ok=True)
        env_file.write_text("".join(f"export {k}={v}\n" for k, v in variables.items()))
        click.echo(f"schema registry:   {url}  ({store_path}, {registered} subjects registered)")
        click.echo(f"bootstrap servers: {cluster.bootstrap_servers}")
        click.echo(f"environment:       . {env_file}")
        click.echo("Ctrl-C stops both.", err=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
