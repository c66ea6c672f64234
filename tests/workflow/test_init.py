"""`contractgen init`: a new contracts repository that passes every check straight away."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from contractgen.cli.init import installed_from
from contractgen.cli.main import main


def run(directory: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(directory / "contractgen.toml"), *args])
    return result.exit_code, result.output


def git(directory: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
        cwd=directory, check=True, capture_output=True,
    )  # fmt: skip


def scaffold(tmp_path: Path) -> Path:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "contracts")])
    assert result.exit_code == 0, result.output
    directory = tmp_path / "contracts"
    git(directory, "init", "-q")
    git(directory, "add", "-A")
    git(directory, "commit", "-qm", "Contracts")
    return directory


def test_the_scaffold_passes_validate_check_and_generate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = scaffold(tmp_path)
    assert sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*")
                  if p.is_file() and ".git/" not in p.as_posix())[:6] == [
        ".github/workflows/contracts.yml", ".gitignore", ".pre-commit-config.yaml", "README.md",
        "contractgen.toml", "generated/__init__.py",
    ]  # fmt: skip
    monkeypatch.chdir(directory)  # `check --against git:` reads the working directory's repository
    assert run(directory, "validate")[0] == 0
    assert run(directory, "check", "--against", "git:HEAD")[0] == 0
    assert run(directory, "generate", "--check")[0] == 0


def test_a_breaking_edit_of_the_scaffold_fails_check_and_names_the_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = scaffold(tmp_path)
    schema = directory / "schemas" / "com" / "example" / "things" / "ThingCreated.avsc"
    data = json.loads(schema.read_text())
    data["fields"].append({"name": "owner", "type": "string"})
    schema.write_text(json.dumps(data, indent=2))
    monkeypatch.chdir(directory)
    code, output = run(directory, "check", "--against", "git:HEAD")
    assert code == 1
    assert "owner" in output
    assert "ThingCreated.avsc:" in output


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "README.md" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
    assert (tmp_path / "README.md").read_text() == "mine\n"


def test_a_bad_package_name_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", "--package", "bad-name", str(tmp_path / "new")])
    assert result.exit_code == 2
    assert "'bad-name' is not a dotted Python name" in result.output
    assert not (tmp_path / "new").exists()


def test_init_installs_contractgen_from_where_it_came_and_warns_when_others_cannot(
    tmp_path: Path,
) -> None:
    # The test environment installs contractgen from a local directory (pip install -e .): only
    # this machine can install from there, which init says.
    here = installed_from()
    assert here.startswith("contractgen @ file://")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: CI and the pre-commit hooks install {here!r} from this machine's copy; pass "
        "--install 'contractgen @ git+<URL>@<tag>' so that every clone can install it"
    ]
    assert f"pip install '{here}'" in (tmp_path / "a/.github/workflows/contracts.yml").read_text()
    hooks = (tmp_path / "a/.pre-commit-config.yaml").read_text()
    assert f"additional_dependencies: ['{here}']" in hooks
    assert "language: system" not in hooks and "pip install contractgen" not in hooks
    spec = "contractgen @ git+https://example.com/contractgen.git@v1.0.0"
    result = CliRunner().invoke(main, ["init", "--install", spec, str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert f"pip install '{spec}'" in (tmp_path / "b/.github/workflows/contracts.yml").read_text()
    assert (
        f"additional_dependencies: ['{spec}']"
        in (tmp_path / "b/.pre-commit-config.yaml").read_text()
    )


class _Installed:
    def __init__(self, direct_url: str | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        return self.direct_url if name == "direct_url.json" else None


@pytest.mark.parametrize(
    ("direct_url", "spec"),
    [
        (
            '{"url": "https://e.com/c.git", "vcs_info": {"vcs": "git", "commit_id": "abc1234"}}',
            "contractgen @ git+https://e.com/c.git@abc1234",
        ),
        (
            '{"url": "file:///src/contractgen", "dir_info": {}}',
            "contractgen @ file:///src/contractgen",
        ),
        (None, "contractgen"),  # from an index: no direct_url.json
        ("not json", "contractgen"),
    ],
)
def test_installed_from_reads_pep_610_direct_url(
    monkeypatch: pytest.MonkeyPatch, direct_url: str | None, spec: str
) -> None:
    # a source checkout's egg-info (no direct_url.json) first, as on sys.path in a checkout
    found = [_Installed(None), _Installed(direct_url)]
    monkeypatch.setattr(importlib.metadata, "distributions", lambda **_: iter(found))
    assert installed_from() == spec
