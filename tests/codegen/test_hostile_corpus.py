"""A corpus of hostile names, docs, paths, namespaces and topics, in both flavours.

All of it is generated into one package per flavour (one mypy and one ruff run for the lot):
each package imports without running schema text as code, passes `mypy --strict`, ruff with its
defaults and with a broad rule set, and every record round-trips byte-exactly. What Avro accepts
but no Python value can hold is refused with exit 2 and a located message.
"""

from __future__ import annotations

import builtins
import importlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import fastavro
import pytest
from click.testing import CliRunner

from contractgen.cli.main import main

BIN = Path(sys.executable).parent
FLAVOURS = ("dataclasses", "pydantic")
CANARY = "contractgen_hostile_canary"
# schema text that would run if it ever became code
PAYLOAD = f"__import__('builtins').{CANARY} = 1"
DOCS = [
    f'"""\n{PAYLOAD}\n"""',
    f"'''{PAYLOAD}'''",
    "# -*- coding: utf_7 -*-\n+ACIAIgAi- " + PAYLOAD,
    'ends in a quote"',
    "ends in a backslash \\",
    "lone surrogate \ud800 and \udfff, NUL \x00, CR \r\n, LS \u2028, FF \x0c, tab\t!",
    "{{ jinja }} {% raw %} ${dollar} %s %(x)s",
    "a" * 300 + " " + "\u00e9" * 120,
    "\U0001f600 emoji and look-alikes: \u2019 \u2014 \u00a0",
]
FIELD_NAMES = [
    "validate_avro", "to_avro", "from_avro", "AVRO_SCHEMA", "AVRO_NAME", "AVRO_ALIASES",
    "model_dump", "model_fields", "model_extra", "model_config", "model_validate", "self", "cls",
    "data", "v", "_v0", "class", "None", "True", "__init__", "__slots__", "_private", "int", "str",
    "list", "bytes", "typing", "dataclass", "field", "Any", "ClassVar", "Self", "Mapping", "date",
    "Decimal", "UUID", "Field", "BaseModel", "_write_union1", "copy", "schema", "json",
]  # fmt: skip
RECORD_NAMES = [
    "Any", "Enum", "BaseModel", "Field", "Mapping", "Self", "ClassVar", "String", "Duration",
    "AVRO_TYPES", "_LAYOUT", "TOPIC", "int", "None", "object", "AsyncProducer", "TopicSpec",
]  # fmt: skip
NAMESPACES = [
    "typing", "dataclasses", "models", "duration", "_checks", "contractgen", "__init__", "A.b",
    "a_b", "a.B", "A", "a", "import.class", "hostile_dataclasses.models", "Any.None",
]  # fmt: skip
SYMBOLS = ["name", "value", "_missing_", "mro", "None", "True", "_ignore_", "_order_", "A", "a"]
DIRECTORIES = ["coding:utf_7", "line\nbreak", "x=y", "-*- coding: latin-1 -*-", "%41", "\u00fc"]
TOPICS = ["async", "import", "models", "duration", "_checks", "TopicSpec", "__init__", "a-b.c_d"]


def _record(name: str, namespace: str, index: int) -> dict[str, Any]:
    enum = {"type": "enum", "name": f"E{index}", "symbols": SYMBOLS, "default": "None"}
    fields: list[dict[str, Any]] = [
        {"name": n, "type": "int", "default": i, "doc": DOCS[i % len(DOCS)]}
        for i, n in enumerate(FIELD_NAMES)
    ]
    fields += [
        {"name": "symbol", "type": enum, "default": "_missing_"},
        {"name": "choice", "type": ["null", "string", f"E{index}"], "default": None},
        {"name": "blob", "type": "bytes", "default": "\u00ff\u0100"},
    ]
    return {
        "type": "record",
        "name": name,
        "namespace": namespace,
        "doc": DOCS[index % len(DOCS)],
        "fields": fields,
    }


def _schemas() -> list[dict[str, Any]]:
    records = [_record(n, NAMESPACES[i % len(NAMESPACES)], i) for i, n in enumerate(RECORD_NAMES)]
    records += [_record("E", ns, 100 + i) for i, ns in enumerate(NAMESPACES)]
    # more than ten numbered classes in one module: `__all__` sorts naturally (RUF022)
    records += [_record(f"R{i}", "numbered", 200 + i) for i in range(1, 13)]
    return records


def _project(root: Path) -> list[str]:
    schemas = _schemas()
    for i, schema in enumerate(schemas):
        directory = root / "schemas" / DIRECTORIES[i % len(DIRECTORIES)]
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"s{i}.avsc").write_text(json.dumps(schema), "utf-8")
    fullnames = [f"{s['namespace']}.{s['name']}" for s in schemas]
    topics = "".join(
        f'[[topics]]\nname = "{t}"\nkey = "string"\nevents = {json.dumps(fullnames[i::7][:3])}\n\n'
        for i, t in enumerate(TOPICS)
    )
    (root / "contractgen.toml").write_text(f'schemas = ["schemas"]\n\n{topics}', "utf-8")
    return fullnames


