"""`contractgen check` on real temporary git repositories (and a `dir:` baseline)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from contractgen.cli.main import main

CONFIG = """\
schemas = ["schemas"]
output = "generated"
package = "generated"
compatibility = "BACKWARD"
{extra}
[[topics]]
name = "orders"
key = "string"
events = ["shop.OrderCreated"]
compatibility = "{level}"
"""
PAYMENTS = """
[[topics]]
name = "payments"
key = "string"
events = ["shop.PaymentTaken"]
"""


def record(name: str, *fields: str) -> str:
    body = ", ".join(fields)
    return f'{{"type": "record", "name": "{name}", "namespace": "shop", "fields": [{body}]}}\n'


ID = '{"name": "id", "type": "string"}'
QTY = '{"name": "qty", "type": "int"}'
QTY_DEFAULT = '{"name": "qty", "type": "int", "default": 1}'


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def write(repo: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")


def commit(repo: Path, message: str, files: dict[str, str]) -> str:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        "v1",
        {
            "contractgen.toml": CONFIG.format(level="BACKWARD", extra=""),
            "schemas/shop/OrderCreated.avsc": record("OrderCreated", ID),
        },
    )
    git(root, "checkout", "-qb", "feature")
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def findings(out: str) -> list[dict[str, Any]]:
    return list(json.loads(out)["findings"])


def test_unchanged_work_tree_is_clean(repo: Path) -> None:
    code, out, err = run()
    assert code == 0, out + err
    assert "orders-value (BACKWARD, unchanged since git:merge-base(main)@" in out
    # The summary names the baseline, which was not given: the default one.
    base = git(repo, "rev-parse", "main").strip()
    summary = out.splitlines()[-1]
    assert summary.startswith(f"2 subject(s) against git:merge-base(main)@{base[:7]}: 2 checked")


def test_breaking_change_against_the_merge_base(repo: Path) -> None:
    write(repo, {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY)})
    code, out, _ = run("--format", "json")
    assert code == 1
    rules = [(f["rule"], f["severity"], f["subject"]) for f in findings(out)]
    assert rules[:2] == [
        ("MISSING_UNION_BRANCH", "error", "orders-value"),
        ("READER_FIELD_MISSING_DEFAULT_VALUE", "note", "orders-value"),
    ]
    cause = findings(out)[1]
    column = record("OrderCreated", ID, QTY).index(QTY) + 1
    assert cause["location"] == {
        "file": "schemas/shop/OrderCreated.avsc",
        "line": 1,
        "column": column,
    }
    assert cause["hint"] == "give field 'qty' a default"


def test_explicit_ref(repo: Path) -> None:
    write(repo, {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY_DEFAULT)})
    code, out, err = run("--against", "git:main")
    assert code == 0, out + err
    assert "orders-value (BACKWARD, against git:main@" in out


def test_missing_ref_is_exit_3_with_the_fix(repo: Path) -> None:
    code, _, err = run("--against", "git:release-9")
    assert code == 3
    assert "git ref 'release-9' is not in this clone" in err
    assert "fix: check the name with `git branch --all`" in err  # no remote: nothing to fetch


def test_new_and_removed_subjects(repo: Path) -> None:
    commit(
        repo,
        "payments",
        {
            "contractgen.toml": CONFIG.format(level="BACKWARD", extra="") + PAYMENTS,
            "schemas/shop/PaymentTaken.avsc": record("PaymentTaken", ID),
        },
    )
    git(repo, "checkout", "-q", "main")
    code, out, err = run("--against", "git:feature", "--format", "json")
    assert code == 0, out + err
    removed = [(f["rule"], f["subject"]) for f in findings(out) if f["rule"] == "subject-removed"]
    assert removed == [("subject-removed", "payments-key"), ("subject-removed", "payments-value")]
    git(repo, "checkout", "-q", "feature")
    code, out, _ = run("--against", "git:main", "--format", "json")
    statuses = {s["subject"]: s["status"] for s in json.loads(out)["subjects"]}
    assert statuses == {
        "orders-key": "unchanged",
        "orders-value": "unchanged",
        "payments-key": "new",
        "payments-value": "new",
    }


def test_transitive_levels_walk_the_first_parent_history(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    config = CONFIG.format(level="BACKWARD_TRANSITIVE", extra="")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    commit(repo, "level", {"contractgen.toml": config})
    base = commit(
        repo, "v2", {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY_DEFAULT)}
    )
    git(repo, "checkout", "-qb", "feature2")
    write(repo, {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY)})
    code, out, _ = run("--format", "json")
    assert code == 1
    [error] = [f for f in findings(out) if f["severity"] == "error"]
    # Version 2 (qty with a default) reads fine; version 1 (no qty, from the first commit;
    # the level change did not make a new version) is the one that fails.
    assert error["against"] == f"git:merge-base(main)@{base[:7]} (version from {first[:7]})"


def test_shallow_clone_without_the_default_branch(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(
        repo,
        "feature work",
        {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY_DEFAULT)},
    )
    git(repo, "checkout", "-q", "main")  # the remote's default branch, as on a forge
    clone = tmp_path / "clone"
    git(
        tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone)
    )
    monkeypatch.chdir(clone)
    code, out, err = run()
    assert code == 3, out + err
    assert "fix: git fetch origin main:refs/remotes/origin/main" in err


def test_shallow_clone_cannot_check_a_transitive_level(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(
        repo, "transitive", {"contractgen.toml": CONFIG.format(level="FULL_TRANSITIVE", extra="")}
    )
    clone = tmp_path / "clone"
    git(
        tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone)
    )
    monkeypatch.chdir(clone)
    code, _, err = run("--against", "git:HEAD")
    assert code == 3
    assert "fix: git fetch --unshallow" in err


def test_dir_baseline(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline"
    write(
        baseline,
        {
            "contractgen.toml": CONFIG.format(level="BACKWARD", extra=""),
            "schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY),
        },
    )
    code, out, _ = run("--against", f"dir:{baseline}")
    assert code == 0, out  # dropping a field is backward compatible
    assert f"against dir:{baseline}" in out


def test_allowlist_accepts_expires_and_must_be_used(repo: Path) -> None:
    write(repo, {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY)})
    entry = """
