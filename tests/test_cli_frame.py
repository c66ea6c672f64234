"""The CLI frame: version, exit codes (DESIGN.md §9), diagnostics on stderr, `validate` and `ls`."""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import contractgen.cli
from contractgen import __version__
from contractgen.cli.main import main
from contractgen.registry.errors import RegistryUnreachable, subject_not_found


def run(*args: str, cwd: Path) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner(env={"CONTRACTGEN_CONFIG": None}).invoke(main, args)


CONFIG = """\
schemas = ["schemas"]
compatibility = "BACKWARD"

[[topics]]
name = "orders"
key = "string"
key_field = "order_id"
events = [
    "com.acme.orders.OrderCreated", "com.acme.orders.OrderPaid", "com.acme.orders.OrderCancelled"
]
compatibility = "FULL_TRANSITIVE"

[[topics]]
name = "payments"
key = "string"
key_field = "payment_id"
events = ["com.acme.payments.PaymentAuthorized", "com.acme.payments.PaymentRefunded"]
compatibility = "BACKWARD_TRANSITIVE"
"""


@pytest.fixture
def project(tmp_path: Path, repo: Path) -> Path:
    """The repository's contracts with their topics in a contractgen.toml, to break."""
    shutil.copytree(repo / "schemas", tmp_path / "schemas")
    (tmp_path / "contractgen.toml").write_text(CONFIG)
    return tmp_path


def test_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, f"contractgen, version {__version__}\n")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("no-such-command", cwd=tmp_path).exit_code == 2
    assert run("ls", "--format", "yaml", cwd=tmp_path).exit_code == 2


def test_validate_the_repository(repo: Path) -> None:
    result = run("validate", cwd=repo / "schemas")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 2 topics, 4 subjects, 10 schema files, 10 named types\n"


def test_validate_reports_schema_errors_with_positions(project: Path) -> None:
    created = project / "schemas/com/acme/orders/OrderCreated.avsc"
    created.write_text(created.read_text().replace('"items": "LineItem"', '"items": "LineItme"'))
    result = run("validate", cwd=project)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, "no diagnostics printed"
    assert all(line.startswith("schemas/com/acme/orders/OrderCreated.avsc:") for line in lines)
    assert "Traceback" not in result.output


def test_validate_reports_config_errors(project: Path) -> None:
    (project / "contractgen.toml").write_text('schemas = ["schemas"]\nouput = "gen"\n')
    result = run("validate", cwd=project)
    assert result.exit_code == 2
    assert result.stderr == (
        "contractgen.toml:2:1: CFG003 unknown key `ouput` in the config; did you mean `output`?\n"
    )


def test_validate_reports_a_missing_schema_root(project: Path) -> None:
    shutil.rmtree(project / "schemas")
    result = run("validate", cwd=project)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "contractgen.toml:1:1: SRC001 schema root schemas is not a directory"
    )


def test_explicit_config_option(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert (
        run("--config", str(project / "contractgen.toml"), "validate", cwd=elsewhere).exit_code == 0
    )
    result = run("--config", "missing.toml", "validate", cwd=elsewhere)
    assert (result.exit_code, result.stderr.split(": ")[1]) == (
        2,
        "CFG001 cannot read config file missing.toml",
    )


def test_ls_text(repo: Path) -> None:
    result = run("ls", cwd=repo)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "orders  4 partitions, FULL_TRANSITIVE, key string (field order_id)"
    assert "  event    com.acme.orders.OrderCancelled" in lines
    assert "  file     schemas/com/acme/common/Money.avsc" in lines
    assert any(line.startswith("  subject  payments-value  crc64 ") for line in lines)


def test_ls_json_is_stable(repo: Path, project: Path) -> None:
    first = run("ls", "--format", "json", cwd=repo)
    assert first.exit_code == 0, first.output
    assert run("ls", "--format", "json", cwd=project / "schemas").stdout == first.stdout
    document = json.loads(first.stdout)
    assert [t["name"] for t in document["topics"]] == ["orders", "payments"]
    assert document["topics"][1]["value"]["subject"] == "payments-value"


@pytest.mark.parametrize(
    "error", [RegistryUnreachable("cannot connect to http://localhost:1"), subject_not_found("x")]
)
def test_registry_errors_exit_3(tmp_path: Path, error: Exception) -> None:
    @click.command()
    def failing() -> None:
        raise error

    group = type(main)(commands=[failing])
    result = CliRunner().invoke(group, ["failing"])
    assert result.exit_code == 3
    assert result.stderr.startswith("error: registry: ")


def _reachable(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):  # commands load when asked for (cli/commands.py)
        context = click.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, name
            yield from _reachable(sub)


def test_every_command_defined_in_the_cli_package_is_registered() -> None:
    package = Path(contractgen.cli.__file__).parent
    modules = [importlib.import_module(f"contractgen.cli.{p.stem}") for p in package.glob("*.py")]
    defined = {
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, click.Command)
        and getattr(value.callback, "__module__", None) == module.__name__
    }
    unregistered = defined - set(_reachable(main))
    assert sorted(command.name or "" for command in unregistered) == []


