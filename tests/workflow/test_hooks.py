"""The hooks of `.pre-commit-hooks.yaml`, run by pre-commit itself in a repository made by init.

The scaffold pins this checkout (`init --hooks-repo URL --hooks-rev REV`, a snapshot of the work
tree: see conftest.py), so pre-commit installs contractgen into its own environment exactly as
another repository's `.pre-commit-config.yaml` makes it; the environment is built once per session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def contracts(tmp_path: Path, hooks_repo: tuple[str, str]) -> Iterator[Path]:
    directory = tmp_path / "contracts"
    url, rev = hooks_repo
    subprocess.run(
        [sys.executable, "-m", "contractgen.cli.main", "init", "--hooks-repo", url,
         "--hooks-rev", rev, str(directory)],
        check=True, capture_output=True,
    )  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "Contracts"]):
        subprocess.run(
            ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
            cwd=directory, check=True, capture_output=True,
        )  # fmt: skip
    yield directory


def try_hook(directory: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", hook, "--all-files"],
        check=False, cwd=directory, capture_output=True, text=True, timeout=600,
        env={"PRE_COMMIT_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)},
    )  # fmt: skip


@pytest.mark.parametrize(
    "hook", ["contractgen-validate", "contractgen-check", "contractgen-generate"]
)
def test_every_hook_passes_on_a_fresh_scaffold(
    contracts: Path, pre_commit_home: Path, hook: str
) -> None:
    result = try_hook(contracts, pre_commit_home, hook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_the_check_hook_fails_on_a_breaking_edit_and_names_the_field(
    contracts: Path, pre_commit_home: Path
) -> None:
    schema = contracts / "schemas" / "com" / "example" / "things" / "ThingCreated.avsc"
    data = json.loads(schema.read_text())
    data["fields"].append({"name": "owner", "type": "string"})
    schema.write_text(json.dumps(data, indent=2))
    result = try_hook(contracts, pre_commit_home, "contractgen-check")
    assert result.returncode == 1
    assert "'owner'" in result.stdout
    assert "ThingCreated.avsc:" in result.stdout


def test_the_generate_hook_fails_on_stale_generated_code(
    contracts: Path, pre_commit_home: Path
) -> None:
    module = contracts / "generated" / "things.py"
    module.write_text(module.read_text().replace('"""Topic', '"""Edited topic'))
    result = try_hook(contracts, pre_commit_home, "contractgen-generate")
    assert result.returncode == 1
    assert "generated/things.py" in result.stdout


def test_git_commit_runs_the_hooks_in_a_fresh_shell_without_the_virtualenv(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    """The scaffold's own `.pre-commit-config.yaml`: pre-commit installs contractgen (from where
    this one was installed) in its own environment, so no activated virtualenv is needed."""
    directory = tmp_path / "contracts"
    subprocess.run(
        [sys.executable, "-m", "contractgen.cli.main", "init", str(directory)],
        check=True, capture_output=True,
    )  # fmt: skip
    fresh = {"PRE_COMMIT_HOME": str(pre_commit_home), "PATH": "/usr/bin:/bin",
             "HOME": str(tmp_path), "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.com",
             "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.com"}  # fmt: skip

    def shell(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=directory, env=fresh, capture_output=True, text=True,
                              check=False, timeout=900)  # fmt: skip

    assert shell("git", "init", "-q", "-b", "main").returncode == 0
    # `pre-commit install` from the virtualenv, as the scaffold's README says; then a new shell.
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=directory,
                               env={**fresh, "PATH": os.environ["PATH"]}, capture_output=True,
                               text=True, check=False)  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    shell("git", "add", "-A")
    first = shell("git", "commit", "-qm", "Contracts")
    assert first.returncode == 0, first.stdout + first.stderr
    hooks = first.stdout + first.stderr  # git relays the hooks' output on stderr
    assert "contractgen validate" in hooks and "Passed" in hooks and "Failed" not in hooks

    schema = directory / "schemas" / "com" / "example" / "things" / "ThingCreated.avsc"
    data = json.loads(schema.read_text())
    data["fields"].append({"name": "owner", "type": "string"})
    schema.write_text(json.dumps(data, indent=2))
    shell("git", "add", "-A")
    refused = shell("git", "commit", "-qm", "Owner")
    assert refused.returncode == 1
    assert "'owner'" in refused.stdout + refused.stderr
