"""`contractgen registry serve`: the embedded registry behind Confluent's REST API."""

from __future__ import annotations

import os
import ssl
from pathlib import Path

import click

from contractgen.cli.exit_codes import ExitCode
from contractgen.config import find_config, load_config
from contractgen.diagnostics import ContractError
from contractgen.registry.embedded.app import MAX_BODY
from contractgen.registry.embedded.server import DEFAULT_STORE, TLS, ListenError, serve


def _default_store(config_path: Path | None) -> Path:
    """The configured embedded store, else `.contractgen/registry.db` here."""
    if config_path is None and find_config(Path.cwd()) is None:
        return DEFAULT_STORE
    try:
        path = load_config(config_path).registry.embedded_path
    except ContractError:
        return DEFAULT_STORE
    return path or DEFAULT_STORE


def _check_tls(tls: TLS) -> None:
    """Load the certificate and key now: a bad pair is a usage error, not a server crash."""
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
            tls.certfile, tls.keyfile
        )
    except (ssl.SSLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
        raise click.UsageError(
            f"--tls-cert {tls.certfile} / --tls-key {tls.keyfile}: cannot be used as a PEM "
            f"certificate and its private key ({reason})"
        ) from None


@click.group("registry")
def registry() -> None:
    """The embedded schema registry."""


@registry.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port",
    default=8081,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port; 0 picks a free one (the address printed at startup has the real port).",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file (default: the config's embedded registry, else .contractgen/registry.db).",
)
@click.option(
    "--auth",
    is_flag=True,
    help="Require HTTP basic auth with CONTRACTGEN_REGISTRY_USER / CONTRACTGEN_REGISTRY_PASSWORD.",
)
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), help="PEM certificate.")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), help="PEM private key.")
@click.option(
    "--max-request-size",
    type=click.IntRange(min=1),
    default=MAX_BODY,
    show_default=True,
    help="Largest request body in bytes; larger requests are answered 413.",
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    *,
    host: str,
    port: int,
    store: Path | None,
    auth: bool,
    tls_cert: str | None,
    tls_key: str | None,
    max_request_size: int,
) -> None:
    """Serve Confluent's Schema Registry REST API until interrupted (Ctrl-C drains requests)."""
    credentials = None
    if auth:
        user = os.environ.get("CONTRACTGEN_REGISTRY_USER")
        password = os.environ.get("CONTRACTGEN_REGISTRY_PASSWORD")
        if not user or not password:
            raise click.UsageError(
                "--auth needs CONTRACTGEN_REGISTRY_USER and CONTRACTGEN_REGISTRY_PASSWORD"
            )
        if ":" in user:
            # Basic auth sends user:password: a ':' in the user name could never be matched.
            raise click.UsageError("--auth: CONTRACTGEN_REGISTRY_USER may not contain ':'")
        credentials = (user, password)
    if (tls_cert is None) != (tls_key is None):
        raise click.UsageError("--tls-cert and --tls-key go together")
    tls = TLS(tls_cert, tls_key) if tls_cert and tls_key else None
    if tls is not None:
        _check_tls(tls)
    path = store or _default_store(ctx.find_root().params.get("config"))

    def announce(url: str) -> None:
        # The bound address, not the requested one: with --port 0 the port is known only now.
        click.echo(f"contractgen registry: {url} (store {path})", err=True)

    try:
        serve(
            path,
            host,
            port,
            credentials=credentials,
            tls=tls,
            on_started=announce,
            max_body=max_request_size,
        )
    except ListenError as error:  # raised before anything is served
        click.echo(f"error: {error}", err=True)
        ctx.exit(ExitCode.INFRASTRUCTURE)
