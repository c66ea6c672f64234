"""No traceback, ever: every command on hostile arguments, paths and environments ends with a
message and a documented exit code; an unexpected error is exit 4 with a way to report it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import contractgen.cli.validate
from contractgen.cli.exit_codes import ExitCode
from contractgen.cli.main import main

EXPECTED = {ExitCode.OK, ExitCode.FINDINGS, ExitCode.USAGE, ExitCode.INFRASTRUCTURE}

# Commands that end by themselves (dev and registry serve only when they cannot start).
COMMANDS: list[tuple[str, ...]] = [
    ("validate",),
    ("ls",),
    ("ls", "--format", "json"),
    ("check", "--against", "git:HEAD"),
    ("check", "--against", "dir:."),
    ("check", "--against", "registry", "--format", "sarif"),
    ("register", "--dry-run"),
    ("generate",),
    ("generate", "--check"),
    ("generate", "--schemas", "schemas"),
    ("compat", "--level", "FULL", "schemas/A.avsc", "schemas/A.avsc"),
    ("compat", "--level", "FULL", "--schemas", "schemas", "schemas/A.avsc", "schemas/A.avsc"),
    ("lag", "--group", "g", "--bootstrap-servers", "127.0.0.1:1"),
    ("lag", "--group", "g", "--bootstrap-servers", "not a host"),
    ("init", "FILE/sub"),
    ("init", "."),
    ("registry", "serve", "--store", "FILE/registry.db"),
    # hostile arguments
    ("generate", "--output", "FILE"),
    ("generate", "--package", "class"),
    ("generate", "--schemas", "FILE"),
    ("check", "--against", "dir:FILE"),
    ("check", "--against", "git:../../x"),
    ("check", "--allowlist", "FILE"),
    ("compat", "--level", "FULL", "FILE", "FILE"),
    ("lag", "--group", "", "--bootstrap-servers", ","),
    ("init", "--package", "1x", "new"),
    ("register", "--references", "--inline", "--dry-run"),
]

CONFIG = """\
[tool.contractgen]
schemas = ["schemas"]

