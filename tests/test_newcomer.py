"""What tripped a newcomer (issue 14), one test per stumble: each message points the right way."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from contractgen.cli.main import main

ORDERS = Path("schemas/com/acme/orders")


def run(*args: str, cwd: Path, env: dict[str, str | None] | None = None) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        unset = ("CONTRACTGEN_CONFIG", "CONTRACTGEN_REGISTRY_URL", "SCHEMA_REGISTRY_URL",
                 "KAFKA_BOOTSTRAP_SERVERS")  # fmt: skip
        variables: dict[str, str | None] = {**dict.fromkeys(unset), **(env or {})}
        return CliRunner(env=variables).invoke(main, args)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
        cwd=cwd, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def project(tmp_path: Path, repo: Path) -> Path:
    root = tmp_path / "contracts"
    root.mkdir()
    shutil.copytree(repo / "schemas", root / "schemas")
    shutil.copy(repo / "pyproject.toml", root / "pyproject.toml")
    return root


# 1. init into a file's path, or where nothing can be created


@pytest.mark.parametrize("target", ["README.md/x", "README.md"])
def test_init_under_a_file_says_so_and_exits_2(tmp_path: Path, target: str) -> None:
    (tmp_path / "README.md").write_text("hello\n")
    result = run("init", target, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert "README.md is a file" in result.stderr or "Directory" in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "README.md").read_text() == "hello\n"


def test_init_where_no_directory_can_be_created_exits_2(tmp_path: Path) -> None:
    result = run("init", "/proc/contractgen-nope", cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: cannot create the repository in /proc/contractgen-nope")
    assert "choose a directory you can write to" in result.stderr


# 2. compat on a schema that uses a type from another file


def test_compat_names_schemas_dir_once_when_a_type_is_in_another_file(
    project: Path,
) -> None:
    created = str(ORDERS / "OrderCreated.avsc")
    result = run("compat", "--level", "BACKWARD", created, created, cwd=project)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == len(set(lines)), result.stderr  # every problem once
    assert "AVRO002" in result.stderr
    assert lines[-1].startswith("hint: types defined in other files are found with --schemas DIR")
    fixed = run("compat", "--level", "BACKWARD", "--schemas", "schemas", created, created,
                cwd=project)  # fmt: skip
    assert fixed.exit_code == 0, fixed.output


# 3. a global option after the command


def test_config_after_the_command_says_it_is_a_global_option(project: Path) -> None:
    result = run("validate", "--config", "pyproject.toml", cwd=project)
    assert result.exit_code == 2
    assert "--config. It is a global option: put it before the command" in result.stderr
    assert "`contractgen --config … validate`" in result.stderr
    assert run("--config", "pyproject.toml", "validate", cwd=project).exit_code == 0


# 4. check --against: every kind named; a fetch hint only when there is something to fetch from


def test_against_without_a_kind_lists_every_baseline_including_registry(project: Path) -> None:
    result = run("check", "--against", "HEAD", cwd=project)
    assert result.exit_code == 2
    assert "git:REF, git: (merge base" in result.stderr
    assert "dir:PATH, or registry (did you mean git:HEAD?)" in result.stderr
    assert "registry" in run("check", "--help", cwd=project).output


def test_a_missing_ref_suggests_fetch_only_when_the_repository_has_a_remote(
    project: Path, tmp_path: Path
) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Contracts")
    alone = run("check", "--against", "git:nosuchref", cwd=project)
    assert alone.exit_code == 3
    assert "is not in this clone, and it has no remote to fetch it from" in alone.stderr
    assert "fix: check the name with `git branch --all` and `git tag`" in alone.stderr
    assert "git fetch" not in alone.stderr
    git(project, "remote", "add", "origin", str(tmp_path / "elsewhere.git"))
    remote = run("check", "--against", "git:nosuchref", cwd=project)
    assert remote.exit_code == 3
    assert "fix: git fetch origin nosuchref:nosuchref" in remote.stderr


# 5. dev without a config; lag without brokers or with a closed port


def test_dev_outside_a_project_reports_the_config_even_when_the_port_is_busy(
    tmp_path: Path,
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = run("dev", "--registry-port", port, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert "CFG001" in result.stderr
    assert "cannot listen" not in result.stderr


def test_lag_without_brokers_names_the_environment_variable(tmp_path: Path) -> None:
    result = run("lag", "--group", "g", cwd=tmp_path)
    assert result.exit_code == 2
    assert "set KAFKA_BOOTSTRAP_SERVERS" in result.stderr
    assert "KAFKA_BOOTSTRAP_SERVERS" in run("lag", "--help", cwd=tmp_path).output


def test_lag_against_a_closed_port_says_it_cannot_connect(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("lag", "--group", "g", cwd=tmp_path,
                 env={"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}"})  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: kafka: cannot connect to 127.0.0.1:{port}")
    assert "pass --topic" not in result.stderr


# 6. check --format json: the top-level messages agree with is_compatible


def test_check_json_has_the_subjects_messages_at_the_top_level(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Contracts")
    created = project / ORDERS / "OrderCreated.avsc"
    created.write_text(created.read_text().replace('"name": "customer_id"', '"name": "buyer_id"'))
    result = run("check", "--against", "git:HEAD", "--format", "json", cwd=project)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["is_compatible"] is False
    per_subject = [m for s in report["subjects"] for m in s["messages"]]
    assert per_subject and report["messages"] == per_subject


# 8. generate outside a project; ls and the DLQ; the scaffold's comments


def test_generate_outside_a_project_says_what_it_wrote(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("generate", "--schemas", str(project / "schemas"), cwd=elsewhere)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "wrote package generated to generated/, models only (no config: no topics): "
    )
    assert (elsewhere / "generated" / "__init__.py").is_file()


def test_ls_shows_each_topics_dead_letter_topic(project: Path) -> None:
    result = run("ls", cwd=project)
    assert result.exit_code == 0, result.output
    assert "  dlq      orders-dlq" in result.stdout.splitlines()


def test_the_scaffold_never_says_pip_install_contractgen(tmp_path: Path) -> None:
    assert run("init", "new", cwd=tmp_path).exit_code == 0
    for path in (tmp_path / "new").rglob("*"):
        if path.is_file() and path.suffix in {".yaml", ".yml", ".md", ".toml"}:
            assert "pip install contractgen" not in path.read_text(), path


# 10. schema roots outside the project, symlinked roots, loops, unreadable directories


def _outside_layout(tmp_path: Path, repo: Path) -> Path:
    """`schemas = ["schemas", "../shared"]`: the common types live next to the project."""
    project = tmp_path / "service"
    (project / "schemas/com/acme").mkdir(parents=True)
    shutil.copytree(repo / "schemas/com/acme/orders", project / "schemas/com/acme/orders")
    shutil.copytree(repo / "schemas/com/acme/common", tmp_path / "shared/com/acme/common")
    text = (
        (repo / "pyproject.toml")
        .read_text()
        .replace('schemas = ["schemas"]', 'schemas = ["schemas", "../shared"]')
    )
    text = text[: text.index('[[tool.contractgen.topics]]\nname = "payments"')]
    (project / "pyproject.toml").write_text(text)
    return project


def test_a_schema_root_outside_the_project_works_in_validate_and_generate(
    tmp_path: Path, repo: Path
) -> None:
    project = _outside_layout(tmp_path, repo)
    assert "[[tool.contractgen.topics]]" in (project / "pyproject.toml").read_text()
    assert run("validate", cwd=project).exit_code == 0
    listed = run("ls", cwd=project)
    assert "  file     ../shared/com/acme/common/Money.avsc" in listed.stdout.splitlines()
    result = run("generate", cwd=project)
    assert result.exit_code == 0, result.output
    assert run("generate", "--check", cwd=project).exit_code == 0


def test_a_symlinked_schema_root_works_in_generate(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-schemas"
    (project / "schemas").rename(real)
    (project / "schemas").symlink_to(real, target_is_directory=True)
    result = run("generate", cwd=project)
    assert result.exit_code == 0, result.output
    files = json.loads(run("ls", "--format", "json", cwd=project).stdout)
    assert "schemas/com/acme/orders/OrderCreated.avsc" in json.dumps(files)


def test_a_symlink_loop_under_schemas_is_reported(project: Path) -> None:
    (project / "schemas/com/loop").symlink_to("..", target_is_directory=True)
    (project / "schemas/self").symlink_to("self")
    result = run("validate", cwd=project)
    assert result.exit_code == 2
    assert "schemas/com/loop:1:1: SRC002 symlink loop: schemas/com/loop points back to schemas" in (
        result.stderr
    )
    assert "SRC002 symlink loop: schemas/self points back to itself" in result.stderr


def test_an_unreadable_directory_under_schemas_is_reported(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = project / "schemas/com/acme/orders"
    if os.geteuid() == 0:
        # root reads a mode-000 directory anyway: make listing it fail as it does for anyone else
        scandir = os.scandir

        def refuse(path: str | os.PathLike[str]) -> object:
            if Path(path) == Path("schemas/com/acme/orders") or Path(path) == hidden:
                raise PermissionError(13, "Permission denied", str(path))
            return scandir(path)

        monkeypatch.setattr(os, "scandir", refuse)
    hidden.chmod(0)
    try:
        result = run("validate", cwd=project)
    finally:
        hidden.chmod(0o755)
    assert result.exit_code == 2
    assert (
        "SRC002 cannot list schema directory schemas/com/acme/orders: Permission denied"
        in result.stderr
    )


def test_lag_with_a_malformed_broker_list_is_a_usage_error(tmp_path: Path) -> None:
    result = run("lag", "--group", "g", "--bootstrap-servers", "127.0.0.1:9092,", cwd=tmp_path)
    assert result.exit_code == 2
    assert "Invalid value for '--bootstrap-servers': '' is not HOST:PORT" in result.stderr
