"""The commands of `contractgen`, each loaded when it runs (`--help` loads none of them).

A command module imports what the command uses (confluent-kafka's registry client, uvicorn, the
code generator...); importing them all up front made `contractgen --help` cost 0.44 s of CPU. The
group is click's documented lazy-loading pattern (a `click.Group` whose `get_command` imports the
command's module), and it lists each command with the one line of help kept here, so its own
`--help` imports no command module either; a test holds those lines equal to the commands' own.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

COMMANDS: Mapping[str, tuple[str, str]] = {
    "asyncapi": (
        "contractgen.cli.asyncapi:asyncapi",
        "Write an AsyncAPI 3.0 document of the topics, events and generated clients.",
    ),
    "check": (
        "contractgen.cli.check:check",
        "Check each subject's schema against its version(s) in a baseline, at its topic's level.",
    ),
    "compat": (
        "contractgen.cli.compat:compat",
        "Check CANDIDATE against PREVIOUS versions (oldest first: versions 1..n).",
    ),
    "dev": (
        "contractgen.cli.dev:dev",
        "Run a local Schema Registry and Kafka cluster until interrupted (Ctrl-C).",
    ),
    "diff": (
        "contractgen.cli.diff:diff",
        "Semantic diff of every subject from OLD to NEW, with the compatibility verdict.",
    ),
    "docs": (
        "contractgen.cli.docs:docs",
        "Write a self-contained HTML catalog: topics, events with fields and examples, the history "
        "of every subject with a semantic diff and a verdict per version, and search.",
    ),
    "generate": (
        "contractgen.cli.generate:generate",
        "Generate typed models, producers and consumers from the Avro contracts.",
    ),
    "init": (
        "contractgen.cli.init:init",
        "Create a new contracts repository in DIRECTORY (default: here).",
    ),
    "lag": (
        "contractgen.cli.lag:lag",
        "Committed offset, end offset and lag of GROUP per partition.",
    ),
    "ls": (
        "contractgen.cli.ls:ls",
        "List topics with their subjects, fingerprints and schema files.",
    ),
    "register": (
        "contractgen.cli.register:register",
        "Register every subject's schema: NOOP, SET-LEVEL, REGISTER, BLOCKED or REVERT.",
    ),
    "registry": ("contractgen.cli.registry:registry", "The embedded schema registry."),
    "validate": (
        "contractgen.cli.validate:validate",
        "Check the config and every schema, and lint each subject's schema.",
    ),
}
"""Command name → (`module:attribute` of its click command, the first paragraph of its help)."""


class LazyGroup(click.Group):
    """A group whose `lazy_commands` (name → (`module:attribute`, summary)) load on first use."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module_name, _, attribute = self.lazy_commands[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{module_name}:{attribute} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with each command not loaded yet summarised by its kept line."""
        commands = [
            (name, self.commands.get(name) or click.Command(name, help=self.lazy_commands[name][1]))
            for name in self.list_commands(ctx)
        ]
        commands = [(name, command) for name, command in commands if not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section("Commands"):
                formatter.write_dl(rows)