[[break]]
subject = "orders-value"
rule = "MISSING_UNION_BRANCH"
location = "/fields/6/type/0"
reason = "no consumer reads OrderCreated yet"
"""
    write(repo, {"contract-breaks.toml": entry})
    code, out, err = run()
    assert code == 0, out + err
    assert "accepted (no consumer reads OrderCreated yet) MISSING_UNION_BRANCH" in out

    write(repo, {"contract-breaks.toml": entry + 'expires = "2020-01-01"\n'})
    code, out, _ = run()
    assert code == 1
    assert "contract-breaks.toml:2:1: error allowlist-expired" in out

    write(
        repo,
        {
            "schemas/shop/OrderCreated.avsc": record("OrderCreated", ID),
            "contract-breaks.toml": entry,
        },
    )
    code, out, _ = run()
    assert code == 1
    assert "error allowlist-unused: the accepted break MISSING_UNION_BRANCH" in out


def test_bad_against_is_exit_2(repo: Path) -> None:
    code, _, err = run("--against", "svn:trunk")
    assert code == 2
    assert (
        "use git:REF, git: (merge base of HEAD with the default branch), dir:PATH, or registry"
        in err
    )


def test_removed_event_is_reported(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    two_events = CONFIG.format(level="NONE", extra="").replace(
        '["shop.OrderCreated"]', '["shop.OrderCreated", "shop.OrderPaid"]'
    )
    commit(
        repo,
        "paid",
        {"contractgen.toml": two_events, "schemas/shop/OrderPaid.avsc": record("OrderPaid", ID)},
    )
    git(repo, "checkout", "-qb", "drop-paid")
    write(repo, {"contractgen.toml": CONFIG.format(level="NONE", extra="")})
    code, out, err = run("--format", "json")
    assert code == 0, out + err  # NONE: the registry would accept anything
    removed = [f["message"] for f in findings(out) if f["rule"] == "event-removed"]
    assert removed == []  # level NONE skips the comparison entirely
    write(repo, {"contractgen.toml": CONFIG.format(level="FORWARD", extra="")})
    code, out, _ = run("--format", "json")
    removed = [f["message"] for f in findings(out) if f["rule"] == "event-removed"]
    assert removed == ["event shop.OrderPaid is no longer in the payload union"]
    assert code == 0  # old readers can still read every remaining event


def test_the_label_shows_the_commit_the_ref_resolves_to(repo: Path) -> None:
    # HEAD's last commit does not touch the schemas: the label still names HEAD's commit.
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    config = CONFIG.format(level="BACKWARD_TRANSITIVE", extra="")
    commit(repo, "level", {"contractgen.toml": config})
    head = commit(repo, "docs", {"README.md": "docs\n"})
    code, out, err = run("--against", "git:HEAD")
    assert code == 0, out + err
    # The version itself comes from the first commit (changing the level made no new one).
    assert f"unchanged since git:HEAD@{head[:7]} (version from {first[:7]})" in out
    config = CONFIG.format(level="BACKWARD", extra="")
    commit(repo, "plain", {"contractgen.toml": config})
    head = commit(repo, "docs again", {"README.md": "more docs\n"})
    code, out, err = run("--against", "git:HEAD")
    assert code == 0, out + err
    assert f"orders-value (BACKWARD, unchanged since git:HEAD@{head[:7]})" in out


def test_outside_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "plain"
    write(
        project,
        {
            "contractgen.toml": CONFIG.format(level="BACKWARD", extra=""),
            "schemas/shop/OrderCreated.avsc": record("OrderCreated", ID),
        },
    )
    monkeypatch.chdir(project)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for against in ("git:HEAD", "git:"):
        code, out, err = run("--against", against)
        assert code == 3, out + err
        assert err == (
            f"error: not a git repository ({project}): run it inside the contracts repository, "
            "or use --against dir:PATH\n"
        )


def test_before_the_first_commit_every_subject_is_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(
        root,
        {
            "contractgen.toml": CONFIG.format(level="BACKWARD_TRANSITIVE", extra=""),
            "schemas/shop/OrderCreated.avsc": record("OrderCreated", ID),
        },
    )
    git(root, "add", "-A")  # staged, as when a pre-commit hook runs on the first commit
    monkeypatch.chdir(root)
    for against in ("git:HEAD", "git:main", "git:"):
        code, out, err = run("--against", against, "--format", "json")
        assert code == 0, out + err
        statuses = {s["subject"]: s["status"] for s in json.loads(out)["subjects"]}
        assert statuses == {"orders-key": "new", "orders-value": "new"}
    code, _, err = run("--against", "git:release-9")
    assert code == 3 and "git ref 'release-9' is not in this clone" in err


def test_transitive_levels_name_the_latest_version(repo: Path) -> None:
    # Three commits make three versions; a later commit that changes no schema makes none.
    config = CONFIG.format(level="FULL_TRANSITIVE", extra="")
    commit(repo, "level", {"contractgen.toml": config})
    commit(repo, "v2", {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY_DEFAULT)})
    note = '{"name": "note", "type": "string", "default": ""}'
    v3_schema = record("OrderCreated", ID, QTY_DEFAULT, note)
    v3 = commit(repo, "v3", {"schemas/shop/OrderCreated.avsc": v3_schema})
    head = commit(repo, "docs", {"README.md": "docs\n"})
    label = f"git:HEAD@{head[:7]} (version from {v3[:7]})"
    code, out, err = run("--against", "git:HEAD")
    assert code == 0, out + err
    assert f"orders-value (FULL_TRANSITIVE, unchanged since {label})" in out
    assert f"against git:HEAD@{head[:7]}: " in out.splitlines()[-1]

    # A compatible change is checked against every version; the latest is named.
    flag = '{"name": "flag", "type": "boolean", "default": false}'
    write(
        repo,
        {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY_DEFAULT, note, flag)},
    )
    code, out, err = run("--against", "git:HEAD", "--format", "json")
    assert code == 0, out + err
    against = {s["subject"]: s["against"] for s in json.loads(out)["subjects"]}
    assert against["orders-value"] == label

    # A failing check names the failing version, as its findings do: qty without a default
    # reads versions 3 and 2, which have it, not version 1, from the first commit.
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    write(repo, {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY, note)})
    code, out, _ = run("--against", "git:HEAD", "--format", "json")
    assert code == 1
    subjects = {s["subject"]: s for s in json.loads(out)["subjects"]}
    errors = [f for f in findings(out) if f["severity"] == "error"]
    failing = f"git:HEAD@{head[:7]} (version from {first[:7]})"
    assert {f["against"] for f in errors} == {failing}
    assert subjects["orders-value"]["against"] == failing


def test_accepting_every_cause_accepts_the_union_branch(repo: Path) -> None:
    write(repo, {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY)})
    entry = """
