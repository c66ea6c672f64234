"""The commands load when they run: `contractgen --help` imports no command module, and lists
each command with the same line of help the command itself gives."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from contractgen.cli.commands import COMMANDS
from contractgen.cli.main import main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_help_is_the_commands_own(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    listed = click.Command(name, help=COMMANDS[name][1])
    for limit in (45, 1000):  # truncated as in the listing, and whole
        assert listed.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_help_imports_no_command_module() -> None:
    script = (
        "import json, sys\n"
        "from contractgen.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    argv = [sys.executable, "-c", script]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    assert "Commands:" in done.stdout
    heavy = {"confluent_kafka", "uvicorn", "starlette", "jinja2", "httpx", "importlib.metadata"}
    commands = {path.partition(":")[0] for path, _ in COMMANDS.values()}
    assert sorted(modules & (heavy | commands)) == []