def _generate(root: Path, *arguments: str) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner(env={"CONTRACTGEN_CONFIG": None}).invoke(
            main, ["--config", "contractgen.toml", "generate", *arguments]
        )
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("hostile")
    fullnames = _project(root)
    for flavour in FLAVOURS:
        package = f"hostile_{flavour}"
        code, output = _generate(
            root, "--flavour", flavour, "--package", package, "--output", f"out/{package}"
        )
        assert code == 0, output
    return root / "out", fullnames


def _import(out: Path, package: str) -> ModuleType:
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    module = importlib.import_module(package)
    for path in sorted((out / package).rglob("*.py")):
        parts = path.relative_to(out).with_suffix("").parts
        importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return module


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_imports_run_no_schema_text_and_map_every_name(
    corpus: tuple[Path, list[str]], flavour: str
) -> None:
    out, fullnames = corpus
    package = _import(out, f"hostile_{flavour}")
    assert not hasattr(builtins, CANARY)
    assert sorted(package.AVRO_TYPES) == sorted(fullnames)
    for fullname, cls in package.AVRO_TYPES.items():
        assert fullname == cls.AVRO_NAME  # `A.b.E` and `a_b.E` are different classes
    for path in (out / f"hostile_{flavour}").rglob("*.py"):
        first_two = path.read_text("utf-8").splitlines()[:2]
        assert not any(re.match(r"^[ \t\f]*#.*?coding[:=]", line) for line in first_two), path


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_record_round_trips_byte_exactly(
    corpus: tuple[Path, list[str]], flavour: str
) -> None:
    out, _ = corpus
    package = _import(out, f"hostile_{flavour}")
    for cls in package.AVRO_TYPES.values():
        schema = fastavro.parse_schema(json.loads(cls.AVRO_SCHEMA))
        model = cls()
        model.validate_avro()
        first = io.BytesIO()
        fastavro.schemaless_writer(first, schema, model.to_avro())
        datum = fastavro.schemaless_reader(
            io.BytesIO(first.getvalue()), schema, schema, return_named_type=True
        )
        again = cls.from_avro(datum)
        second = io.BytesIO()
        fastavro.schemaless_writer(second, schema, again.to_avro())
        assert again == model, cls.AVRO_NAME
        assert second.getvalue() == first.getvalue(), cls.AVRO_NAME


def test_mypy_strict_is_clean(corpus: tuple[Path, list[str]]) -> None:
    out, _ = corpus
    packages = [arg for flavour in FLAVOURS for arg in ("-p", f"hostile_{flavour}")]
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", "--cache-dir=/dev/null", *packages],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


@pytest.mark.parametrize(
    "rules",
    [
        (),  # ruff's defaults, no configuration file
        # a broad set, as a service repository might configure it
        ("--line-length", "100", "--select", "E,W,F,I,B,UP,SIM,RUF,N,PL,TRY004,C4,PIE"),
    ],
)
def test_ruff_is_clean_without_our_configuration(
    corpus: tuple[Path, list[str]], rules: tuple[str, ...]
) -> None:
    out, _ = corpus
    ignore = ("--ignore", "PLR0911,PLR0913,PLR2004") if rules else ()
    command = [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--output-format=concise"]
    result = subprocess.run(
        [*command, *rules, *ignore, "."], cwd=out, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


REFUSED = [
    ({"name": "x", "type": []}, "GEN004"),
    ({"name": "x", "type": {"type": "map", "values": []}}, "GEN004"),
    # a default that reaches its record while it is being defined: Java's strict parse refuses
    # it ("Schema fields not set yet")
    ({"name": "x", "type": "R", "default": {}}, "AVRO004"),
    ({"name": "x", "type": "int", "default": 2**40}, None),
    ({"name": "x", "type": {"type": "enum", "name": "En", "symbols": ["A"]}, "default": "B"}, None),
]


def test_what_cannot_be_generated_is_refused_with_a_located_message(tmp_path: Path) -> None:
    for index, (field, code) in enumerate(REFUSED):
        root = tmp_path / str(index)
        (root / "coding:utf_7").mkdir(parents=True)
        schema = {"type": "record", "name": "R", "namespace": "n", "fields": [field]}
        (root / "coding:utf_7" / "r.avsc").write_text(json.dumps(schema, indent=2), "utf-8")
        (root / "contractgen.toml").write_text('schemas = ["coding:utf_7"]\n', "utf-8")
        exit_code, output = _generate(root)
        assert exit_code == 2, output
        located = rf"coding:utf_7/r\.avsc:\d+:\d+: {code or '[A-Z]+[0-9]+'} "
        assert re.search(located, output), output
        assert "Traceback" not in output
