"""Typed project configuration, from `contractgen.toml` or `[tool.contractgen]` in `pyproject.toml`.

Every stage reads a `Config`, never a dict. Loading reports every problem at once, each naming the
file, the key and its line:col, so a typo in the config reads like a compiler error. Registry
credentials come only from the environment: a config file is committed, a password must not be.
"""

from __future__ import annotations

import difflib
import keyword
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar
from urllib.parse import urlsplit

from contractgen.config_file import PYPROJECT_FILE, Keys, TomlSource, fail
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import Level

CONFIG_FILE = "contractgen.toml"
EMBEDDED_SCHEME = "embedded:"
DEFAULT_REGISTRY_URL = EMBEDDED_SCHEME + ".contractgen/registry.db"
URL_ENV_VARS = ("CONTRACTGEN_REGISTRY_URL", "SCHEMA_REGISTRY_URL")
"""Environment variables that override the configured registry URL, first match wins."""


class Flavour(StrEnum):
    DATACLASSES = "dataclasses"
    PYDANTIC = "pydantic"


class SubjectStrategy(StrEnum):
    """Confluent's subject name strategies: TopicName, RecordName, TopicRecordName."""

    TOPIC = "topic"
    RECORD = "record"
    TOPIC_RECORD = "topic_record"


class Severity(StrEnum):
    OFF = "off"
    WARN = "warn"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Credentials:
    # repr=False: a Config may end up in a log line or a traceback; secrets must not.
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class RegistryConfig:
    url: str = DEFAULT_REGISTRY_URL
    """`embedded:<absolute path>` for the embedded registry, else an http(s) URL."""
    credentials: Credentials = Credentials()
    references: bool = False
    """Register types from other files as subjects of their own, referenced (`register`)."""

    @property
    def embedded_path(self) -> Path | None:
        """The embedded registry's database file, or None for a remote registry."""
        if self.url.startswith(EMBEDDED_SCHEME):
            return Path(self.url.removeprefix(EMBEDDED_SCHEME))
        return None


@dataclass(frozen=True, slots=True)
class TopicConfig:
    name: str
    key: str
    """An Avro primitive name or the full name of a record."""
    events: tuple[str, ...]
    """Full names of the event records the topic carries, in the order they were declared."""
    key_field: str | None = None
    compatibility: Level | None = None
    partitions: int = 4
    dlq: str | None = None
    """The dead-letter topic's name, if failed events are routed to one."""


@dataclass(frozen=True, slots=True)
class DistributionConfig:
    """`[distribution]`: `generate` writes an installable distribution of the package."""

    name: str
    version: str


@dataclass(frozen=True, slots=True)
class Config:
    source: TomlSource = field(compare=False, repr=False)
    """Where the config was read from; `source.location(...)` points at a key for diagnostics."""
    schemas: tuple[Path, ...]
    output: Path
    package: str
    flavour: Flavour
    frozen: bool
    compatibility: Level
    subject_strategy: SubjectStrategy
    registry: RegistryConfig
    lint: Mapping[str, Severity]
    allowlist: Path | None
    topics: tuple[TopicConfig, ...]
    distribution: DistributionConfig | None = None

    @property
    def root(self) -> Path:
        """The directory of the config file: relative paths in it are relative to this."""
        return self.source.path.parent

    def level_of(self, topic: TopicConfig) -> Level:
        return topic.compatibility or self.compatibility


# The keys of each table and the TOML type of each value; README.md's configuration reference
# documents the same keys.
# fmt: off
_TOP_KEYS = {
    "schemas": list, "output": str, "package": str, "flavour": str, "frozen": bool,
    "compatibility": str, "subject_strategy": str, "registry": dict, "lint": dict,
    "allowlist": str, "topics": list, "distribution": dict,
}
_DISTRIBUTION_KEYS = {"name": str, "version": str}
_TOPIC_KEYS = {
    "name": str, "key": str, "key_field": str, "events": list, "compatibility": str,
    "partitions": int, "dlq": str,
}
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a float", bool: "a boolean",
               list: "an array", dict: "a table"}
# fmt: on
_REGISTRY_KEYS = {"url": str, "references": bool}
_CREDENTIAL_ENV = (
    "CONTRACTGEN_REGISTRY_USER and CONTRACTGEN_REGISTRY_PASSWORD, or CONTRACTGEN_REGISTRY_TOKEN"
)

