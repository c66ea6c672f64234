"""`contractgen dev`: the embedded registry and a Kafka mock cluster, no Docker and no Java.

It registers the project's contracts first (producers look schemas up, they never register them),
prints the addresses and a line per subject it registered or changed, writes the addresses to an
env file that scripts can source, and runs until interrupted. The env file is removed when it stops
(Ctrl-C, SIGTERM, SIGHUP or an error), so a shell sourcing it later never points at a dead registry.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import click
import confluent_kafka

from contractgen.cli.exit_codes import ExitCode
from contractgen.config import find_config, load_config
from contractgen.dev.mock_cluster import CONSUMER_SETTINGS, MockKafkaCluster
from contractgen.project import Project, load_project
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.registry.plan import Action, PlanRefused, apply, plan
from contractgen.registry.render import render_text
from contractgen.registry.targets import targets

DEFAULT_STORE = Path(".contractgen/registry.db")
# DESIGN.md §9 exit codes


def _store(config_path: Path | None, store: Path | None) -> Path:
    """The store given, else the project's embedded registry, else the default file."""
    if store is not None:
        return store
    if config_path is not None or find_config(Path.cwd()) is not None:
        embedded = load_config(config_path).registry.embedded_path
        if embedded is not None:
            return embedded
    return DEFAULT_STORE


def _register(project: Project, url: str, store_path: Path) -> tuple[str, list[str]]:
    """Register the project's contracts in the local registry.

    Returns a summary and a line per subject registered or changed (the plan rendering of
    `contractgen register`). A plan the registry refuses (a work-tree schema
    incompatible with what the store already holds) is shown, then exits 1.
    """
    client = open_client(url)
    try:
        the_plan = plan(
            client, targets(project.contracts, references=project.config.registry.references)
        )
        try:
            outcomes = apply(client, the_plan)
        except PlanRefused as error:
            click.echo(
                render_text(the_plan, None, dry_run=False, allow_revert=False), nl=False, err=True
            )
            click.echo(
                f"error: dev: {error}. Fix the schema, or start from an empty registry with "
                f"--store (another file) or by deleting {store_path}.",
                err=True,
            )
            raise SystemExit(ExitCode.FINDINGS) from None
    finally:
        client.close()
    total = len(the_plan.steps)
    changed = tuple(s for s in the_plan.steps if s.actions != (Action.NOOP,))
    if not changed:
        return f"{total} subjects, all up to date", []
    names = {s.subject for s in changed}
    shown = render_text(
        dataclasses.replace(the_plan, steps=changed),
        [o for o in outcomes if o.step.subject in names],
        dry_run=False,
        allow_revert=False,
    )
    # the rendering's first line names the registry and its last one sums up: both said here
    return f"{total} subjects, {len(changed)} registered or changed", shown.splitlines()[1:-1]


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGHUP set `stop` (so cleanup runs); the previous handlers come back after."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def _env_file(path: Path, variables: dict[str, str]) -> Iterator[None]:
    """Write the variables as `export` lines; remove the file on the way out (if still ours)."""
    content = "".join(f"export {k}={v}\n" for k, v in variables.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    try:
        yield
    finally:
        # another `dev` may have written its own addresses there since: leave those
        with contextlib.suppress(OSError):
            if path.read_text() == content:
                path.unlink()


@contextlib.contextmanager
def _registry(store_path: Path, host: str, port: int) -> Iterator[str]:
    """The embedded registry's URL; a port that can't be bound exits 3 with what to do."""
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(serve_in_thread(store_path, host, port))
        except OSError as error:
            reason = error.strerror or str(error)
            if error.errno == errno.EADDRINUSE:
                hint = "stop what uses it, or pass --registry-port 0 (any free port) or another one"
            else:
                hint = "check --host and --registry-port (0 picks a free port)"
            click.echo(
                f"error: dev: cannot listen on {host}:{port} for the schema registry: {reason}; "
                f"{hint}.",
                err=True,
            )
            raise SystemExit(ExitCode.INFRASTRUCTURE) from None
        yield url


def _cluster(brokers: int) -> MockKafkaCluster:
    try:
        return MockKafkaCluster(brokers)
    except confluent_kafka.KafkaException as error:
        click.echo(
            f"error: dev: the mock Kafka cluster did not start: "
            f"{error.args[0] if error.args else error}; try again, or with --brokers 1.",
            err=True,
        )
        raise SystemExit(ExitCode.INFRASTRUCTURE) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--registry-port", default=8081, show_default=True,
              type=click.IntRange(0, 65535), help="0 picks a free port.")  # fmt: skip
@click.option("--brokers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Brokers in the mock cluster.")  # fmt: skip
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path),
              help="Registry store (default: the project's embedded registry file).")  # fmt: skip
@click.option("--register/--no-register", "register_contracts", default=True, show_default=True,
              help="Register the project's contracts before serving.")  # fmt: skip
@click.option("--env-file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(".contractgen/dev.env"), show_default=True,
              help="Where to write the addresses for shells (removed on exit).")  # fmt: skip
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
    # The project first: a missing config or a broken schema (exit 2) is the thing to fix, even
    # when a port is busy too (exit 3).
    project = load_project(config_path) if register_contracts else None
    store_path = _store(config_path, store)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    with contextlib.ExitStack() as stack:
        stack.enter_context(_stop_on_signals(stop))
        url = stack.enter_context(_registry(store_path, host, registry_port))
        cluster = stack.enter_context(_cluster(brokers))
        subjects, changes = "nothing registered", list[str]()
        if project is not None:
            subjects, changes = _register(project, url, store_path)
        variables = {
            "CONTRACTGEN_REGISTRY_URL": url,
            "SCHEMA_REGISTRY_URL": url,
            "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrap_servers,
        }
        stack.enter_context(_env_file(env_file, variables))
        here = Path.cwd()
        shown = store_path.relative_to(here) if store_path.is_relative_to(here) else store_path
        click.echo(f"schema registry:   {url}  ({shown}, {subjects})")
        for line in changes:
            click.echo(line)
        click.echo(f"bootstrap servers: {cluster.bootstrap_servers}")
        click.echo(f"environment:       . {env_file}")
        # the mock cluster makes a restarted group member wait session.timeout.ms - 1 s: say
        # which settings keep that short (librdkafka's default is 45 s)
        settings = ", ".join(f"{key}={value}" for key, value in CONSUMER_SETTINGS.items())
        click.echo(f"consumer settings: {settings}  (a restarted worker receives within ~5 s)")
        click.echo("Ctrl-C stops both.", err=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not stop.wait(0.5):
                pass
