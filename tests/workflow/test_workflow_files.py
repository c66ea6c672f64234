"""CI workflows, the hooks manifest and the scaffold name only commands and options that exist."""

from __future__ import annotations

import re
import shlex
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from contractgen.cli.main import main
from contractgen.scaffold import ScaffoldOptions, scaffold_files

REPO = Path(__file__).parents[2]
_EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")


def _contractgen_lines(document: Any) -> Iterator[str]:
    """Every `contractgen …` command line in a parsed YAML document (`run:` steps, hook entries)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key in ("run", "entry") and isinstance(value, str):
                for line in value.splitlines():
                    if line.strip().startswith("contractgen "):
                        yield line.strip()
            else:
                yield from _contractgen_lines(value)
    elif isinstance(document, list):
        for item in document:
            yield from _contractgen_lines(item)


def _documents() -> Iterator[tuple[str, Any]]:
    for path in sorted((REPO / ".github" / "workflows").glob("*.yml")):
        yield path.name, yaml.safe_load(path.read_text())
    yield ".pre-commit-hooks.yaml", yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    yield ".pre-commit-config.yaml", yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    for name, text in scaffold_files(ScaffoldOptions(title="t")).items():
        if name.endswith((".yml", ".yaml")):
            yield f"scaffold {name}", yaml.safe_load(text)


COMMAND_LINES = [
    (name, line) for name, document in _documents() for line in _contractgen_lines(document)
]


def test_the_files_name_contractgen_commands() -> None:
    names = {name for name, _ in COMMAND_LINES}
    assert {"contracts.yml", ".pre-commit-hooks.yaml", "scaffold .pre-commit-config.yaml"} <= names


@pytest.mark.parametrize(("source", "line"), COMMAND_LINES)
def test_every_command_line_parses_with_the_real_cli(source: str, line: str) -> None:
    args = shlex.split(_EXPRESSION.sub("X", line))[1:]
    context = main.make_context("contractgen", list(args))
    with warnings.catch_warnings():  # click 8.2+ deprecates protected_args; 9.0 folds it into args
        warnings.simplefilter("ignore", DeprecationWarning)
        tokens = [*context.protected_args, *context.args]
    name, command, rest = main.resolve_command(context, tokens)
    assert command is not None, f"{source}: no command {name!r}"
    try:
        command.make_context(str(name), rest, parent=context)
    except click.UsageError as error:
        pytest.fail(f"{source}: `{line}`: {error.format_message()}")


def _contracts_workflows() -> Iterator[tuple[str, Any]]:
    path = REPO / ".github" / "workflows" / "contracts.yml"
    yield "contracts.yml", yaml.safe_load(path.read_text())
    text = scaffold_files(ScaffoldOptions(title="t"))[".github/workflows/contracts.yml"]
    yield "scaffold contracts.yml", yaml.safe_load(text)


GUARD = "env.HAS_REGISTRY == 'true'"


@pytest.mark.parametrize(("source", "workflow"), list(_contracts_workflows()))
def test_registry_steps_run_only_when_the_secret_is_set(source: str, workflow: Any) -> None:
    """Without the secret (a new repository, a fork's pull request) the URL would be empty, which
    contractgen refuses (CFG005): the registry steps are skipped with a notice instead."""
    for name, job in workflow["jobs"].items():
        if name == "catalog":
            continue  # needs no registry (test below)
        steps = job["steps"]
        registry_steps = [s for s in steps if "SCHEMA_REGISTRY" in str(s.get("env", ""))]
        assert registry_steps, f"{source} {name}: no registry step"
        # A job-level flag: `if:` cannot read secrets, but it can read env.
        assert job["env"]["HAS_REGISTRY"] == "${{ secrets.SCHEMA_REGISTRY_URL != '' }}"
        for step in registry_steps:
            assert step.get("if") == GUARD, f"{source} {name}: unguarded {step['run']!r}"
        notices = [s for s in steps if s.get("if") == "env.HAS_REGISTRY != 'true'"]
        assert len(notices) == 1, f"{source} {name}: no notice of the skip"
        assert notices[0]["run"].startswith('echo "::notice ')
        assert "SCHEMA_REGISTRY_URL secret is not set" in notices[0]["run"]
    # The offline checks of a pull request always run.
    check = workflow["jobs"]["check"]["steps"]
    offline = [
        s["run"] for s in check if "if" not in s and s.get("run", "").startswith("contractgen")
    ]
    assert offline == [
        "contractgen validate",
        "contractgen check --against git:origin/${{ github.base_ref }} --format github",
        "contractgen generate --check",
    ]
    # Registration: skipped entirely (no checkout, no install) without the secret, one at a time.
    register = workflow["jobs"]["register"]
    assert all("if" in step for step in register["steps"])
    assert register["concurrency"] == "register"
    assert register["steps"][-1] == {
        "if": GUARD,
        "run": "contractgen register",
        "env": {
            f"CONTRACTGEN_REGISTRY_{key}": f"${{{{ secrets.SCHEMA_REGISTRY_{key} }}}}"
            for key in ("URL", "USER", "PASSWORD")
        },
    }


@pytest.mark.parametrize(("source", "workflow"), list(_contracts_workflows()))
def test_the_catalog_is_published_for_pull_requests_and_for_main(
    source: str, workflow: Any
) -> None:
    """A pull request's catalog shows the change; main's is the one to browse (registry or not)."""
    uploads = {
        name: [s["with"]["name"] for s in job["steps"] if "upload-artifact" in s.get("uses", "")]
        for name, job in workflow["jobs"].items()
    }
    assert uploads["check"] == ["event-catalog"]
    catalog = workflow["jobs"]["catalog"]
    assert catalog["if"] == "github.event_name == 'push'" and uploads["catalog"] == [
        "event-catalog-main"
    ]
    assert not any("if" in step for step in catalog["steps"])
    assert "contractgen docs --output catalog" in str(catalog["steps"])
