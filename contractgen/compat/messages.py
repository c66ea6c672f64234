"""Confluent's verbose compatibility `messages`, string for string.

Built as Confluent's `Difference`, `SchemaValidatorBuilder.formatErrorMessages` and
`KafkaSchemaRegistry` build them (COMPATIBILITY.md, "Verbose messages"): one string per
incompatibility with `new`/`old` put in the reader/writer slots for the direction, then
`{oldSchemaVersion: n}` and `{oldSchema: '...'}` for the failing version (not after FULL's forward
half), then the `{validateFields: ..., compatibility: ...}` trailer whenever anything was said.
Each incompatibility line goes through Confluent's `String.format` pass (`confluent_format`).
"""

from __future__ import annotations

from contractgen.compat.javaformat import JavaFormatError, java_format
from contractgen.compat.levels import Direction, DirectionResult, LevelResult, VersionCheck
from contractgen.compat.resolution import Incompatibility, IncompatibilityType, Resolution

MAX_SCHEMA_SIZE_FOR_LOGGING = 10 * 1024
UNEXPECTED = "Unexpected exception during compatibility check: "

# fmt: off
_DESCRIPTIONS: dict[IncompatibilityType, str] = {
    IncompatibilityType.FIXED_SIZE_MISMATCH:
        "The size of FIXED type field at path '{path}' in the {r} schema does not match with the "
        "{w} schema",
    IncompatibilityType.TYPE_MISMATCH:
        "The type (path '{path}') of a field in the {r} schema does not match with the {w} schema",
    IncompatibilityType.NAME_MISMATCH: "The name of the schema has changed (path '{path}')",
    IncompatibilityType.MISSING_ENUM_SYMBOLS:
        "The {r} schema is missing enum symbols '{message}' at path '{path}' in the {w} schema",
    IncompatibilityType.MISSING_UNION_BRANCH:
        "The {r} schema is missing a type inside a union field at path '{path}' in the {w} schema",
    IncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE:
        "The field '{message}' at path '{path}' in the {r} schema has no default value and is "
        "missing in the {w} schema",
}
# fmt: on


def roles(direction: Direction) -> tuple[str, str]:
    """Who is reader and who is writer, as Confluent names them: (`new`, `old`) when backward."""
    return ("new", "old") if direction is Direction.BACKWARD else ("old", "new")


def description(incompatibility: Incompatibility, direction: Direction) -> str:
    """Confluent's sentence for one incompatibility (`The field 'f2' at path ...`)."""
    reader, writer = roles(direction)
    return _DESCRIPTIONS[incompatibility.type].format(
        path=incompatibility.location, message=incompatibility.message, r=reader, w=writer
    )


def difference(incompatibility: Incompatibility, direction: Direction) -> str:
    """One incompatibility as Confluent's `Difference.toString()` prints it."""
    return (
        f"{{errorType:'{incompatibility.type}', "
        f"description:'{description(incompatibility, direction)}', "
        f"additionalInfo:'{incompatibility.message}'}}"
    )


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _utf16_prefix(text: str, units: int) -> str:
    # Java's String.substring counts UTF-16 code units; never split a surrogate pair.
    prefix = text.encode("utf-16-le")[: units * 2]
    return prefix.decode("utf-16-le", errors="ignore")


def old_schema_message(canonical: str) -> str:
    if _utf16_length(canonical) <= MAX_SCHEMA_SIZE_FOR_LOGGING:
        return f"{{oldSchema: '{canonical}'}}"
    return (
        f"{{oldSchema: <truncated> '{_utf16_prefix(canonical, MAX_SCHEMA_SIZE_FOR_LOGGING)}...'}}"
    )


def confluent_format(line: str, direction: Direction, *, strict: bool = False) -> str:
    """Confluent's `String.format(line, reader, writer)` pass over one message.

    `%s` in a doc becomes `new`/`old`, `%%` a percent sign, `%n` a newline. Where Java's
    formatter throws (a doc holding `100% done` has the specifier `% d`), Confluent's request
    fails outright; contractgen keeps the message unformatted instead (a verdict and readable
    messages beat an error), unless `strict`, which raises JavaFormatError as Java does.
    """
    try:
        return java_format(line, *roles(direction))
    except JavaFormatError:
        if strict:
            raise
        return line


def direction_messages(
    resolution: Resolution, direction: Direction, *, strict: bool = False
) -> list[str]:
    """One reader/writer check's messages, as Confluent's `isBackwardCompatible` returns them."""
    if resolution.error is not None:
        lines = [UNEXPECTED + resolution.error]
    else:
        lines = [difference(i, direction) for i in resolution.incompatibilities]
    return [confluent_format(line, direction, strict=strict) for line in lines]


def _half(result: DirectionResult, check: VersionCheck, append_schema: bool) -> list[str]:
    lines = direction_messages(result.resolution, result.direction)
    if lines and append_schema:
        if check.against.version is not None:
            lines.append(f"{{oldSchemaVersion: {check.against.version}}}")
        lines.append(old_schema_message(check.against.canonical))
    return lines


def version_messages(check: VersionCheck) -> list[str]:
    """The messages for one checked version, without the level trailer."""
    mutual = len(check.results) > 1
    lines: list[str] = []
    for result in check.results:
        # Under FULL, Confluent appends the old schema after the backward half only.
        lines += _half(result, check, not (mutual and result.direction is Direction.FORWARD))
    return lines


def verbose_messages(result: LevelResult, *, validate_fields: bool = False) -> list[str]:
    """What a Confluent registry puts in `messages` for this level check (empty when compatible)."""
    failing = result.failing
    if failing is None:
        return []
    lines = version_messages(failing)
    if lines:
        flag = "true" if validate_fields else "false"
        lines.append(f"{{validateFields: '{flag}', compatibility: '{result.level}'}}")
    return lines
