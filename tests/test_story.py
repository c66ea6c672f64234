"""The README's story on this repository's own contracts: a breaking edit fails every check with
the finding at its place in the `.avsc`, and reverting it makes them pass again."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from contractgen.cli.main import main

REPO = Path(__file__).parents[1]
ORDER_CREATED = Path("schemas/com/acme/orders/OrderCreated.avsc")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A git repository holding a copy of this one's contracts, with the embedded registry."""
    root = tmp_path / "contracts"
    root.mkdir()
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "Contracts"]):
        subprocess.run(
            ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
            cwd=root, check=True, capture_output=True,
        )  # fmt: skip
    monkeypatch.chdir(root)
    monkeypatch.delenv("CONTRACTGEN_REGISTRY_URL", raising=False)
    monkeypatch.delenv("SCHEMA_REGISTRY_URL", raising=False)
    yield root


def contractgen(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def add_field(root: Path, field: dict[str, object]) -> str:
    """Insert `field` after OrderCreated's `items`; returns the original text."""
    original = (root / ORDER_CREATED).read_text()
    schema = json.loads(original)
    schema["fields"].insert(3, field)
    (root / ORDER_CREATED).write_text(json.dumps(schema, indent=2) + "\n")
    return original


def test_a_required_field_fails_check_against_git_with_its_location_and_a_hint(repo: Path) -> None:
    original = add_field(repo, {"name": "channel", "type": "string"})
    result = contractgen("check", "--against", "git:HEAD")
    assert result.exit_code == 1
    assert (
        "schemas/com/acme/orders/OrderCreated.avsc:25:5: note READER_FIELD_MISSING_DEFAULT_VALUE"
        in result.output
    )
    assert "hint: give field 'channel' a default" in result.output
    assert result.output.rstrip().endswith("INCOMPATIBLE")

    (repo / ORDER_CREATED).write_text(original)
    assert contractgen("check", "--against", "git:HEAD").exit_code == 0


def test_the_registry_blocks_the_edit_with_confluent_messages_and_local_explanations(
    repo: Path,
) -> None:
    assert contractgen("register").exit_code == 0
    original = add_field(repo, {"name": "channel", "type": "string"})

    checked = contractgen("check", "--against", "registry", "--format", "json")
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)
    assert report["is_compatible"] is False
    messages = [m for s in report["subjects"] if s["subject"] == "orders-value"
                for m in s.get("messages", [])]  # fmt: skip
    assert messages[0].startswith("{errorType:'MISSING_UNION_BRANCH', description:'The new schema")
    assert "{validateFields: 'false', compatibility: 'FULL_TRANSITIVE'}" in messages
    located = [f for f in report["findings"] if f["rule"] == "READER_FIELD_MISSING_DEFAULT_VALUE"]
    assert located[0]["location"] == {
        "file": "schemas/com/acme/orders/OrderCreated.avsc", "line": 25, "column": 5,
    }  # fmt: skip

    plan = contractgen("register", "--dry-run")
    assert plan.exit_code == 1
    assert "orders-value    BLOCKED at FULL_TRANSITIVE" in plan.output

    (repo / ORDER_CREATED).write_text(original)
    add_field(repo, {"name": "channel", "type": "string", "default": "web"})
    fixed = contractgen("register", "--dry-run")
    assert fixed.exit_code == 0, fixed.output
    assert "orders-value    REGISTER" in fixed.output
