"""Config loading: typed values, defaults, env overrides, and diagnostics naming file, key, line."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractgen.config import (
    Config,
    Flavour,
    Severity,
    SubjectStrategy,
    TopicConfig,
    load_config,
)
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Level
from contractgen.project import load_project

TOPIC = """
[[topics]]
name = "orders"
key = "string"
events = ["com.acme.orders.OrderCreated"]
"""


def load(directory: Path, text: str, env: dict[str, str] | None = None) -> Config:
    (directory / "contractgen.toml").write_text(text)
    return load_config(cwd=directory, env=env or {})


def problems(directory: Path, text: str) -> list[str]:
    with pytest.raises(ContractError) as raised:
        load(directory, text)
    return [str(d) for d in raised.value.diagnostics]


def only(directory: Path, text: str) -> Diagnostic:
    with pytest.raises(ContractError) as raised:
        load(directory, text)
    (diagnostic,) = raised.value.diagnostics
    return diagnostic


def test_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, "")
    assert config.schemas == (tmp_path / "schemas",)
    assert config.output == tmp_path / "generated"
    assert config.package == "generated"
    assert config.flavour is Flavour.DATACLASSES
    assert config.frozen is False
    assert config.compatibility is Level.BACKWARD
    assert config.subject_strategy is SubjectStrategy.TOPIC
    assert config.registry.url == f"embedded:{tmp_path / '.contractgen/registry.db'}"
    assert config.registry.embedded_path == tmp_path / ".contractgen/registry.db"
    assert config.lint == {}
    assert config.allowlist is None
    assert config.topics == ()


def test_every_key(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
schemas = ["contracts", "shared"]
output = "src/gen"
package = "acme.events"
flavour = "pydantic"
frozen = true
compatibility = "FULL"
subject_strategy = "topic_record"
allowlist = "breaks.toml"

[registry]
url = "https://registry.example.com"

[lint]
doc-missing = "error"
enum-default = "off"

[[topics]]
name = "orders"
key = "com.acme.orders.OrderKey"
key_field = "order_id"
events = ["com.acme.orders.OrderCreated", "com.acme.orders.OrderPaid"]
compatibility = "NONE"
partitions = 12
dlq = "orders.dlq"
""",
    )
    assert config.schemas == (tmp_path / "contracts", tmp_path / "shared")
    assert (config.output, config.package) == (tmp_path / "src/gen", "acme.events")
    assert (config.flavour, config.frozen) == (Flavour.PYDANTIC, True)
    assert config.subject_strategy is SubjectStrategy.TOPIC_RECORD
    assert config.allowlist == tmp_path / "breaks.toml"
    assert config.registry.url == "https://registry.example.com"
    assert config.lint == {"doc-missing": Severity.ERROR, "enum-default": Severity.OFF}
    (topic,) = config.topics
    assert topic == TopicConfig(
        name="orders",
        key="com.acme.orders.OrderKey",
        key_field="order_id",
        events=("com.acme.orders.OrderCreated", "com.acme.orders.OrderPaid"),
        compatibility=Level.NONE,
        partitions=12,
        dlq="orders.dlq",
    )
    assert config.level_of(topic) is Level.NONE


def test_topic_defaults_and_inherited_level(tmp_path: Path) -> None:
    config = load(tmp_path, 'compatibility = "FORWARD"\n' + TOPIC)
    (topic,) = config.topics
    assert (topic.partitions, topic.key_field, topic.dlq, topic.compatibility) == (
        4,
        None,
        None,
        None,
    )
    assert config.level_of(topic) is Level.FORWARD


def test_levels_in_either_case(tmp_path: Path) -> None:
    config = load(
        tmp_path, 'compatibility = "full_transitive"\n' + TOPIC + 'compatibility = "none"\n'
    )
    assert (config.compatibility, config.topics[0].compatibility) == (
        Level.FULL_TRANSITIVE,
        Level.NONE,
    )
    assert problems(tmp_path, 'compatibility = "strict"')[0].endswith(
        '`compatibility` is "strict"; expected one of NONE, BACKWARD, BACKWARD_TRANSITIVE, '
        "FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE"
    )


