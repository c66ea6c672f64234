"""One text, one parse: `compat` of a file against itself and `check` against a baseline holding
the same files parse each text once, and answer exactly what two separate parses answer.

The sharing rests on one fact: a strict parse that succeeds builds what the lenient parse of the
same text builds (strict mode only adds name and default checks). A strict parse that fails must
still be reported, and a lenient parse never stands in for a strict one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from contractgen.avro import loader
from contractgen.avro.loader import ParseMemo, SchemaFile, load_schema_files
from contractgen.avro.parse import ParsedFile
from contractgen.avro.positions import SourceText
from contractgen.cli.compat import compat
from contractgen.compat import offline
from contractgen.compat.baseline import DirBaseline, Memos, parse_against
from contractgen.compat.run import CheckOptions, run_check
from contractgen.diagnostics import ContractError
from contractgen.project import load_project

MONEY = (
    '{"type": "record", "name": "Money", "namespace": "shop", "fields": '
    '[{"name": "cents", "type": "long"}]}'
)
ORDER = (
    '{"type": "record", "name": "Order", "namespace": "shop", "fields": ['
    '{"name": "id", "type": "string"}, {"name": "total", "type": "Money"}, '
    '{"name": "note", "type": ["null", "string"], "default": null}]}'
)
BAD_DEFAULT = (
    '{"type": "record", "name": "Odd", "fields": '
    '[{"name": "n", "type": "int", "default": "not an int"}]}'
)
FILES = [SchemaFile("shop/Money.avsc", MONEY), SchemaFile("shop/Order.avsc", ORDER)]


def test_a_lenient_load_reuses_the_strict_parse() -> None:
    memo = ParseMemo()
    strict = load_schema_files(FILES, strict=True, memo=memo)
    lenient = load_schema_files(FILES, strict=False, memo=memo)
    assert memo.parses == 2  # one per file, not per mode
    assert all(lenient.types[n] is strict.types[n] for n in strict.types)
    # what a lenient parse of its own builds
    alone = load_schema_files(FILES, strict=False)
    assert alone.types == lenient.types
    assert alone.type_files == lenient.type_files


def test_a_strict_load_never_reuses_a_lenient_parse() -> None:
    memo = ParseMemo()
    files = [SchemaFile("Odd.avsc", BAD_DEFAULT)]
    load_schema_files(files, strict=False, memo=memo)
    with pytest.raises(ContractError, match="AVRO"):
        load_schema_files(files, strict=True, memo=memo)
    assert memo.parses == 2


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_compat_against_itself_parses_once(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "order.avsc").write_text(ORDER.replace('"Money"', '"long"'), "utf-8")
    (in_tmp / "copy.avsc").write_text(ORDER.replace('"Money"', '"long"'), "utf-8")
    calls: list[bool] = []
    real = offline.parse

    def counted(text: str, **options: object) -> offline.ParsedSchema:
        calls.append(bool(options["strict"]))
        return real(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(offline, "parse", counted)
    same = CliRunner().invoke(compat, ["--level", "FULL", "order.avsc", "order.avsc"])
    assert calls == [True]
    calls.clear()
    # another path is another text as far as locations go: parsed on its own, leniently
    other = CliRunner().invoke(compat, ["--level", "FULL", "order.avsc", "copy.avsc", "order.avsc"])
    assert calls == [True, False]
    assert same.exit_code == other.exit_code == 0, same.stderr + other.stderr
    assert other.stdout == same.stdout.replace("version 1", "version 2")


def test_compat_against_itself_still_checks_strictly(in_tmp: Path) -> None:
    (in_tmp / "odd.avsc").write_text(BAD_DEFAULT, "utf-8")
    result = CliRunner().invoke(compat, ["--level", "BACKWARD", "odd.avsc", "odd.avsc"])
    assert result.exit_code == 2
    # the candidate's strict refusal, once; the previous version (lenient) reads fine
    assert result.stderr.count("odd.avsc:1:") == 1, result.stderr
    assert "not an int" in result.stderr


def _project(in_tmp: Path) -> None:
    (in_tmp / "schemas" / "shop").mkdir(parents=True)
    (in_tmp / "schemas" / "shop" / "Money.avsc").write_text(MONEY, "utf-8")
    (in_tmp / "schemas" / "shop" / "Order.avsc").write_text(ORDER, "utf-8")
    (in_tmp / "contractgen.toml").write_text(
        'schemas = ["schemas"]\n[[topics]]\nname = "orders"\nkey = "string"\n'
        'events = ["shop.Order"]\n',
        "utf-8",
    )


def test_check_against_the_same_directory_shares_parses_and_topics(in_tmp: Path) -> None:
    _project(in_tmp)
    options = CheckOptions(lint={})
    memos = Memos()
    project = load_project(parse_memo=memos.parse, build_memo=memos.build)
    shared = run_check(project.contracts, DirBaseline(in_tmp, "contractgen.toml", memos), options)
    assert memos.parse.parses == 2
    assert memos.build.built == 1
    apart = run_check(load_project().contracts, DirBaseline(in_tmp, "contractgen.toml"), options)
    assert shared == apart
    assert [s.status for s in shared.subjects] == ["unchanged", "unchanged"]


def test_check_against_an_unchanged_commit_shares_parses(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(in_tmp)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=in_tmp, check=True)
    subprocess.run([*git, "add", "-A"], cwd=in_tmp, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=in_tmp, check=True)
    options = CheckOptions(lint={})
    memos = Memos()
    parsed: list[str] = []
    real = loader.parse_document

    def counted(source: SourceText, **options: Any) -> ParsedFile:
        parsed.append(source.file)
        return real(source, **options)

    monkeypatch.setattr(loader, "parse_document", counted)
    project = load_project(parse_memo=memos.parse, build_memo=memos.build)
    baseline = parse_against("git:HEAD", project.config, in_tmp, memos)
    shared = run_check(project.contracts, baseline, options)
    assert sorted(parsed) == ["schemas/shop/Money.avsc", "schemas/shop/Order.avsc"]
    plain = load_project()
    apart = run_check(plain.contracts, parse_against("git:HEAD", plain.config, in_tmp), options)
    assert len(parsed) == 2 + 4  # apart: each side parses its own
    assert shared == apart
    assert [s.status for s in shared.subjects] == ["unchanged", "unchanged"]
