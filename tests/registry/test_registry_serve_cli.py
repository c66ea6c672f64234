"""`contractgen registry serve` as users run it: a process, basic auth, SIGTERM drains and exits."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from contractgen.registry.connect import open_client

SCHEMA = '{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}'
CREDENTIALS = {"CONTRACTGEN_REGISTRY_USER": "ci", "CONTRACTGEN_REGISTRY_PASSWORD": "pw-1234"}


def start(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server on a free port (port 0); its URL is read from uvicorn's log."""
    command = [sys.executable, "-m", "contractgen.cli.main", "registry", "serve", "--auth"]
    command += ["--port", "0", "--store", str(store)]
    process = subprocess.Popen(command, env={**os.environ, **CREDENTIALS}, stderr=subprocess.PIPE)
    assert process.stderr is not None
    for line in iter(process.stderr.readline, b""):
        found = re.search(rb"running on (http://\S+)", line)
        if found:
            return process, found.group(1).decode()
    process.kill()
    raise AssertionError("the registry did not start")


def test_serve_with_auth_and_graceful_shutdown(tmp_path: Path) -> None:
    process, url = start(tmp_path / "registry.db")
    try:
        assert httpx.get(f"{url}/subjects").status_code == 401
        client = open_client(url, env=CREDENTIALS, max_retries=0)
        assert client.register("s", SCHEMA).version == 1
        client.close()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    # uvicorn drains, then re-raises the signal so the exit status says what stopped it.
    assert process.returncode in (0, -signal.SIGTERM), stderr.decode()
    assert b"Finished server process" in stderr
    assert b"pw-1234" not in stderr
    # Everything registered is there for the next server.
    process, url = start(tmp_path / "registry.db")
    try:
        client = open_client(url, env=CREDENTIALS, max_retries=0)
        assert client.versions("s") == [1]
        client.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
