"""`contractgen dev` as a user runs it: a process that serves until SIGTERM, then cleans up."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from contractgen.cli.main import main

pytestmark = pytest.mark.kafka


@pytest.fixture
def project(repo: Path, tmp_path: Path) -> Path:
    """A copy of the repo's contracts (pyproject.toml and schemas/): dev writes its store there."""
    shutil.copy(repo / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(repo / "schemas", tmp_path / "schemas")
    return tmp_path


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACTGEN_")}
    return {**env, "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def start_dev(project: Path) -> Iterator[tuple[Path, Path]]:
    """Start `contractgen dev`; yields its env file and stdout file once the env file exists."""
    env_file, out = project / "run" / "dev.env", project / "out.txt"
    with out.open("w") as stdout, (project / "err.txt").open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "contractgen.cli.main", "dev", "--registry-port", "0",
             "--env-file", str(env_file)],
            cwd=project, env=_environment(), stdout=stdout, stderr=stderr,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not env_file.exists():
            assert process.poll() is None, (project / "err.txt").read_text()
            assert time.monotonic() < deadline, "contractgen dev wrote no env file in 60 s"
            time.sleep(0.1)
        yield env_file, out
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, (project / "err.txt").read_text()
        assert not env_file.exists(), "the env file outlived `contractgen dev`"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_dev_serves_the_contracts_until_sigterm(start_dev: tuple[Path, Path]) -> None:
    env_file, out = start_dev
    variables = dict(
        line.removeprefix("export ").split("=", 1) for line in env_file.read_text().splitlines()
    )
    assert set(variables) == {
        "CONTRACTGEN_REGISTRY_URL",
        "SCHEMA_REGISTRY_URL",
        "KAFKA_BOOTSTRAP_SERVERS",
    }
    url = variables["CONTRACTGEN_REGISTRY_URL"]
    assert variables["SCHEMA_REGISTRY_URL"] == url
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(f"{url}/subjects", timeout=10) as response:
        subjects = json.load(response)
    assert sorted(subjects) == ["orders-key", "orders-value", "payments-key", "payments-value"]

    deadline = time.monotonic() + 10
    while "environment:" not in out.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    printed = out.read_text()
    assert f"schema registry:   {url}" in printed
    assert "4 subjects, 4 registered or changed" in printed
    for subject in subjects:  # a line per subject registered, from the plan rendering
        assert any(
            line.split()[:1] == [subject] and "registered version 1" in line
            for line in printed.splitlines()
        ), printed
    assert f"bootstrap servers: {variables['KAFKA_BOOTSTRAP_SERVERS']}" in printed
    # the settings that keep a restarted worker's rejoin short on the mock cluster
    assert "consumer settings: session.timeout.ms=6000, heartbeat.interval.ms=2000" in printed


def test_a_busy_registry_port_exits_3_with_one_line(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # In-process: the port is refused before any cluster starts, so no process is needed.
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(project)
            result = CliRunner(env={"CONTRACTGEN_CONFIG": None}).invoke(
                main, ["dev", "--registry-port", str(port), "--env-file", "dev.env"]
            )
    assert result.exit_code == 3, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--registry-port 0" in result.stderr
    assert not (project / "dev.env").exists()