def test_the_repository_config(repo: Path) -> None:
    config = load_config(cwd=repo / "schemas" / "com", env={})
    assert config.source.display == "../../pyproject.toml"
    assert config.root == repo
    assert config.schemas == (repo / "schemas",)
    assert [(t.name, len(t.events), t.compatibility) for t in config.topics] == [
        ("orders", 3, Level.FULL_TRANSITIVE),
        ("payments", 2, Level.BACKWARD_TRANSITIVE),
    ]


def test_unknown_key_names_file_key_and_position(tmp_path: Path) -> None:
    diagnostic = only(tmp_path, 'schemas = ["s"]\noutptu = "x"\n')
    assert str(diagnostic) == (
        "contractgen.toml:2:1: CFG003 unknown key `outptu` in the config; did you mean `output`?"
    )
    assert diagnostic.location is not None and diagnostic.location.pointer == "/outptu"


def test_unknown_key_inside_a_topic(tmp_path: Path) -> None:
    text = TOPIC + TOPIC.replace("orders", "payments") + "  retention = 3\n"
    assert problems(tmp_path, text) == [
        "contractgen.toml:11:3: CFG003 unknown key `retention` in topics[1]; known keys: "
        "compatibility, dlq, events, key, key_field, name, partitions"
    ]


def test_unknown_key_in_pyproject_names_the_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.contractgen]\npackage = "p"\nschema = ["s"]\n'
    )
    with pytest.raises(ContractError) as raised:
        load_config(cwd=tmp_path, env={})
    assert [str(d) for d in raised.value.diagnostics] == [
        "pyproject.toml:6:1: CFG003 unknown key `schema` in tool.contractgen; "
        "did you mean `schemas`?"
    ]


def test_wrong_types(tmp_path: Path) -> None:
    text = """frozen = "yes"
schemas = "schemas"

[[topics]]
name = "t"
key = "string"
events = []
partitions = true
"""
    assert problems(tmp_path, text) == [
        "contractgen.toml:1:1: CFG004 `frozen` must be a boolean, not a string",
        "contractgen.toml:2:1: CFG004 `schemas` must be an array, not a string",
        "contractgen.toml:7:1: CFG004 `topics[0].events` must be a non-empty array of strings",
        "contractgen.toml:8:1: CFG004 `topics[0].partitions` must be an integer, not a boolean",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'compatibility = "BACKWARDS"',
            '`compatibility` is "BACKWARDS"; expected one of NONE, '
            "BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE",
        ),
        (
            'subject_strategy = "TopicNameStrategy"',
            '`subject_strategy` is "TopicNameStrategy"; '
            "expected one of topic, record, topic_record",
        ),
        ('flavour = "attrs"', '`flavour` is "attrs"; expected one of dataclasses, pydantic'),
        ('package = "my-events"', "package `my-events` is not a dotted Python name"),
        ('[lint]\nx = "fatal"', '`lint.x` is "fatal"; expected one of off, warn, error'),
    ],
)
def test_invalid_values(tmp_path: Path, text: str, expected: str) -> None:
    diagnostic = only(tmp_path, text)
    assert diagnostic.code == "CFG005"
    assert diagnostic.message == expected
    assert diagnostic.location is not None and diagnostic.location.file == "contractgen.toml"


def test_bad_level_in_a_topic_points_at_its_line(tmp_path: Path) -> None:
    assert problems(tmp_path, TOPIC + 'compatibility = "STRICT"\n')[0].startswith(
        'contractgen.toml:6:1: CFG005 `topics[0].compatibility` is "STRICT"'
    )


def test_topic_checks(tmp_path: Path) -> None:
    text = TOPIC + TOPIC + 'dlq = "orders dlq"\npartitions = 0\n\n[[topics]]\nkey = "1x"\n'
    assert problems(tmp_path, text) == [
        "contractgen.toml:8:1: CFG006 topic `orders` is declared twice",
        "contractgen.toml:11:1: CFG005 `orders dlq` is not a Kafka topic name "
        "(1-249 letters, digits, '.', '_', '-')",
        "contractgen.toml:12:1: CFG005 `partitions` must be at least 1",
        "contractgen.toml:14:3: CFG004 `topics[2]` has no `name`",
        "contractgen.toml:14:3: CFG004 `topics[2]` has no `events`",
        "contractgen.toml:15:1: CFG005 `1x` is not an Avro type name",
    ]


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as raised:
        load_config("nowhere/contractgen.toml", cwd=tmp_path, env={})
    (diagnostic,) = raised.value.diagnostics
    assert str(diagnostic) == (
        "nowhere/contractgen.toml:1:1: CFG001 cannot read config file nowhere/contractgen.toml: "
        "No such file or directory"
    )


