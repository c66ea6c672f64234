"""`contractgen diff`: the README story's breaking edit named by field and rule, in both formats."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from contractgen.cli.main import main
from tests.catalog.conftest import edit_order_created, git


def contractgen(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def add_channel(schema: dict[str, object], default: str | None = None) -> None:
    field: dict[str, object] = {"name": "channel", "type": "string"}
    if default is not None:
        field["default"] = default
    fields = schema["fields"]
    assert isinstance(fields, list)
    fields.insert(3, field)


def test_the_story_break_names_the_field_and_the_rule(contracts_repo: Path) -> None:
    edit_order_created(contracts_repo, add_channel)
    result = contractgen("diff", "git:HEAD")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("diff git:HEAD@")
    assert "orders-value (FULL_TRANSITIVE): INCOMPATIBLE" in lines
    assert (
        "  field-added-without-default: com.acme.orders.OrderCreated.channel: 'channel': string"
        in lines
    )
    breaks = [line for line in lines if line.startswith("  breaks ")]
    assert any("READER_FIELD_MISSING_DEFAULT_VALUE" in b and "'channel'" in b for b in breaks)
    assert not any(line.startswith("payments") for line in lines)  # unchanged subjects are quiet


def test_markdown_for_a_pull_request_and_the_fixed_edit_is_compatible(
    contracts_repo: Path,
) -> None:
    edit_order_created(contracts_repo, add_channel)
    broken = contractgen("diff", "git:HEAD", ".", "--format", "markdown").output
    assert "#### `orders-value` (FULL_TRANSITIVE): ❌ **incompatible**" in broken
    assert (
        "| field added without a default (`field-added-without-default`) "
        "| `com.acme.orders.OrderCreated.channel` |" in broken
    )
    assert "- breaks: `READER_FIELD_MISSING_DEFAULT_VALUE`:" in broken
    git(contracts_repo, "checkout", "--", ".")
    edit_order_created(contracts_repo, lambda s: add_channel(s, "web"))
    fixed = contractgen("diff", "git:HEAD", "--format", "markdown").output
    assert "#### `orders-value` (FULL_TRANSITIVE): ✅ compatible" in fixed
    assert "field added with a default" in fixed and "breaks" not in fixed


def test_two_refs_and_a_directory(contracts_repo: Path, tmp_path: Path) -> None:
    edit_order_created(contracts_repo, lambda s: s.update(doc="Placed by a customer."))
    git(contracts_repo, "commit", "-qam", "Doc")
    result = contractgen("diff", "git:HEAD~1", "git:HEAD")
    assert "  doc-changed: com.acme.orders.OrderCreated: type doc" in result.output.splitlines()
    assert "orders-value (FULL_TRANSITIVE): COMPATIBLE" in result.output
    same = contractgen("diff", f"dir:{contracts_repo}", "git:HEAD")
    assert same.output.splitlines()[1:] == ["no subject changed"]


def test_a_missing_ref_is_an_infrastructure_error(contracts_repo: Path) -> None:
    result = contractgen("diff", "git:no-such-ref")
    assert result.exit_code == 3
    assert "no-such-ref" in result.output


def test_append_to_adds_the_report_to_a_job_summary(contracts_repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    edit_order_created(contracts_repo, add_channel)
    args = ("diff", "git:HEAD", "--format", "markdown", "--append-to", str(summary))
    result = contractgen(*args)
    assert result.exit_code == 0 and result.output == ""
    text = summary.read_text()
    assert text.startswith("earlier step\n### Contract changes: `git:HEAD@")
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in text


def test_against_the_registry(contracts_repo: Path) -> None:
    assert contractgen("register").exit_code == 0  # the project's embedded registry
    edit_order_created(contracts_repo, add_channel)
    result = contractgen("diff", "registry")
    lines = result.output.splitlines()
    assert lines[0].startswith("diff registry embedded:") and lines[0].endswith("-> work tree")
    assert "orders-value (FULL_TRANSITIVE): INCOMPATIBLE" in lines
    assert contractgen("diff", "registry", "git:HEAD").output.splitlines()[1:] == [
        "no subject changed"
    ]