[[break]]
subject = "orders-value"
rule = "READER_FIELD_MISSING_DEFAULT_VALUE"
location = "/fields/6/type/0/fields/1"
reason = "qty was never produced"
"""
    write(repo, {"contract-breaks.toml": entry})
    code, out, err = run()
    assert code == 0, out + err
    assert "accepted (all causes accepted) MISSING_UNION_BRANCH" in out
    assert "accepted (qty was never produced) READER_FIELD_MISSING_DEFAULT_VALUE" in out
    assert "2 accepted: compatible" in out.splitlines()[-1]

    # A second cause that is not accepted keeps the branch failing.
    note = '{"name": "note", "type": "string"}'
    write(repo, {"schemas/shop/OrderCreated.avsc": record("OrderCreated", ID, QTY, note)})
    code, out, _ = run("--format", "json")
    assert code == 1
    [branch] = [f for f in findings(out) if f["rule"] == "MISSING_UNION_BRANCH"]
    assert branch["accepted"] is None


def test_the_envelope_is_in_no_directory(repo: Path) -> None:
    lint = '[lint]\nnamespace-directory = "warn"\n'
    write(repo, {"contractgen.toml": CONFIG.format(level="BACKWARD", extra=lint)})
    code, out, err = run("--format", "json")
    assert code == 0, out + err
    assert [f for f in findings(out) if f["rule"] == "namespace-directory"] == []