def test_validate_skips_hidden_directories_and_overlapping_roots(project: Path) -> None:
    (project / "schemas/.backup").mkdir()
    (project / "schemas/.backup/Broken.avsc").write_text("{not json")
    config = (project / "contractgen.toml").read_text()
    (project / "contractgen.toml").write_text(
        config.replace('schemas = ["schemas"]', 'schemas = ["schemas", "schemas/com/acme/orders"]')
    )
    result = run("validate", cwd=project)
    assert (result.exit_code, result.stdout) == (
        0,
        "ok: 2 topics, 4 subjects, 10 schema files, 10 named types\n",
    )


def test_validate_reports_a_file_that_is_not_utf8(project: Path) -> None:
    (project / "schemas/Latin1.avsc").write_bytes('{"doc": "caf\u00e9"}'.encode("latin-1"))
    result = run("validate", cwd=project)
    assert (result.exit_code, result.stderr) == (
        2,
        "schemas/Latin1.avsc:1:1: SRC002 cannot read schemas/Latin1.avsc: it is not UTF-8\n",
    )


def test_validate_lints_every_subject(project: Path) -> None:
    config = project / "contractgen.toml"
    config.write_text(config.read_text().replace(
        'compatibility = "BACKWARD"\n', 'compatibility = "BACKWARD"\n[lint]\nmissing-doc = "warn"\n'
    ))  # fmt: skip
    paid = project / "schemas/com/acme/orders/OrderPaid.avsc"
    paid.write_text(paid.read_text().replace('"doc": "The amount captured.", ', ""))
    result = run("validate", cwd=project)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("ok: 2 topics, 4 subjects, 10 schema files, 10 named types, ")
    assert lines[-1].endswith(" lint warning")
    assert lines[0].startswith("schemas/com/acme/orders/OrderPaid.avsc:9:")
    assert lines[0].endswith(": warning missing-doc: field 'OrderPaid.paid' has no doc")
    assert lines[1] == '    hint: add a "doc" string'

    config.write_text(config.read_text().replace('missing-doc = "warn"', 'missing-doc = "error"'))
    result = run("validate", cwd=project)
    assert result.exit_code == 1
    assert ": error missing-doc: " in result.stdout
    assert result.stdout.splitlines()[-1].startswith("failed: ")
    assert result.stdout.splitlines()[-1] == (
        "failed: 1 lint error; 2 topics, 4 subjects, 10 schema files, 10 named types"
    )


def test_validate_reports_an_unknown_lint_rule(project: Path) -> None:
    config = project / "contractgen.toml"
    config.write_text(config.read_text() + '\n[lint]\nmissing-docs = "error"\n')
    result = run("validate", cwd=project)
    assert (result.exit_code, result.stderr) == (
        2,
        "contractgen.toml:21:1: CFG003 unknown lint rule `missing-docs` in `[lint]`; "
        "did you mean `missing-doc`?\n",
    )


def test_validate_and_register_see_a_shared_subject_once(project: Path) -> None:
    config = project / "contractgen.toml"
    config.write_text(
        config.read_text()
        .replace(
            'compatibility = "BACKWARD"', 'compatibility = "BACKWARD"\nsubject_strategy = "record"'
        )
        .replace('compatibility = "FULL_TRANSITIVE"', 'compatibility = "BACKWARD_TRANSITIVE"')
    )
    result = run("validate", cwd=project)
    assert (result.exit_code, result.stdout) == (
        0,
        "ok: 2 topics, 3 subjects, 10 schema files, 10 named types\n",
    )
    result = run("register", "--dry-run", cwd=project)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("string") == 1, result.stdout