_AVRO_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")  # PEP 508
_VERSION = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?")  # PEP 440, public
_KAFKA_TOPIC = re.compile(r"[A-Za-z0-9._-]{1,249}")

_E = TypeVar("_E", bound=StrEnum)


def find_config(start: Path) -> Path | None:
    """The nearest `contractgen.toml`, or `pyproject.toml` with a `[tool.contractgen]` table."""
    for directory in (start, *start.parents):
        if (directory / CONFIG_FILE).is_file():
            return directory / CONFIG_FILE
        pyproject = directory / PYPROJECT_FILE
        if pyproject.is_file() and re.search(
            r"^\s*\[+\s*tool\.contractgen\b",
            pyproject.read_text("utf-8", errors="replace"),
            re.MULTILINE,
        ):
            return pyproject
    return None


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    text: str | None = None,
) -> Config:
    """Read and validate the config at `path`, or the one found upward from `cwd`.

    `env` (default: `os.environ`) supplies the registry URL override and the credentials.
    `text`: the config's content, not read from `path` (a git state of the project).
    Raises ContractError with every problem found.
    """
    cwd = Path.cwd() if cwd is None else cwd
    env = os.environ if env is None else env
    found = cwd / path if path is not None else find_config(cwd)
    if found is None:
        missing = f"no {CONFIG_FILE}, nor {PYPROJECT_FILE} with a [tool.contractgen] table"
        fail("CFG001", f"{missing}, in {cwd} or its parents: run `contractgen init`", None)
    source = TomlSource.read(found.resolve(), cwd, text)
    return _Reader(source, cwd, env).config()