[[tool.contractgen.topics]]
name = "things"
key = "string"
events = ["com.example.A"]
"""
SCHEMA = '{"type": "record", "name": "A", "namespace": "com.example", "fields": []}'


def _write(root: Path, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def _project(root: Path, **extra: bytes | str) -> None:
    _write(root, {"pyproject.toml": CONFIG, "schemas/A.avsc": SCHEMA, **extra})


SETUPS: dict[str, Callable[[Path], None]] = {
    "empty directory": lambda root: None,
    "config not UTF-8": lambda root: _write(root, {"pyproject.toml": b"\xff\xfe[tool.\x00"}),
    "config is garbage": lambda root: _write(root, {"contractgen.toml": "[[[ =\n"}),
    "schema root is a file": lambda root: _write(
        root, {"pyproject.toml": CONFIG, "schemas": SCHEMA}
    ),
    "schema not UTF-8": lambda root: _project(root, **{"schemas/A.avsc": b"\xff\xfe{\x00"}),
    "schema empty": lambda root: _project(root, **{"schemas/A.avsc": ""}),
    "schema is a JSON list": lambda root: _project(root, **{"schemas/A.avsc": "[1, {}]"}),
    "directory named .avsc": lambda root: (
        _project(root),
        (root / "schemas/B.avsc").mkdir(),
    )[0],
    "output is a file": lambda root: _project(
        root,
        **{
            "pyproject.toml": CONFIG.replace(
                'schemas = ["schemas"]', 'schemas = ["schemas"]\noutput = "schemas/A.avsc"'
            )
        },
    ),
    "allowlist not UTF-8": lambda root: _project(root, **{"contract-breaks.toml": b"\xff[[\x00"}),
    "allowlist garbage": lambda root: _project(root, **{"contract-breaks.toml": "[[break]]\nx=1"}),
}

ENVIRONMENTS: dict[str, dict[str, str | None]] = {
    "plain": {},
    "registry URL garbage": {"CONTRACTGEN_REGISTRY_URL": "::not a url::"},
    "registry closed port": {"CONTRACTGEN_REGISTRY_URL": "http://127.0.0.1:1"},
    "config env is a directory": {"CONTRACTGEN_CONFIG": "schemas"},
    "config env missing": {"CONTRACTGEN_CONFIG": "nope/contractgen.toml"},
    "TLS files missing": {
        "CONTRACTGEN_REGISTRY_URL": "https://127.0.0.1:1",
        "CONTRACTGEN_REGISTRY_CA": "nope/ca.pem",
        "CONTRACTGEN_REGISTRY_CERT": "FILE",
    },
    "token not ASCII": {
        "CONTRACTGEN_REGISTRY_URL": "http://127.0.0.1:1",
        "CONTRACTGEN_REGISTRY_TOKEN": "t\u00e9",
    },
    "credentials half set": {
        "CONTRACTGEN_REGISTRY_URL": "http://127.0.0.1:1",
        "CONTRACTGEN_REGISTRY_USER": "bob",
    },
}


def invoke(args: tuple[str, ...], cwd: Path, env: dict[str, str | None]) -> Result:
    variables: dict[str, str | None] = {
        "CONTRACTGEN_CONFIG": None, "CONTRACTGEN_REGISTRY_URL": None, "SCHEMA_REGISTRY_URL": None,
        "CONTRACTGEN_DEBUG": None, **env,
    }  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner(env=variables).invoke(main, list(args))


def assert_clean_exit(result: Result, what: str) -> None:
    described = f"{what}: exit {result.exit_code}\n{result.output}"
    assert result.exit_code in EXPECTED, described
    assert "Traceback" not in result.output, described
    assert result.exception is None or isinstance(result.exception, SystemExit), described


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_every_command_on_hostile_files_exits_with_a_message(tmp_path: Path, setup: str) -> None:
    for args in COMMANDS:
        root = tmp_path / "_".join(args).replace("/", "_").replace(" ", "_")
        root.mkdir()
        SETUPS[setup](root)
        (root / "FILE").write_text("a file where a directory is expected\n")
        result = invoke(args, root, {})
        assert_clean_exit(result, f"{setup}: contractgen {' '.join(args)}")
        if result.exit_code >= ExitCode.USAGE:
            assert result.stderr.strip(), f"{setup}: {args}: exit {result.exit_code} says nothing"


@pytest.mark.parametrize("environment", sorted(ENVIRONMENTS))
def test_every_command_in_a_hostile_environment_exits_with_a_message(
    tmp_path: Path, environment: str
) -> None:
    _project(tmp_path / "template", FILE="a file where a directory is expected\n")
    for args in COMMANDS:
        root = tmp_path / "_".join(args).replace("/", "_").replace(" ", "_")
        shutil.copytree(tmp_path / "template", root)
        result = invoke(args, root, ENVIRONMENTS[environment])
        assert_clean_exit(result, f"{environment}: contractgen {' '.join(args)}")


def test_dev_that_cannot_start_exits_with_a_message(tmp_path: Path) -> None:
    _project(tmp_path, FILE="a file\n")
    for args in (("dev", "--store", "FILE/registry.db"), ("dev", "--registry-port", "-5"),
                 ("dev", "--brokers", "0"), ("registry", "serve", "--port", "70000"),
                 ("dev", "--host", "256.0.0.1", "--registry-port", "0")):  # fmt: skip
        assert_clean_exit(invoke(args, tmp_path, {}), " ".join(args))


def _explode(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError("something nobody expected")


def test_an_unexpected_error_is_exit_4_with_where_and_how_to_report_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contractgen.cli.validate, "load_project", _explode)
    result = invoke(("validate",), tmp_path, {})
    assert result.exit_code == ExitCode.INTERNAL == 4
    assert "Traceback" not in result.output
    first, second = result.stderr.splitlines()
    assert first.startswith(
        "error: internal error in `contractgen validate`: RuntimeError: something nobody "
        "expected (at validate.py:"
    )
    assert "please report it with the output of" in second
    assert "`contractgen --debug validate …`" in second


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contractgen.cli.validate, "load_project", _explode)
    result = invoke(("--debug", "validate"), tmp_path, {})
    assert isinstance(result.exception, RuntimeError)
    assert "internal error" not in result.output


def test_a_closed_pipe_is_left_to_click_and_a_file_error_names_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def closed_pipe(*_args: object, **_kwargs: object) -> object:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(contractgen.cli.validate, "load_project", closed_pipe)
    piped = invoke(("validate",), tmp_path, {})  # `contractgen validate | head -0`
    assert piped.exit_code == 1 and "error" not in piped.stderr

    def unwritable(*_args: object, **_kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", "generated/x.py")

    monkeypatch.setattr(contractgen.cli.validate, "load_project", unwritable)
    denied = invoke(("validate",), tmp_path, {})
    assert (denied.exit_code, denied.stderr) == (2, "error: Permission denied: generated/x.py\n")


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    """Ctrl-C while `check` waits on a registry that never answers: 130, as a shell reports an
    interrupted command (click alone says "Aborted!" and exits 1, which CI reads as findings)."""
    _project(tmp_path)
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        env = {**os.environ, "CONTRACTGEN_REGISTRY_URL": url}
        command = [sys.executable, "-m", "contractgen.cli.main", "check", "--against", "registry"]
        process = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        silent.settimeout(60)
        connection, _ = silent.accept()  # the command is now waiting for the answer
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        connection.close()
    assert process.returncode == ExitCode.INTERRUPTED == 130
    assert stderr.decode() == "interrupted\n"
