"""A git history is read incrementally: unchanged files are not parsed again, unchanged topics not
built again, and what comes out is what loading each commit from a checkout gives.

The reference ("uncached") path checks each commit out with `git archive` into a directory and
loads it from disk with fresh parses, as `check --against git:` did before the caches.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from contractgen.cli.main import main
from contractgen.compat.baseline import GitBaseline, contracts_at
from contractgen.config import load_config
from contractgen.diagnostics import ContractError
from contractgen.ir.model import Contract, Record
from contractgen.sources.git import Git

CONFIG = """\
schemas = ["schemas"]
output = "generated"
package = "generated"
compatibility = "FULL_TRANSITIVE"

[[topics]]
name = "orders"
key = "string"
events = ["shop.OrderCreated"]
{payments}"""
PAYMENTS = """
[[topics]]
name = "payments"
key = "string"
events = ["shop.PaymentTaken"]
"""


def record(name: str, *fields: str, namespace: str | None = "shop") -> str:
    space = f'"namespace": "{namespace}", ' if namespace else ""
    return f'{{"type": "record", "name": "{name}", {space}"fields": [{", ".join(fields)}]}}\n'


ID = '{"name": "id", "type": "string"}'
TOTAL = '{"name": "total", "type": "Money"}'
CENTS = '{"name": "cents", "type": "long"}'
CURRENCY = '{"name": "currency", "type": "string", "default": "EUR"}'
NOTE = '{"name": "note", "type": ["null", "string"], "default": null}'

START = {
    "contractgen.toml": CONFIG.format(payments=PAYMENTS),
    "schemas/shop/Money.avsc": record("Money", CENTS),
    "schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, TOTAL),
    "schemas/shop/PaymentTaken.avsc": record("PaymentTaken", ID),
}


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout


def commit(repo: Path, files: dict[str, str | None]) -> str:
    for path, text in files.items():
        target = repo / path
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change", "--allow-empty")
    return git(repo, "rev-parse", "HEAD").decode().strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, dict(START))
    return root


def baseline(repo: Path, config_path: str = "contractgen.toml") -> GitBaseline:
    config = load_config(repo / config_path, cwd=repo, env={})
    return GitBaseline(Git(repo), config, "HEAD")


def uncached_state(
    self: GitBaseline, commit: str, *, strict: bool = True
) -> dict[str, Contract] | None:
    """A commit as a checkout holds it (its config and schema roots), loaded from disk afresh."""
    top = Path(git(self.git.cwd, "rev-parse", "--show-toplevel").decode().strip())
    checkout = top.parent / f"checkout-{commit}"
    with tarfile.open(fileobj=io.BytesIO(git(top, "archive", "--format=tar", commit))) as tar:
        tar.extractall(checkout, filter="data")
    for root in self._roots:  # as the roots compared were, even when empty
        (checkout / root).mkdir(parents=True, exist_ok=True)
    config = checkout / self._config_path
    if not config.is_file():
        return None
    try:
        return contracts_at(config, self._at(commit))
    except ContractError:
        if strict:
            raise
        return None


def test_a_state_with_unchanged_blobs_parses_and_builds_nothing(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").decode().strip()
    readme = commit(repo, {"README.md": "not a schema\n"})
    same = commit(repo, {"schemas/shop/Money.avsc": None})
    back = commit(repo, {"schemas/shop/Money.avsc": START["schemas/shop/Money.avsc"]})
    history = baseline(repo)
    history.state(first)
    assert (history.parse_memo.parses, history.build_memo.built) == (3, 2)
    history.state(readme)  # other files changed, not the schemas
    assert (history.parse_memo.parses, history.build_memo.built) == (3, 2)
    # Money is gone: OrderCreated's `Money` resolves to nothing now (a parse that fails)
    assert history.state(same, strict=False) is None
    assert (history.parse_memo.parses, history.build_memo.built) == (4, 2)
    history.state(back)  # the very blobs of the first state again
    assert (history.parse_memo.parses, history.build_memo.built) == (4, 2)


def test_a_change_in_one_file_parses_that_file_and_rebuilds_its_topics(repo: Path) -> None:
    changed = commit(repo, {"schemas/shop/PaymentTaken.avsc": record("PaymentTaken", ID, NOTE)})
    history = baseline(repo)
    history.state(git(repo, "rev-parse", "HEAD~1").decode().strip())
    state = history.state(changed)
    assert state is not None
    assert (history.parse_memo.parses, history.build_memo.built) == (4, 3)
    payment = state["payments-value"].schema.named["shop.PaymentTaken"]
    assert isinstance(payment, Record)
    assert [f.name for f in payment.fields] == ["id", "note"]


def test_a_changed_referenced_file_invalidates_the_topics_that_use_it(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").decode().strip()
    wider = commit(repo, {"schemas/shop/Money.avsc": record("Money", CENTS, CURRENCY)})
    history = baseline(repo)
    before = history.state(first)
    after = history.state(wider)
    assert before is not None and after is not None
    # OrderCreated names Money and its text did not change: only Money.avsc is parsed again,
    # but the orders contracts are built again and hold the new Money; payments are reused.
    assert (history.parse_memo.parses, history.build_memo.built) == (4, 3)
    money = after["orders-value"].schema.named["shop.Money"]
    assert isinstance(money, Record)
    assert [f.name for f in money.fields] == ["cents", "currency"]
    assert after["orders-value"].identity != before["orders-value"].identity
    assert after["payments-value"] is before["payments-value"]
    assert after == uncached_state(history, wider)


def test_a_name_that_resolves_elsewhere_parses_the_unchanged_file_again(repo: Path) -> None:
    """`Money` inside namespace `shop` means `shop.Money` when that exists, else `Money`."""
    top_level = commit(
        repo,
        {
            "schemas/shop/Money.avsc": None,
            "schemas/Money.avsc": record("Money", CENTS, namespace=None),
        },
    )
    both = commit(repo, {"schemas/shop/Money.avsc": record("Money", CENTS, CURRENCY)})
    history = baseline(repo)
    first = history.state(top_level)
    second = history.state(both)
    assert first is not None and second is not None
    assert "Money" in first["orders-value"].schema.named
    assert "shop.Money" in second["orders-value"].schema.named
    # the new file and OrderCreated.avsc, whose text is unchanged but whose `Money` now
    # resolves to another type, are parsed again
    assert history.parse_memo.parses == 3 + 2
    assert second == uncached_state(history, both)


def test_every_state_and_the_history_equal_the_uncached_path(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = START["schemas/shop/OrderCreated.avsc"]
    commit(repo, {"schemas/shop/PaymentTaken.avsc": record("PaymentTaken", ID, NOTE)})
    commit(  # a rename, and a hidden directory the walk skips
        repo,
        {
            "schemas/shop/OrderCreated.avsc": None,
            "schemas/orders/OrderCreated.avsc": order,
            "schemas/.drafts/Draft.avsc": record("Draft", ID),
        },
    )
    commit(repo, {"schemas/shop/Money.avsc": "{ broken"})  # a state that does not load
    commit(repo, {"schemas/shop/Money.avsc": record("Money", CENTS, CURRENCY)})
    commit(  # a deleted topic and file
        repo,
        {
            "contractgen.toml": CONFIG.format(payments=""),
            "schemas/shop/PaymentTaken.avsc": None,
        },
    )
    commit(repo, {"schemas/orders/OrderCreated.avsc": record("OrderCreated", ID, TOTAL, NOTE)})
    commits = git(repo, "rev-list", "HEAD").decode().split()
    cached, uncached = baseline(repo), baseline(repo)
    for each in commits:
        assert cached.state(each, strict=False) == uncached_state(uncached, each, strict=False)
    with pytest.raises(ContractError) as broken:
        cached.state(commits[3])
    with pytest.raises(ContractError) as reference:
        uncached_state(uncached, commits[3])
    assert broken.value.diagnostics == reference.value.diagnostics

    cached_history = baseline(repo).histories(full=True)
    monkeypatch.setattr(GitBaseline, "state", uncached_state)
    assert cached_history == baseline(repo).histories(full=True)
    # and what the command prints, from a work tree that breaks the history
    commit(repo, {})
    (repo / "schemas/orders/OrderCreated.avsc").write_text(record("OrderCreated", ID), "utf-8")
    monkeypatch.chdir(repo)
    argv = ["check", "--against", "git:HEAD", "--format", "json"]
    reference_out = CliRunner().invoke(main, argv)
    monkeypatch.undo()
    monkeypatch.chdir(repo)
    cached_out = CliRunner().invoke(main, argv)
    assert reference_out.exit_code == cached_out.exit_code == 1
    assert cached_out.stdout == reference_out.stdout


def test_a_config_in_a_subdirectory_with_a_root_beside_it(repo: Path) -> None:
    """Files of `../shared` are shown with `..`, those of the project's own root without."""
    config = CONFIG.format(payments=PAYMENTS).replace(
        'schemas = ["schemas"]', 'schemas = ["../shared", "own"]'
    )
    moved = commit(
        repo,
        {
            "contractgen.toml": None,
            **{path: None for path in START if path.startswith("schemas/")},
            "project/contractgen.toml": config,
            "shared/shop/Money.avsc": START["schemas/shop/Money.avsc"],
            "project/own/OrderCreated.avsc": START["schemas/shop/OrderCreated.avsc"],
            "project/own/PaymentTaken.avsc": START["schemas/shop/PaymentTaken.avsc"],
        },
    )
    history = baseline(repo, "project/contractgen.toml")
    state = history.state(moved)
    assert state is not None
    assert state["orders-value"].files == ("../shared/shop/Money.avsc", "own/OrderCreated.avsc")
    assert state == uncached_state(history, moved)


def test_an_absolute_schema_root_reads_the_commit_not_the_work_tree(repo: Path) -> None:
    config = CONFIG.format(payments=PAYMENTS).replace(
        'schemas = ["schemas"]', f"schemas = [{json.dumps(str(repo.resolve() / 'schemas'))}]"
    )
    absolute = commit(repo, {"contractgen.toml": config})
    (repo / "schemas/shop/PaymentTaken.avsc").write_text(record("PaymentTaken", ID, NOTE))
    state = baseline(repo).state(absolute)
    assert state is not None
    payment = state["payments-value"].schema.named["shop.PaymentTaken"]
    assert isinstance(payment, Record)
    assert [f.name for f in payment.fields] == ["id"]  # as committed, not as edited since
    assert state["payments-value"].files == ("schemas/shop/PaymentTaken.avsc",)
