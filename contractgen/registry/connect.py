"""Opening a `RegistryClient` from the configured URL and the environment.

`embedded:<path>` opens the SQLite store in-process; `http(s)://...` a remote registry (several
comma-separated URLs fail over, as in confluent-kafka). Credentials come from the config (which
reads them from the environment) or from userinfo in a URL given by the environment, never from
a committed file (the config refuses a `registry.url` with userinfo); TLS
files from `CONTRACTGEN_REGISTRY_CA`, `..._CERT`, `..._KEY` (and `..._KEY_PASSWORD`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from contractgen.config import EMBEDDED_SCHEME, Credentials, RegistryConfig, registry_url_problem
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.registry.client import RegistryClient
from contractgen.registry.embedded.client import EmbeddedRegistryClient
from contractgen.registry.redact import Redactor, strip_userinfo

COMMAND_TIMEOUT = 120.0
"""Seconds a `check` or `register` may spend on a remote registry in all (`--timeout`)."""
REQUEST_TIMEOUT = 10.0
"""Seconds one HTTP request may take in all: connect, send and read together."""

_TLS_ENV = {
    "ssl.ca.location": "CONTRACTGEN_REGISTRY_CA",
    "ssl.certificate.location": "CONTRACTGEN_REGISTRY_CERT",
    "ssl.key.location": "CONTRACTGEN_REGISTRY_KEY",
    "ssl.key.password": "CONTRACTGEN_REGISTRY_KEY_PASSWORD",
}


def http_conf(
    url: str,
    credentials: Credentials,
    env: Mapping[str, str],
    *,
    timeout: float = REQUEST_TIMEOUT,
    max_retries: int = 3,
    retry_wait_ms: int = 200,
) -> tuple[dict[str, Any], Redactor]:
    """confluent-kafka's client configuration, and a redactor knowing every secret in it."""
    urls, user, password = [], credentials.user, credentials.password
    for one in url.split(","):
        bare, url_user, url_password = strip_userinfo(one.strip())
        urls.append(bare)
        user, password = user or url_user, password or url_password
    conf: dict[str, Any] = {
        "url": ",".join(urls),
        "timeout": timeout,
        "max.retries": max_retries,
        "retries.wait.ms": retry_wait_ms,
        "retries.max.wait.ms": max(retry_wait_ms * 10, 1000),
    }
    if credentials.token:
        conf["bearer.auth.credentials.source"] = "STATIC_TOKEN"
        conf["bearer.auth.token"] = credentials.token
        conf["bearer.auth.logical.cluster"] = env.get("CONTRACTGEN_REGISTRY_LOGICAL_CLUSTER", "")
    elif user:
        conf["basic.auth.user.info"] = f"{user}:{password or ''}"
    for key, var in _TLS_ENV.items():
        if env.get(var):
            conf[key] = env[var]
    secrets = (password, credentials.token, env.get("CONTRACTGEN_REGISTRY_KEY_PASSWORD"))
    return conf, Redactor(secrets, user)


def open_client(
    registry: RegistryConfig | str,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
    max_retries: int = 3,
    retry_wait_ms: int = 200,
    command_timeout: float | None = None,
) -> RegistryClient:
    """A client for `registry` (a config section, or a bare URL with credentials in `env`).

    `timeout`: the total time of one HTTP request (connect, send and read together);
    `command_timeout`: the time from now after which no request starts or continues.
    """
    env = os.environ if env is None else env
    if isinstance(registry, str):
        registry = RegistryConfig(
            url=registry,
            credentials=Credentials(
                user=env.get("CONTRACTGEN_REGISTRY_USER") or None,
                password=env.get("CONTRACTGEN_REGISTRY_PASSWORD") or None,
                token=env.get("CONTRACTGEN_REGISTRY_TOKEN") or None,
            ),
        )
    # The config validates the URLs it reads; this catches one handed over directly, which
    # confluent-kafka would reject with a bare ValueError.
    if problem := registry_url_problem(registry.url):
        raise ContractError([Diagnostic("CFG005", f"the registry URL {problem}")])
    token = registry.credentials.token
    if token is not None and not (token.isascii() and token.isprintable()):
        # An HTTP header carries it: a non-ASCII or control character cannot be sent (and a
        # newline would split the header). The value itself is never shown.
        raise ContractError(
            [
                Diagnostic(
                    "CFG005",
                    "CONTRACTGEN_REGISTRY_TOKEN holds a character a bearer token cannot have "
                    "(non-ASCII or a control character): check the variable's value",
                )
            ]
        )
    if registry.url.startswith(EMBEDDED_SCHEME):
        return EmbeddedRegistryClient(registry.url.removeprefix(EMBEDDED_SCHEME))
    conf, redactor = http_conf(
        registry.url,
        registry.credentials,
        env,
        timeout=timeout,
        max_retries=max_retries,
        retry_wait_ms=retry_wait_ms,
    )
    overall = None if command_timeout is None else time.monotonic() + command_timeout
    # confluent-kafka's REST client and httpx: ~25 MB of imports, loaded only for a remote
    # registry (`check --against dir:`, git or embedded never use them).
    from contractgen.registry.http import HttpRegistryClient

    return HttpRegistryClient(conf, redactor, request_timeout=timeout, command_deadline=overall)
