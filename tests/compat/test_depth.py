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


def record_chain(levels: int, leaf: str = "int", *, nullable: bool = False) -> str:
    """`levels` records, each the only field of the next (three JSON levels per record, four when
    each is reached through a `["null", ...]` union)."""
    opening, closing = ('["null",', "]") if nullable else ("", "")
    opened = "".join(
        f'{{"type":"record","name":"L{i}","fields":[{{"name":"c","type":{opening}'
        for i in range(levels - 1, 0, -1)
    )
    inner = f'{{"type":"record","name":"L0","fields":[{{"name":"v","type":"{leaf}"}}]}}'
    return opened + inner + f"{closing}}}]}}" * (levels - 1)


def union_chain(levels: int, leaf: str = "int") -> str:
    return record_chain(levels, leaf, nullable=True)


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


@pytest.mark.parametrize("kind", DEEPEST)
def test_compat_on_the_command_line_survives_the_deepest_schemas(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.avsc").write_text(DEEPEST[kind](LEVELS[kind]), "utf-8")
    (tmp_path / "new.avsc").write_text(DEEPEST[kind](LEVELS[kind], "long"), "utf-8")
    result = CliRunner().invoke(main, ["compat", "--level", "full", "new.avsc", "old.avsc"])
    assert result.exit_code == 1, result.output  # long → int is not readable forward
    assert "TYPE_MISMATCH" in result.output or "MISSING_UNION_BRANCH" in result.output


def test_compat_refuses_a_schema_deeper_than_java_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.avsc").write_text(record_chain(3), "utf-8")
    (tmp_path / "deeper.avsc").write_text(container_chain("array", 1001), "utf-8")
    result = CliRunner().invoke(main, ["compat", "--level", "full", "deeper.avsc", "old.avsc"])
    assert result.exit_code == 2
    assert "deeper.avsc:1:" in result.stderr
    assert "nests 1001 arrays/objects deep" in result.stderr


@pytest.mark.slow
def test_validate_check_and_generate_survive_the_deepest_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 332 records: the envelope around the event adds the last levels Java accepts.
    config = (
        '[project]\nname = "deep"\nversion = "0"\n\n[tool.contractgen]\nschemas = ["schemas"]\n'
        'output = "gen"\npackage = "gen"\ncompatibility = "FULL_TRANSITIVE"\n\n'
        '[[tool.contractgen.topics]]\nname = "deep"\nkey = "string"\nevents = ["L331"]\n'
    )
    for root, leaf in ((tmp_path, "long"), (tmp_path / "base", "int")):
        (root / "schemas").mkdir(parents=True)
        (root / "schemas" / "deep.avsc").write_text(record_chain(332, leaf), "utf-8")
        (root / "pyproject.toml").write_text(config, "utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    validated = runner.invoke(main, ["validate"])
    checked = runner.invoke(main, ["check", "--against", f"dir:{tmp_path / 'base'}"])
    generated = runner.invoke(main, ["generate"])
    assert validated.exit_code == 0, validated.output
    assert checked.exit_code == 1, checked.output  # int → long breaks FORWARD
    assert "MISSING_UNION_BRANCH" in checked.output
    assert generated.exit_code == 0, generated.output
    assert (tmp_path / "gen").is_dir()


@pytest.mark.parametrize("kind", ["record", "array"])
def test_the_embedded_registry_stores_and_checks_the_deepest_schemas(
    kind: str, tmp_path: Path
) -> None:
    from contractgen.registry.embedded.client import EmbeddedRegistryClient
    from contractgen.registry.errors import RegistryError

    client = EmbeddedRegistryClient(tmp_path / "registry.db")
    try:
        first = client.register("deep-value", DEEPEST[kind](LEVELS[kind]))
        again = client.register("deep-value", DEEPEST[kind](LEVELS[kind]))
        verdict = client.check("deep-value", DEEPEST[kind](LEVELS[kind], "string"))
        with pytest.raises(RegistryError) as refused:
            client.register("deep-value", DEEPEST[kind](LEVELS[kind] + 2))
    finally:
        client.close()
    assert again == first
    assert not verdict.is_compatible and verdict.messages
    assert refused.value.error_code == 42201 and "AVRO007" in str(refused.value)
