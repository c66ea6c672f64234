"""`contractgen register`: plan and apply scenarios, on the embedded store and over HTTP."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from contractgen.cli.main import main
from contractgen.ir.model import Level
from contractgen.project import load_project
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.client import EmbeddedRegistryClient
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.registry.targets import reference_targets

REPO = Path(__file__).parents[2]

EVENT: dict[str, Any] = {
    "type": "record",
    "name": "Happened",
    "namespace": "acme",
    "fields": [{"name": "id", "type": "string"}],
}


class Project:
    def __init__(self, root: Path, level: str = "BACKWARD") -> None:
        self.root = root
        (root / "schemas").mkdir()
        self.write(EVENT)
        (root / "contractgen.toml").write_text(
            'schemas = ["schemas"]\n[registry]\nurl = "embedded:reg.db"\n'
            f'[[topics]]\nname = "things"\nkey = "string"\nevents = ["acme.Happened"]\n'
            f'compatibility = "{level}"\n'
        )

    def write(self, schema: dict[str, Any], indent: int | None = None) -> None:
        (self.root / "schemas" / "Happened.avsc").write_text(json.dumps(schema, indent=indent))

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        config = str(self.root / "contractgen.toml")
        return CliRunner().invoke(main, ["--config", config, "register", *args], env=env)

    def plan(self, *args: str, env: dict[str, str] | None = None) -> dict[str, list[str]]:
        result = self.run("--dry-run", "--format", "json", *args, env=env)
        data = json.loads(result.stdout)
        return {s["subject"]: s["actions"] for s in data["subjects"]}

    def versions(self, subject: str = "things-value") -> list[int]:
        client = open_client(f"embedded:{self.root / 'reg.db'}")
        try:
            return client.versions(subject)
        finally:
            client.close()


def with_field(extra: dict[str, Any], doc: str | None = None) -> dict[str, Any]:
    schema = {**EVENT, "fields": [*EVENT["fields"], extra]}
    return {**schema, "doc": doc} if doc else schema


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def test_first_run_registers_and_a_second_is_a_noop(project: Project) -> None:
    assert project.plan() == {"things-key": ["REGISTER"], "things-value": ["REGISTER"]}
    assert project.versions() == []  # the dry run wrote nothing
    first = project.run()
    assert first.exit_code == 0, first.output
    assert "registered version 1" in first.stdout
    again = project.run()
    assert again.exit_code == 0
    assert "NOOP (version 1" in again.stdout and "0 to register" in again.stdout
    assert project.versions() == [1]


def test_whitespace_is_no_change_but_a_doc_edit_is(project: Project) -> None:
    project.run()
    project.write(EVENT, indent=4)
    assert project.plan()["things-value"] == ["NOOP"]
    project.write({**EVENT, "doc": "What happened."})
    assert project.plan()["things-value"] == ["REGISTER"]
    assert project.run().exit_code == 0
    assert project.versions() == [1, 2]


def test_incompatible_change_is_blocked_with_findings(project: Project) -> None:
    project.run()
    project.write(with_field({"name": "n", "type": "int"}))
    result = project.run()
    assert result.exit_code == 1
    assert "BLOCKED at BACKWARD" in result.stdout
    assert "schemas/Happened.avsc:" in result.stdout  # file:line:col of the cause
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in result.stdout
    assert "nothing was applied" in result.stderr
    assert project.versions() == [1]
    data = json.loads(project.run("--format", "json").stdout)
    value = next(s for s in data["subjects"] if s["subject"] == "things-value")
    assert value["actions"] == ["BLOCKED"] and value["findings"]


def test_a_blocked_subject_stops_every_other_change(project: Project) -> None:
    config = project.root / "contractgen.toml"
    config.write_text(config.read_text().replace('key = "string"', 'key = "int"'))
    project.run()
    config.write_text(config.read_text().replace('key = "int"', 'key = "long"'))  # a promotion
    project.write(with_field({"name": "n", "type": "int"}))
    assert project.plan() == {"things-key": ["REGISTER"], "things-value": ["BLOCKED"]}
    assert project.run().exit_code == 1
    assert project.versions("things-key") == [1]


def test_revert_is_refused_unless_allowed(project: Project) -> None:
    project.run()
    project.write(with_field({"name": "n", "type": "int", "default": 0}))
    project.run()
    project.write(EVENT)
    refused = project.run()
    assert refused.exit_code == 1
    assert "REVERT to version 1 (latest is 2): refused without --allow-revert" in refused.stdout
    allowed = project.run("--allow-revert")
    assert allowed.exit_code == 0, allowed.output
    assert project.versions() == [1, 2]


def test_set_level_is_applied_before_registering(tmp_path: Path) -> None:
    project = Project(tmp_path, level="BACKWARD")
    project.run()
    # Incompatible at BACKWARD (the registry's level now), fine at NONE (the new config).
    (tmp_path / "contractgen.toml").write_text(
        (tmp_path / "contractgen.toml").read_text().replace("BACKWARD", "NONE")
    )
    project.write(with_field({"name": "n", "type": "int"}))
    assert project.plan()["things-value"] == ["SET-LEVEL", "REGISTER"]
    assert project.plan()["things-key"] == ["SET-LEVEL"]
    result = project.run()
    assert result.exit_code == 0, result.output
    assert "SET-LEVEL BACKWARD -> NONE, REGISTER after version 1: registered version 2" in (
        result.stdout
    )
    client = open_client(f"embedded:{tmp_path / 'reg.db'}")
    assert client.subject_level("things-value") is Level.NONE
    client.close()


def test_over_http_with_the_url_from_the_environment(project: Project, tmp_path: Path) -> None:
    with serve_in_thread(tmp_path / "served.db") as url:
        env = {"CONTRACTGEN_REGISTRY_URL": url}
        assert project.run(env=env).exit_code == 0
        assert project.plan(env=env) == {"things-key": ["NOOP"], "things-value": ["NOOP"]}
        project.write(with_field({"name": "n", "type": "int"}))
        blocked = project.run(env=env)
        assert blocked.exit_code == 1 and "BLOCKED" in blocked.stdout
    assert project.versions() == []  # the embedded file of the config was never touched


def test_unreachable_registry_exits_3(project: Project) -> None:
    env = {"SCHEMA_REGISTRY_URL": "http://user:pw-secret@127.0.0.1:9"}
    result = CliRunner().invoke(
        main,
        ["--config", str(project.root / "contractgen.toml"), "register", "--dry-run"],
        env={**env, "CONTRACTGEN_REGISTRY_URL": None},
    )
    assert result.exit_code == 3
    assert "pw-secret" not in result.output and "cannot reach" in result.output


MONEY: dict[str, Any] = {
    "type": "record",
    "name": "Money",
    "namespace": "acme.common",
    "fields": [
        {"name": "cents", "type": "long"},
        {"name": "currency", "type": {"type": "enum", "name": "Currency", "symbols": ["EUR"]}},
    ],
}


def test_references_mode_registers_types_first(project: Project) -> None:
    (project.root / "schemas" / "Money.avsc").write_text(json.dumps(MONEY))
    fields = [*EVENT["fields"], {"name": "total", "type": "acme.common.Money"}]
    project.write({**EVENT, "fields": fields})
    result = project.run("--references", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    order = [s["subject"] for s in data["subjects"]]
    assert order == ["acme.common.Money", "acme.Happened", "things-key", "things-value"]
    assert project.plan("--references") == {key: ["NOOP"] for key in order}
    client = open_client(f"embedded:{project.root / 'reg.db'}")
    try:
        happened = client.get_version("acme.Happened")
        assert happened is not None
        assert [(r.name, r.subject, r.version) for r in happened.references] == [
            ("acme.common.Money", "acme.common.Money", 1)
        ]
        # A change inside the referenced type: a new version of it, and of every user.
        money = {**MONEY, "doc": "An amount."}
        (project.root / "schemas" / "Money.avsc").write_text(json.dumps(money))
        assert project.plan("--references") == {
            "acme.common.Money": ["REGISTER"],
            "acme.Happened": ["REGISTER"],
            "things-key": ["NOOP"],
            "things-value": ["REGISTER"],
        }
        assert project.run("--references").exit_code == 0
        happened = client.get_version("acme.Happened")
        assert happened is not None and happened.references[0].version == 2
        # An incompatible change inside the referenced type blocks it and is explained.
        broken = {**MONEY, "fields": [*MONEY["fields"], {"name": "x", "type": "int"}]}
        (project.root / "schemas" / "Money.avsc").write_text(json.dumps(broken))
        blocked = project.run("--references")
        assert blocked.exit_code == 1
        assert "acme.common.Money  BLOCKED" in blocked.stdout
        assert "schemas/Money.avsc:" in blocked.stdout
    finally:
        client.close()


def check(project: Project, env: dict[str, str | None]) -> Result:
    config = str(project.root / "contractgen.toml")
    return CliRunner().invoke(main, ["--config", config, "check", "--against", "registry"], env=env)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1:9", "notaurl"])
def test_a_url_that_is_not_a_registry_url_exits_2(project: Project, url: str) -> None:
    result = check(project, {"CONTRACTGEN_REGISTRY_URL": url, "SCHEMA_REGISTRY_URL": None})
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == (
        f"CFG005 CONTRACTGEN_REGISTRY_URL is {url!r}: expected embedded:<file> or "
        "http(s)://host[:port][/path] (comma-separated for several)\n"
    )


@pytest.mark.parametrize("var", ["CONTRACTGEN_REGISTRY_URL", "SCHEMA_REGISTRY_URL"])
def test_an_empty_url_variable_is_an_error_not_a_silent_pass(project: Project, var: str) -> None:
    # As GitHub Actions does when the secret is missing; the config's embedded registry is empty
    # and would report every subject as new.
    other = next(v for v in ("CONTRACTGEN_REGISTRY_URL", "SCHEMA_REGISTRY_URL") if v != var)
    result = check(project, {var: "", other: None})
    assert result.exit_code == 2, result.output
    assert f"{var} is set but empty: set it to your registry's URL, or unset it" in result.stderr


def test_the_config_can_choose_registration_by_reference(tmp_path: Path) -> None:
    """`[registry] references = true` makes `register` work as `--references` does, so CI and
    laptops register the same way; `--inline` overrides it."""
    root = tmp_path / "contracts"
    shutil.copytree(REPO / "schemas", root / "schemas")
    text = (REPO / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(
        text.replace(
            "[tool.contractgen.registry]\n", "[tool.contractgen.registry]\nreferences = true\n"
        )
    )
    env = {"CONTRACTGEN_REGISTRY_URL": f"embedded:{tmp_path / 'r.db'}", "CONTRACTGEN_CONFIG": None}
    by_config = CliRunner().invoke(
        main, ["--config", str(root / "pyproject.toml"), "register", "--dry-run"], env=env
    )
    assert by_config.exit_code == 0, by_config.output
    assert "com.acme.common.Money" in by_config.output  # a referenced type is a subject of its own
    inline = CliRunner().invoke(
        main,
        ["--config", str(root / "pyproject.toml"), "register", "--dry-run", "--inline"],
        env=env,
    )
    assert "com.acme.common.Money" not in inline.output


def test_a_read_only_registry_is_refused_before_any_write(project: Project) -> None:
    client = open_client(f"embedded:{project.root / 'reg.db'}")
    try:
        assert isinstance(client, EmbeddedRegistryClient)
        client.registry.settings.set_mode(None, "READONLY")
    finally:
        client.close()
    result = project.run()
    assert result.exit_code == 3, result.output
    assert "nothing was applied" in result.stderr and "things-value (READONLY)" in result.stderr
    assert "REGISTER (new subject)" in result.stdout
    assert project.versions() == [] and project.versions("things-key") == []


def test_every_use_of_a_type_from_another_file_is_a_reference() -> None:
    """Money is written out in PaymentAuthorized and only named in PaymentRefunded: both refer
    to it, and every subject comes after the subjects it refers to."""
    targets = reference_targets(load_project(REPO / "pyproject.toml").contracts)
    by_subject = {t.subject: t for t in targets}
    for user in ("com.acme.payments.PaymentAuthorized", "com.acme.payments.PaymentRefunded"):
        assert "com.acme.common.Money" in by_subject[user].references
        assert '"com.acme.common.Money"' in by_subject[user].text
    order = list(by_subject)
    for target in targets:
        assert all(order.index(name) < order.index(target.subject) for name in target.references)