class _Reader:
    """Turns the TOML document into a Config, collecting every problem instead of stopping."""

    def __init__(self, source: TomlSource, cwd: Path, env: Mapping[str, str]) -> None:
        self.source = source
        self.cwd = cwd
        self.env = env
        self.problems: list[Diagnostic] = []

    def dotted(self, keys: Keys) -> str:
        return self.source.dotted(keys)

    def error(self, code: str, keys: Keys, message: str) -> None:
        self.problems.append(Diagnostic(code, message, self.source.location(*keys)))

    def config(self) -> Config:
        table = self.table(self.source.data, (), _TOP_KEYS)
        registry = self.table(table.get("registry", {}), ("registry",), _REGISTRY_KEYS)
        lint = self.table(table.get("lint", {}), ("lint",), None)
        allowlist = table.get("allowlist")
        config = Config(
            source=self.source,
            schemas=tuple(self.path(p) for p in self.names(table, ("schemas",), ["schemas"])),
            output=self.path(table.get("output", "generated")),
            package=self.package(table.get("package", "generated")),
            flavour=self.choice(table, ("flavour",), Flavour) or Flavour.DATACLASSES,
            frozen=bool(table.get("frozen", False)),
            compatibility=self.choice(table, ("compatibility",), Level) or Level.BACKWARD,
            subject_strategy=self.choice(table, ("subject_strategy",), SubjectStrategy)
            or SubjectStrategy.TOPIC,
            registry=self.registry(registry),
            lint=MappingProxyType(
                {rule: self.choice(lint, ("lint", rule), Severity) or Severity.OFF for rule in lint}
            ),
            allowlist=self.path(allowlist) if isinstance(allowlist, str) else None,
            topics=self.topics(table.get("topics", [])),
            distribution=self.distribution(table.get("distribution")),
        )
        if self.problems:
            raise ContractError(sorted(self.problems, key=_position))
        return config

    def table(self, value: Any, keys: Keys, schema: Mapping[str, type] | None) -> dict[str, Any]:
        """`value` as a table; with `schema`, unknown keys and wrongly typed values are reported
        and dropped, so later checks only see values of the right type."""
        if not isinstance(value, dict):
            self.error("CFG004", keys, f"`{self.dotted(keys)}` must be a table")
            return {}
        if schema is None:
            return value
        checked: dict[str, Any] = {}
        for key, item in value.items():
            if key not in schema:
                self.unknown(keys, key, schema)
            elif isinstance(item, schema[key]) and not (schema[key] is int and item is True):
                checked[key] = item
            else:
                self.error(
                    "CFG004",
                    (*keys, key),
                    f"`{self.dotted((*keys, key))}` must be {_TYPE_NAMES[schema[key]]}, "
                    f"not {_TYPE_NAMES.get(type(item), type(item).__name__)}",
                )
        return checked

    def unknown(self, keys: Keys, key: str, schema: Mapping[str, type]) -> None:
        where = self.dotted(keys) or "the config"
        if keys == ("registry",) and key in ("user", "username", "password", "token"):
            hint = f"credentials are read only from the environment ({_CREDENTIAL_ENV})"
        elif close := difflib.get_close_matches(key, schema, n=1, cutoff=0.7):
            hint = f"did you mean `{close[0]}`?"
        else:
            hint = "known keys: " + ", ".join(sorted(schema))
        self.error("CFG003", (*keys, key), f"unknown key `{key}` in {where}; {hint}")

    def names(self, table: Mapping[str, Any], keys: Keys, default: list[str]) -> list[str]:
        """An array of non-empty strings (schema roots, event names)."""
        value = table.get(str(keys[-1]), default)
        if not value or not all(isinstance(v, str) and v for v in value):
            self.error(
                "CFG004", keys, f"`{self.dotted(keys)}` must be a non-empty array of strings"
            )
            return []
        return list(value)

    def path(self, value: str) -> Path:
        return (self.source.path.parent / value).resolve()

    def package(self, value: str) -> str:
        if not all(p.isidentifier() and not keyword.iskeyword(p) for p in value.split(".")):
            self.error("CFG005", ("package",), f"package `{value}` is not a dotted Python name")
        return value

    def distribution(self, value: Any) -> DistributionConfig | None:
        if value is None:
            return None
        table = self.table(value, ("distribution",), _DISTRIBUTION_KEYS)
        name, version = table.get("name", ""), table.get("version", "")
        if not _DISTRIBUTION_NAME.fullmatch(name):
            self.error("CFG005", ("distribution", "name"), f"`{name}` is not a project name")
        if not _VERSION.fullmatch(version):
            self.error("CFG005", ("distribution", "version"), f"`{version}` is not a version")
        return DistributionConfig(name, version)

    def choice(self, table: Mapping[str, Any], keys: Keys, kind: type[_E]) -> _E | None:
        value = table.get(str(keys[-1]))
        if value is None:
            return None
        # Registries spell levels in either case (`PUT /config` takes "backward"): so do we.
        spelled = value.upper() if kind is Level and isinstance(value, str) else value
        try:
            return kind(spelled)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            self.error(
                "CFG005", keys, f'`{self.dotted(keys)}` is "{value}"; expected one of {allowed}'
            )
            return None

    def registry(self, table: Mapping[str, Any]) -> RegistryConfig:
        url = _anchor_embedded(DEFAULT_REGISTRY_URL, self.source.path.parent)
        # The first variable that is set wins. CI sets one to "" when its secret is missing:
        # falling back to the config's registry (often an empty embedded one) would then pass
        # every check silently, so a set but empty variable is an error.
        var = next((v for v in URL_ENV_VARS if v in self.env), None)
        if var is not None:
            value = self.env[var]
            if not value.strip():
                empty = (
                    f"{var} is set but empty: set it to your registry's URL, or unset it to use "
                    "the config's registry"
                )
                self.problems.append(Diagnostic("CFG005", empty))
            elif problem := registry_url_problem(value):
                self.problems.append(Diagnostic("CFG005", f"{var} {problem}"))
            else:
                url = _anchor_embedded(value.strip(), self.cwd)
        elif "url" in table:
            if wrong := registry_url_problem(table["url"]):
                self.error("CFG005", ("registry", "url"), f"`registry.url` {wrong}")
            elif re.search(r"://[^/@\s]*@", table["url"]):
                # The file is committed: a password in it would be published with it.
                where = f"credentials belong in the environment ({_CREDENTIAL_ENV})"
                self.error(
                    "CFG005", ("registry", "url"), f"`registry.url` holds credentials; {where}"
                )
            else:
                url = _anchor_embedded(table["url"], self.source.path.parent)
        credentials = Credentials(
            user=self.env.get("CONTRACTGEN_REGISTRY_USER") or None,
            password=self.env.get("CONTRACTGEN_REGISTRY_PASSWORD") or None,
            token=self.env.get("CONTRACTGEN_REGISTRY_TOKEN") or None,
        )
        references = bool(table.get("references", False))
        return RegistryConfig(url=url, credentials=credentials, references=references)

    def metric_collision(self, metric_names: dict[str, str], topic: str, keys: Keys) -> bool:
        """Kafka refuses a topic whose name differs from an existing one only in '.' and '_'
        (both become '_' in its metric names): say so here rather than when the topic is made."""
        other = metric_names.setdefault(topic.replace(".", "_"), topic)
        if other == topic:
            return False
        self.error(
            "CFG006",
            keys,
            f"topics `{other}` and `{topic}` collide: Kafka refuses to create both, as their "
            "names differ only in '.' and '_' (one name in Kafka's metrics); rename one",
        )
        return True

    def topics(self, value: list[Any]) -> tuple[TopicConfig, ...]:
        topics: list[TopicConfig] = []
        seen: set[str] = set()
        metric_names: dict[str, str] = {}
        for index, item in enumerate(value):
            keys = ("topics", index)
            table = self.table(item, keys, _TOPIC_KEYS)
            for required in ("name", "key", "events"):
                if isinstance(item, dict) and required not in item:
                    self.error("CFG004", keys, f"`{self.dotted(keys)}` has no `{required}`")
            name, key = table.get("name", ""), table.get("key", "")
            if name in seen:
                self.error("CFG006", (*keys, "name"), f"topic `{name}` is declared twice")
            seen.add(name)
            collided = bool(name) and self.metric_collision(metric_names, name, (*keys, "name"))
            dlq = table.get("dlq")
            if dlq is None and name and not collided:
                dlq = f"{name}-dlq"  # the default dead-letter topic (ir.build)
            if isinstance(dlq, str):
                self.metric_collision(metric_names, dlq, (*keys, "dlq"))
            for field_name in ("name", "dlq"):
                if field_name in table and not _is_topic_name(table[field_name]):
                    self.error(
                        "CFG005",
                        (*keys, field_name),
                        f"`{table[field_name]}` is not a "
                        "Kafka topic name (1-249 letters, digits, '.', '_', '-')",
                    )
            if key and not _AVRO_NAME.fullmatch(key):
                self.error("CFG005", (*keys, "key"), f"`{key}` is not an Avro type name")
            events = self.names(table, (*keys, "events"), []) if "events" in table else []
            for event in events:
                if not _AVRO_NAME.fullmatch(event):
                    self.error(
                        "CFG005", (*keys, "events"), f"event `{event}` is not an Avro full name"
                    )
            if table.get("partitions", 1) < 1:
                self.error("CFG005", (*keys, "partitions"), "`partitions` must be at least 1")
            topics.append(
                TopicConfig(
                    name=name,
                    key=key,
                    events=tuple(events),
                    key_field=table.get("key_field"),
                    compatibility=self.choice(table, (*keys, "compatibility"), Level),
                    partitions=table.get("partitions", 4),
                    dlq=table.get("dlq"),
                )
            )
        return tuple(topics)


