"""`contractgen compat`: exit codes, output shapes and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from contractgen.cli.compat import compat

V1 = '{"type": "record", "name": "myrecord", "fields": [{"name": "f1", "type": "string"}]}'
V2_BAD = (
    '{"type": "record", "name": "myrecord", "fields": [{"name": "f1", "type": "string"}, '
    '{"name": "f2", "type": "string"}]}'
)
V2_GOOD = (
    '{"type": "record", "name": "myrecord", "fields": [{"name": "f1", "type": "string"}, '
    '{"name": "f2", "type": "string", "default": "x"}]}'
)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in {"v1.avsc": V1, "bad.avsc": V2_BAD, "good.avsc": V2_GOOD}.items():
        (tmp_path / name).write_text(text, "utf-8")
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(compat, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compatible_exits_0(files: Path) -> None:
    code, out, _ = invoke("--level", "BACKWARD", "good.avsc", "v1.avsc")
    assert code == 0
    assert out.endswith("0 error(s), 0 warning(s), 0 accepted: compatible\n")


def test_incompatible_json_carries_confluent_messages(files: Path) -> None:
    code, out, _ = invoke("--level", "backward", "--format", "json", "bad.avsc", "v1.avsc")
    assert code == 1
    data = json.loads(out)
    assert data["is_compatible"] is False
    # The example of COMPATIBILITY.md, "Verbose messages", string for string.
    assert data["messages"] == [
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path "
        "'/fields/1' in the new schema has no default value and is missing in the old schema', "
        "additionalInfo:'f2'}",
        "{oldSchemaVersion: 1}",
        "{oldSchema: '"
        '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"}]}'
        "'}",
        "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]
    assert data["subjects"][0]["messages"] == data["messages"]
    [finding] = data["findings"]
    assert finding["rule"] == "READER_FIELD_MISSING_DEFAULT_VALUE"
    assert finding["location"] == {"file": "bad.avsc", "line": 1, "column": 85}
    assert finding["hint"] == "give field 'f2' a default"


def test_previous_files_are_versions_oldest_first(files: Path) -> None:
    code, out, _ = invoke("--level", "FORWARD_TRANSITIVE", "good.avsc", "v1.avsc", "bad.avsc")
    assert code == 0, out
    code, out, _ = invoke(
        "--level", "BACKWARD_TRANSITIVE", "--format", "json", "bad.avsc", "v1.avsc", "good.avsc"
    )
    assert code == 1
    # version 2 (good.avsc) is checked first and passes; version 1 fails.
    assert "{oldSchemaVersion: 1}" in json.loads(out)["messages"]


def test_none_checks_nothing(files: Path) -> None:
    assert invoke("--level", "NONE", "bad.avsc", "v1.avsc")[0] == 0


def test_named_types_from_schema_dirs(files: Path) -> None:
    (files / "types").mkdir()
    (files / "types" / "Money.avsc").write_text(
        '{"type": "record", "name": "Money", "namespace": "m", '
        '"fields": [{"name": "cents", "type": "long"}]}',
        "utf-8",
    )
    (files / "a.avsc").write_text(
        '{"type": "record", "name": "A", "fields": [{"name": "price", "type": "m.Money"}]}', "utf-8"
    )
    (files / "b.avsc").write_text(
        '{"type": "record", "name": "A", "fields": [{"name": "price", "type": "m.Money"}, '
        '{"name": "n", "type": "int"}]}',
        "utf-8",
    )
    code, out, err = invoke("--level", "BACKWARD", "--schemas", "types", "b.avsc", "a.avsc")
    assert code == 1, err
    assert "The field 'n' at path '/fields/1'" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--level", "BACKWARD", "broken.avsc", "v1.avsc"], "broken.avsc:1:"),
        (["--level", "BACKWARD", "missing.avsc", "v1.avsc"], "'missing.avsc' does not exist"),
        (["--level", "SIDEWAYS", "good.avsc", "v1.avsc"], "'SIDEWAYS' is not one of"),
        (["--level", "BACKWARD", "good.avsc"], "Missing argument 'PREVIOUS...'"),
        (["--level", "BACKWARD", "invalid-name.avsc", "v1.avsc"], "invalid-name.avsc:1:"),
    ],
)
def test_bad_input_exits_2(files: Path, args: list[str], expected: str) -> None:
    (files / "broken.avsc").write_text('{"type": "record", "name": ', "utf-8")
    (files / "invalid-name.avsc").write_text(
        '{"type": "record", "name": "bad-name", "fields": []}', "utf-8"
    )
    code, _, err = invoke(*args)
    assert code == 2
    assert expected in err


def test_history_is_parsed_leniently(files: Path) -> None:
    (files / "old.avsc").write_text(
        '{"type": "record", "name": "test-schema", "fields": [{"name": "f", "type": "int", '
        '"default": "not an int"}]}',
        "utf-8",
    )
    (files / "new.avsc").write_text(
        '{"type": "record", "name": "test_schema", "fields": [{"name": "f", "type": "int"}]}',
        "utf-8",
    )
    code, out, err = invoke("--level", "BACKWARD", "new.avsc", "old.avsc")
    # Read, not rejected (that would be exit 2): only the names differ.
    assert code == 1, err
    assert "NAME_MISMATCH" in out


def test_bad_input_writes_diagnostics_only(files: Path) -> None:
    (files / "broken.avsc").write_text('{"type": "record", "name": ', "utf-8")
    code, out, err = invoke("--level", "BACKWARD", "--format", "json", "broken.avsc", "v1.avsc")
    assert code == 2
    assert out == ""
    # `file:line:col: CODE message`, as every command prints input errors.
    assert err.startswith("broken.avsc:1:28: AVRO001 "), err
