"""A git repository holding a copy of this repository's contracts, with a history of edits."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ORDER_CREATED = Path("schemas/com/acme/orders/OrderCreated.avsc")


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


def edit_order_created(root: Path, change: Callable[[dict[str, object]], None]) -> None:
    schema = json.loads((root / ORDER_CREATED).read_text())
    change(schema)
    (root / ORDER_CREATED).write_text(json.dumps(schema, indent=2) + "\n")


@pytest.fixture
def contracts_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This repository's contracts, committed once, as the working directory."""
    root = tmp_path / "contracts"
    root.mkdir()
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Contracts")
    monkeypatch.chdir(root)
    monkeypatch.delenv("CONTRACTGEN_REGISTRY_URL", raising=False)
    monkeypatch.delenv("SCHEMA_REGISTRY_URL", raising=False)
    yield root