def registry_url_problem(url: str) -> str | None:
    """What is wrong with a registry URL, as the end of a sentence naming where it came from;
    None when it is `embedded:<file>` or one or more comma-separated http(s) URLs."""
    accepted = (
        "expected embedded:<file> or http(s)://host[:port][/path] (comma-separated for several)"
    )
    if url.startswith(EMBEDDED_SCHEME):
        if url.removeprefix(EMBEDDED_SCHEME).strip():
            return None
        return "is 'embedded:' with no file: expected embedded:<file>, e.g. embedded:registry.db"
    for one in url.split(","):
        try:
            parts = urlsplit(one.strip())
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            valid = False
        if not valid:
            return f"is {_shorten(url)!r}: {accepted}"
    return None


def _shorten(url: str, limit: int = 80) -> str:
    """`url` fit for a message: userinfo (a password, perhaps) masked, at most `limit` chars."""
    # Everything between the scheme and the `@` of each URL: a password may hold a `/`.
    shown = re.sub(r"((?:^|,)\s*(?:[A-Za-z][A-Za-z0-9+.-]*://)?)[^,@\s]*@", r"\1***@", url)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.location.line, diagnostic.location.column) if diagnostic.location else (0, 0)


def _anchor_embedded(url: str, base: Path) -> str:
    """Make an embedded registry's relative database path absolute, against `base`."""
    if not url.startswith(EMBEDDED_SCHEME):
        return url
    return EMBEDDED_SCHEME + str((base / url.removeprefix(EMBEDDED_SCHEME)).resolve())


def _is_topic_name(name: str) -> bool:
    return bool(_KAFKA_TOPIC.fullmatch(name)) and name not in (".", "..")
