"""`contractgen registry serve --port 0` prints the address it really listens on."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from contractgen.cli.main import main


def test_port_0_prints_the_bound_address(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "contractgen.cli.main", "registry", "serve"]
    command += ["--port", "0", "--store", str(tmp_path / "registry.db")]
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        assert process.stderr is not None
        seen: list[str] = []
        found = None
        for line in iter(process.stderr.readline, b""):
            seen.append(line.decode())
            found = re.fullmatch(
                r"contractgen registry: (http://127\.0\.0\.1:(\d+)) \(store .*\)\n", seen[-1]
            )
            if found:
                break
        assert found, seen
        # uvicorn's own line (it logs none for a socket it did not bind) names the same port.
        assert f"Uvicorn running on {found.group(1)} " in "".join(seen)
        assert int(found.group(2)) != 0
        # Printed once the server accepts connections.
        response = httpx.get(f"{found.group(1)}/subjects", timeout=10)
        assert response.status_code == 200
        assert response.json() == []
    finally:
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=20)
    assert process.returncode in (0, -signal.SIGTERM), rest.decode()
    assert b"Finished server process" in rest


def test_a_taken_port_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["registry", "serve", "--port", str(port), "--store", str(tmp_path / "r.db")]
        )
    assert result.exit_code == 3  # like `dev`: the machine, not the input
    assert result.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: "), result.stderr
    assert "Traceback" not in result.output


def test_the_port_option_documents_port_0() -> None:
    result = CliRunner().invoke(main, ["registry", "serve", "--help"])
    assert "0 picks a free one" in " ".join(result.output.split())
