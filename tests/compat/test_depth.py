"""The deepest schemas Avro Java reads work everywhere; deeper ones are refused with a location.

Avro Java parses with Jackson, which reads at most 1,000 nested arrays/objects. These chains sit
right at that limit (999 levels) and one step past it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from contractgen.avro.depth import MAX_JSON_NESTING, TOO_DEEP
from contractgen.cli.main import main
from contractgen.compat import canonical, check, parse
from contractgen.compat.api import SchemaError


def record_chain(levels: int, leaf: str = "int") -> str:
    """`levels` records, each the only field of the next: three JSON levels per record."""
    opened = "".join(
        f'{{"type":"record","name":"L{i}","fields":[{{"name":"c","type":'
        for i in range(levels - 1, 0, -1)
    )
    inner = f'{{"type":"record","name":"L0","fields":[{{"name":"v","type":"{leaf}"}}]}}'
    return opened + inner + "}]}" * (levels - 1)


def union_chain(levels: int, leaf: str = "int") -> str:
    """Records reached through `["null", ...]` unions: four JSON levels per record."""
    opened = "".join(
        f'{{"type":"record","name":"L{i}","fields":[{{"name":"c","type":["null",'
        for i in range(levels - 1, 0, -1)
    )
    inner = f'{{"type":"record","name":"L0","fields":[{{"name":"v","type":"{leaf}"}}]}}'
    return opened + inner + "]}]}" * (levels - 1)


def container_chain(kind: str, levels: int, leaf: str = "int") -> str:
    key = "items" if kind == "array" else "values"
    return f'{{"type":"{kind}","{key}":' * levels + f'"{leaf}"' + "}" * levels


def depth(text: str) -> int:
    level = deepest = 0
    for character in text:
        level += character in "[{"
        level -= character in "]}"
        deepest = max(deepest, level)
    return deepest


DEEPEST = {
    "record": record_chain,
    "union": union_chain,
    "array": lambda levels, leaf="int": container_chain("array", levels, leaf),
    "map": lambda levels, leaf="int": container_chain("map", levels, leaf),
}
LEVELS = {"record": 333, "union": 250, "array": 999, "map": 999}


@pytest.mark.parametrize("kind", DEEPEST)
def test_the_deepest_schema_java_reads_parses_prints_and_checks(kind: str) -> None:
    text = DEEPEST[kind](LEVELS[kind])
    changed = DEEPEST[kind](LEVELS[kind], "string")
    assert MAX_JSON_NESTING - 4 < depth(text) <= MAX_JSON_NESTING
    assert canonical(canonical(text)) == canonical(text)
    assert check(text, [text], "FULL_TRANSITIVE").is_compatible
    result = check(changed, [text, text], "FULL_TRANSITIVE")
    assert not result.is_compatible
    assert result.findings and result.failing_version == 2


@pytest.mark.parametrize("kind", DEEPEST)
def test_one_level_deeper_is_refused_with_its_depth(kind: str) -> None:
    text = DEEPEST[kind](LEVELS[kind] + 2)
    assert depth(text) > MAX_JSON_NESTING
    with pytest.raises(SchemaError) as error:
        parse(text, strict=False, file="deep.avsc")
    [problem] = error.value.diagnostics
    assert problem.code == TOO_DEEP
    assert f"nests {depth(text)} arrays/objects deep" in problem.message
    assert problem.location is not None and problem.location.file == "deep.avsc"


def test_the_command_line_survives_the_deepest_schemas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.avsc").write_text(record_chain(333), "utf-8")
    (tmp_path / "new.avsc").write_text(record_chain(333, "long"), "utf-8")
    (tmp_path / "deeper.avsc").write_text(container_chain("array", 1001), "utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["compat", "--level", "full", "new.avsc", "old.avsc"])
    too_deep = runner.invoke(main, ["compat", "--level", "full", "deeper.avsc", "old.avsc"])
    assert ok.exit_code == 1, ok.output  # long → int is not readable forward
    assert "TYPE_MISMATCH" in ok.output
    assert too_deep.exit_code == 2
    assert (
        "deeper.avsc:1:" in too_deep.stderr and "nests 1001 arrays/objects deep" in too_deep.stderr
    )


@pytest.mark.slow
def test_validate_and_generate_survive_the_deepest_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "deep.avsc").write_text(record_chain(332), "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "deep"\nversion = "0"\n\n[tool.contractgen]\nschemas = ["schemas"]\n'
        'output = "gen"\npackage = "gen"\ncompatibility = "FULL_TRANSITIVE"\n\n'
        '[[tool.contractgen.topics]]\nname = "deep"\nkey = "string"\nevents = ["L331"]\n',
        "utf-8",
    )
    runner = CliRunner()
    validated = runner.invoke(main, ["validate"])
    generated = runner.invoke(main, ["generate"])
    assert validated.exit_code == 0, validated.output
    assert generated.exit_code == 0, generated.output
    assert (tmp_path / "gen").is_dir()
