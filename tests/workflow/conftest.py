"""Shared by the workflow tests: one pre-commit home per session, so each hook environment
(contractgen installed by pre-commit) is built once, not once per test.

`pre-commit try-repo` would build a fresh environment on every call (it uses a temporary store),
which cost about a minute per hook test; pinning a snapshot of this checkout by commit instead
lets every test share one environment.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(URL, rev) of this checkout as another repository pins it: a clone with the work tree's
    uncommitted and untracked (not ignored) files committed on top, as `try-repo` would do."""
    shadow = tmp_path_factory.mktemp("hooks-repo") / "contractgen"
    git(REPO, "clone", "-q", str(REPO), str(shadow))
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source, target = REPO / name, shadow / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.is_file():
            target.unlink()
    git(shadow, "add", "-A")
    git(shadow, "commit", "-qm", "Work tree snapshot", "--allow-empty")
    return str(shadow), git(shadow, "rev-parse", "HEAD").strip()