def test_no_config_anywhere_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "not-contracts"\n')
    with pytest.raises(ContractError) as raised:
        load_config(cwd=tmp_path, env={})
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "CFG001"
    assert "contractgen init" in diagnostic.message


def test_explicit_pyproject_without_the_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(ContractError) as raised:
        load_config("pyproject.toml", cwd=tmp_path, env={})
    assert (
        str(raised.value)
        == "pyproject.toml:1:1: CFG001 pyproject.toml has no [tool.contractgen] table"
    )


def test_invalid_toml_points_at_the_error(tmp_path: Path) -> None:
    assert problems(tmp_path, 'schemas = ["a",\noutput = "x"\n') == [
        "contractgen.toml:2:1: CFG002 invalid TOML: Invalid value"
    ]


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "contractgen.toml").write_text(
        'schemas = ["avro"]\n[registry]\nurl = "embedded:db.sqlite"\n'
    )
    (tmp_path / "deep" / "er").mkdir(parents=True)
    config = load_config(cwd=tmp_path / "deep" / "er", env={})
    assert config.source.display == "../../contractgen.toml"
    assert config.schemas == (tmp_path / "avro",)
    assert config.registry.embedded_path == tmp_path / "db.sqlite"


def test_registry_url_from_the_environment(tmp_path: Path) -> None:
    text = '[registry]\nurl = "http://from-config:8081"\n'
    env = {"SCHEMA_REGISTRY_URL": "http://schema-registry:8081"}
    assert load(tmp_path, text, env).registry.url == "http://schema-registry:8081"
    env["CONTRACTGEN_REGISTRY_URL"] = "embedded:local.db"
    assert load(tmp_path, text, env).registry.url == f"embedded:{tmp_path / 'local.db'}"


def test_credentials_only_from_the_environment(tmp_path: Path) -> None:
    env = {"CONTRACTGEN_REGISTRY_USER": "svc", "CONTRACTGEN_REGISTRY_PASSWORD": "s3cret"}
    config = load(tmp_path, "", env)
    assert (config.registry.credentials.user, config.registry.credentials.password) == (
        "svc",
        "s3cret",
    )
    assert config.registry.credentials.token is None
    assert "s3cret" not in repr(config)

    diagnostic = only(tmp_path, '[registry]\nurl = "https://r"\npassword = "s3cret"\n')
    assert diagnostic.code == "CFG003"
    assert "read only from the environment" in diagnostic.message
    assert diagnostic.location is not None and diagnostic.location.line == 3


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    found = problems(tmp_path, 'compatibility = "X"\nfrozen = 1\nwat = 2\n')
    assert [line.split(": ")[0] for line in found] == [
        "contractgen.toml:1:1",
        "contractgen.toml:2:1",
        "contractgen.toml:3:1",
    ]


@pytest.mark.parametrize("var", ["CONTRACTGEN_REGISTRY_URL", "SCHEMA_REGISTRY_URL"])
def test_a_url_variable_set_but_empty_is_an_error(tmp_path: Path, var: str) -> None:
    # GitHub Actions sets `${{ secrets.X }}` to "" when the secret is missing: falling back to
    # the config's (empty, embedded) registry would pass every check.
    with pytest.raises(ContractError) as raised:
        load(tmp_path, "", {var: ""})
    assert [str(d) for d in raised.value.diagnostics] == [
        f"CFG005 {var} is set but empty: set it to your registry's URL, or unset it to use the "
        "config's registry"
    ]


