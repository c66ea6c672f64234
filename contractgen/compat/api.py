"""The library entry point: parse Avro schema texts and check compatibility as a registry would.

A small, stable surface for other tools and notebooks (re-exported by `contractgen.compat`):

- `parse(text, strict=...)`: Avro Java's `Schema.Parser`; strict as a registry parses a *new*
  schema (valid names, valid defaults), lenient as it reads a *stored* one.
- `canonical(text)`: the registry's canonical string (Avro Java's `Schema.toString()`).
- `check(new, earlier, level)`: the new schema text against earlier texts (oldest first) at a
  Confluent level: `is_compatible`, Confluent's verbose `messages` and located `findings`.
- `check_pair(reader, writer, direction)`: the one reader/writer check every level is made of.

Every function raises `SchemaError` (a `ContractError` listing located diagnostics) for a schema
Avro Java would refuse. `contractgen compat` reads its files through `parse` and runs the same
level check (`compat.levels`), adding lint, hints and report formats on top.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from contractgen.avro.canonical import canonical_string
from contractgen.avro.parse import parse_schema
from contractgen.compat.levels import Direction, HistoryVersion, LevelResult, check_level
from contractgen.compat.locate import locate
from contractgen.compat.messages import direction_messages, verbose_messages
from contractgen.compat.resolution import Resolution, check_reader_writer
from contractgen.diagnostics import ContractError
from contractgen.ir.model import AvroSchema, Level, Location, NamedType

SchemaError = ContractError
"""Raised for a schema that does not parse; `.diagnostics` holds every located problem."""


@dataclass(frozen=True, slots=True, eq=False)
class ParsedSchema:
    """A parsed schema: the model the engine works on and its canonical string."""

    schema: AvroSchema
    text: Callable[[], str] = field(repr=False)
    """Makes the canonical string (once: it keeps it); read `canonical`. A check reads it only
    to report a failure, and a big schema's is megabytes."""

    @property
    def canonical(self) -> str:
        """Avro Java's `Schema.toString()`: what a registry stores and de-duplicates on."""
        return self.text()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParsedSchema):
            return NotImplemented
        return (self.schema, self.canonical) == (other.schema, other.canonical)

    def __hash__(self) -> int:
        return hash((self.schema, self.canonical))


def parse(
    text: str,
    *,
    strict: bool = True,
    file: str = "<schema>",
    named: Mapping[str, NamedType] | None = None,
) -> ParsedSchema:
    """Parse one schema text as Avro Java 1.12 does. Raises SchemaError.

    `strict=True` is how a registry parses a new schema (name validation, default validation);
    `strict=False` how it reads a stored one. `file` names the text in diagnostics; `named` holds
    types defined elsewhere (schema references) that the text may use by name.
    """
    schema = parse_schema(text, file=file, strict=strict, named=named)
    return ParsedSchema(schema, functools.cache(functools.partial(canonical_string, schema)))


def canonical(text: str) -> str:
    """The canonical string of a schema text, parsed leniently as a registry stores it."""
    return parse(text, strict=False).canonical


@dataclass(frozen=True, slots=True)
class Finding:
    """One incompatibility, as Avro Java reports it, located in the reader schema's text."""

    type: str
    """One of Avro's six `SchemaIncompatibilityType`s (`TYPE_MISMATCH`, ...)."""
    location: str
    """JSON pointer into the reader schema (`/fields/1/type/0`)."""
    message: str
    """Java's message (`reader type: INT not compatible with writer type: STRING`)."""
    where: Location | None
    """Where the pointer is written in the reader's text (`file:line:col`), when known."""


@dataclass(frozen=True, slots=True)
class PairResult:
    """One reader/writer check (`SchemaCompatibility.checkReaderWriterCompatibility`)."""

    direction: str
    """`backward` (reader = new, writer = old) or `forward` (reader = old, writer = new)."""
    findings: tuple[Finding, ...]
    error: str | None
    """Set when Java throws instead of answering (a field alias matching two writer fields)."""
    resolution: Resolution = field(repr=False, compare=False)

    @property
    def is_compatible(self) -> bool:
        return not self.findings and self.error is None

    def confluent_messages(self, *, strict_format: bool = False) -> tuple[str, ...]:
        """Confluent's messages for this check alone, after its `String.format` pass.

        Where Java's formatter throws (a doc holding `% d`), Confluent's request fails; with
        `strict_format` this raises JavaFormatError as Java does, otherwise the message is kept
        unformatted (what contractgen reports, see `messages.confluent_format`).
        """
        found = direction_messages(self.resolution, Direction(self.direction), strict=strict_format)
        return tuple(found)


def _located(resolution: Resolution, reader: AvroSchema) -> tuple[Finding, ...]:
    return tuple(
        Finding(str(i.type), i.location, i.message, locate(reader, i.location).location)
        for i in resolution.incompatibilities
    )


def check_pair(reader: ParsedSchema, writer: ParsedSchema, direction: str) -> PairResult:
    """Can `reader` read what `writer` wrote? `direction` only names the roles in messages."""
    resolution = check_reader_writer(reader.schema, writer.schema)
    findings = _located(resolution, reader.schema)
    return PairResult(Direction(direction).value, findings, resolution.error, resolution)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A level check of a new schema against earlier versions, as a Confluent registry runs it."""

    is_compatible: bool
    messages: tuple[str, ...]
    """Confluent's verbose `messages` (empty when compatible)."""
    findings: tuple[Finding, ...]
    """Every incompatibility of the failing version, both directions, located in the reader."""
    failing_version: int | None
    """1-based number of the earlier text that failed, or None."""
    result: LevelResult


def check(new: str, earlier: Sequence[str], level: str | Level = Level.BACKWARD) -> CheckResult:
    """Check the `new` schema text against `earlier` texts (oldest first, versions 1..n).

    The new text is parsed strictly and the earlier ones leniently, as a registry does.
    Raises SchemaError for a text that does not parse, ValueError for an unknown level.
    """
    candidate = parse(new, strict=True, file="<new schema>")
    history = []
    for number, text in enumerate(earlier, start=1):
        old = parse(text, strict=False, file=f"<version {number}>")
        history.append(HistoryVersion(old.schema, old.text, number, f"version {number}"))
    result = check_level(candidate.schema, history, Level(str(level).upper()))
    findings: list[Finding] = []
    failing = result.failing
    if failing is not None:
        for half in failing.results:
            reader = (
                candidate.schema if half.direction is Direction.BACKWARD else failing.against.schema
            )
            findings += _located(half.resolution, reader)
    return CheckResult(
        result.is_compatible,
        tuple(verbose_messages(result)),
        tuple(findings),
        failing.against.version if failing is not None else None,
        result,
    )