def test_the_first_url_variable_set_wins(tmp_path: Path) -> None:
    env = {"CONTRACTGEN_REGISTRY_URL": "http://a:8081", "SCHEMA_REGISTRY_URL": ""}
    assert load(tmp_path, "", env).registry.url == "http://a:8081"


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1:9", "notaurl", "http://", "http://host:port", "http://a,ftp://b"]
)
def test_a_registry_url_that_is_not_http_or_embedded(tmp_path: Path, url: str) -> None:
    with pytest.raises(ContractError) as raised:
        load(tmp_path, "", {"CONTRACTGEN_REGISTRY_URL": url})
    (diagnostic,) = raised.value.diagnostics
    assert str(diagnostic) == (
        f"CFG005 CONTRACTGEN_REGISTRY_URL is {url!r}: expected embedded:<file> or "
        "http(s)://host[:port][/path] (comma-separated for several)"
    )


def test_a_bad_registry_url_in_the_config_points_at_the_key(tmp_path: Path) -> None:
    diagnostic = only(tmp_path, '[registry]\nurl = "embedded:"\n')
    assert str(diagnostic) == (
        "contractgen.toml:2:1: CFG005 `registry.url` is 'embedded:' with no file: expected "
        "embedded:<file>, e.g. embedded:registry.db"
    )


def test_a_bad_registry_url_never_shows_a_password(tmp_path: Path) -> None:
    with pytest.raises(ContractError) as raised:
        load(tmp_path, "", {"SCHEMA_REGISTRY_URL": "htp://svc:s3cret@registry:8081"})
    assert "s3cret" not in str(raised.value)
    assert "'htp://***@registry:8081'" in str(raised.value)


def test_valid_registry_urls(tmp_path: Path) -> None:
    for url in ("http://r:8081", "https://u:p@r/prefix", "http://a:8081, http://b:8081"):
        assert load(tmp_path, "", {"SCHEMA_REGISTRY_URL": url}).registry.url == url


def test_lint_rule_names_are_checked_with_the_project(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    text = (
        '[lint]\nmissing-doc = "error"\nsubject-new = "off"\nmising-doc = "warn"\n'
        'bogus-rule = "error"\n'
    )
    assert load(tmp_path, text).lint["bogus-rule"] is Severity.ERROR  # config knows no rules
    with pytest.raises(ContractError) as raised:
        load_project(cwd=tmp_path)
    first, second = (str(d) for d in raised.value.diagnostics)
    assert first == (
        "contractgen.toml:4:1: CFG003 unknown lint rule `mising-doc` in `[lint]`; "
        "did you mean `missing-doc`?"
    )
    assert second.startswith(
        "contractgen.toml:5:1: CFG003 unknown lint rule `bogus-rule` in `[lint]`; known rules: "
    )
    assert "enum-without-default, event-removed," in second
    assert "TYPE_MISMATCH" not in second  # wire rules take no severity


def test_lint_rule_names_are_reported_with_ir_problems(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    load(tmp_path, TOPIC + '[lint]\nbogus = "warn"\n')
    with pytest.raises(ContractError) as raised:
        load_project(cwd=tmp_path)
    assert [d.code for d in raised.value.diagnostics] == ["CFG003", "IR001"]


def test_topics_kafka_cannot_tell_apart_are_refused(tmp_path: Path) -> None:
    """Kafka refuses `a_b` beside `a.b` (one name in its metrics): so does the config, at once,
    for the topics and for their dead-letter topics."""
    second = TOPIC.replace('"orders"', '"or.ders"')
    dlq = TOPIC.replace('"orders"', '"payments"') + 'dlq = "or_ders-dlq"\n'
    load(tmp_path, TOPIC + second.replace('"or.ders"', '"or_ders"') + dlq)  # shares a DLQ: fine
    clash = dlq.replace('"or_ders-dlq"', '"or.ders-dlq"')
    assert problems(tmp_path, TOPIC.replace('"orders"', '"or_ders"') + second + clash) == [
        "contractgen.toml:8:1: CFG006 topics `or_ders` and `or.ders` collide: Kafka refuses "
        "to create both, as their names differ only in '.' and '_' (one name in Kafka's "
        "metrics); rename one",
        "contractgen.toml:16:1: CFG006 topics `or_ders-dlq` and `or.ders-dlq` collide: Kafka "
        "refuses to create both, as their names differ only in '.' and '_' (one name in "
        "Kafka's metrics); rename one",
    ]
