"""The rule table: every rule `compat` and `check` can report, with its purpose and its handler.

`wire` rules are Avro's six incompatibility types (plus Java's ambiguous-alias failure): they come
from the resolution engine and always fail the check, since a registry would refuse the schema.
Their handler turns one incompatibility into a finding with a fix hint. `lint` rules look at the
candidate (and the previous version, when there is one); their severity comes from the config's
`[lint]` table. `check` rules report what changed about subjects themselves; `allowlist` rules
keep the list of intentional breaks honest.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from contractgen.compat.findings import Severity
from contractgen.compat.levels import Direction
from contractgen.compat.lint import (
    LintInput,
    LintIssue,
    dropped_fields,
    lint_handlers,
    rename_hint,
)
from contractgen.compat.resolution import Incompatibility, IncompatibilityType
from contractgen.ir.model import Enum, Fixed, NamedRef, Record, Union

_NAMED = (Record, Enum, Fixed)


class Category(enum.StrEnum):
    WIRE = "wire"
    LINT = "lint"
    CHECK = "check"
    ALLOWLIST = "allowlist"


WireHandler = Callable[[Incompatibility, Direction], str]
"""Wire rules: the fix hint for one incompatibility in one direction."""
LintHandler = Callable[[LintInput], Iterable[LintIssue]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    purpose: str
    category: Category
    severity: Severity
    """The default severity (lint rules: when the config turns them on without saying how)."""
    hint: WireHandler | None = None
    """Wire rules' handler: explains one incompatibility."""
    lint: LintHandler | None = None
    """Lint rules' handler: finds issues in a candidate (and its previous version)."""
    enabled: bool = True
    """Whether the rule runs when the config says nothing about it."""


def _symbols(message: str) -> str:
    names = message.strip("[]").split(", ")
    quoted = ", ".join(f"'{n}'" for n in names)
    return f"symbol {quoted}" if len(names) == 1 else f"symbols {quoted}"


def _missing_default(i: Incompatibility, d: Direction) -> str:
    if d is Direction.BACKWARD:
        reader, writer = i.reader_fragment, i.writer_fragment
        dropped = (
            dropped_fields(reader, writer)
            if isinstance(reader, Record) and isinstance(writer, Record)
            else []
        )
        return rename_hint(i.message, dropped)
    return (
        f"readers of the previous version need field '{i.message}': keep it, or first release "
        "a version where it has a default"
    )


def _enum_symbols(i: Incompatibility, d: Direction) -> str:
    if d is Direction.BACKWARD:
        return f"keep {_symbols(i.message)} or add an enum default"
    return (
        f"readers of the previous version lack {_symbols(i.message)}: give the enum a default "
        "in a release before adding symbols"
    )


def _type_mismatch(i: Incompatibility, d: Direction) -> str:
    if d is Direction.BACKWARD:
        return (
            "keep the previous type (only promotions are safe: int→long→float→double, "
            "string↔bytes), or add a new field with a default instead"
        )
    reader, _, writer = i.message.removeprefix("reader type: ").partition(
        " not compatible with writer type: "
    )
    return (
        f"readers of the previous version expect {reader.lower() or 'the previous type'}: "
        "promotions only work from the old writer type to the new reader type (backward), so "
        f"old readers cannot read a widened or changed type ({writer.lower() or 'the new one'}); "
        "keep the previous type, or add a new field with a default instead"
    )


def _name_mismatch(i: Incompatibility, d: Direction) -> str:
    expected = i.message.removeprefix("expected: ")
    if d is Direction.BACKWARD:
        return f'keep the name \'{expected}\', or add "aliases": ["{expected}"]'
    known = i.reader_fragment.fullname if isinstance(i.reader_fragment, _NAMED) else "the old name"
    return (
        f"keep the name '{known}': readers of the previous version know only that name, and "
        "aliases on the new (writer) schema do not help old readers"
    )


def _fixed_size(i: Incompatibility, d: Direction) -> str:
    return f"keep the fixed size ({i.message}); a different size is a new type"


def _branch_name(i: Incompatibility) -> str:
    """The unreadable writer branch: its full name when it is a named type, else its type."""
    kind = i.message.removeprefix("reader union lacking writer type: ")
    writer = i.writer_fragment
    if isinstance(writer, Union):
        index = i.location.rpartition("/")[2]
        if not index.isdigit() or int(index) >= len(writer.branches):
            return kind
        writer = writer.branches[int(index)]
    return writer.fullname if isinstance(writer, (*_NAMED, NamedRef)) else kind


def _union_branch(i: Incompatibility, d: Direction) -> str:
    branch = _branch_name(i)
    if d is Direction.BACKWARD:
        return f"keep the {branch} branch in the union"
    return f"readers of the previous version have no {branch} branch: add it in a separate release"


AMBIGUOUS_ALIAS = "AMBIGUOUS_FIELD_ALIAS"
_AMBIGUOUS_HINT = "rename or drop the alias so the field matches one previous field only"

_WIRE: tuple[tuple[IncompatibilityType, str, WireHandler], ...] = (
    (IncompatibilityType.NAME_MISMATCH, "A named type's name changed.", _name_mismatch),
    (IncompatibilityType.FIXED_SIZE_MISMATCH, "A fixed type's size changed.", _fixed_size),
    (
        IncompatibilityType.MISSING_ENUM_SYMBOLS,
        "The reader's enum lacks symbols the writer may write and has no default.",
        _enum_symbols,
    ),
    (
        IncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE,
        "The reader has a field the writer lacks and the field has no default.",
        _missing_default,
    ),
    (
        IncompatibilityType.TYPE_MISMATCH,
        "A type changed to one the reader cannot promote from.",
        _type_mismatch,
    ),
    (
        IncompatibilityType.MISSING_UNION_BRANCH,
        "The writer may write a union branch the reader cannot read.",
        _union_branch,
    ),
)

RULES: Mapping[str, Rule] = {
    **{
        t.value: Rule(t.value, purpose, Category.WIRE, Severity.ERROR, hint=handler)
        for t, purpose, handler in _WIRE
    },
    AMBIGUOUS_ALIAS: Rule(
        AMBIGUOUS_ALIAS,
        "A reader field's name and aliases match several writer fields, which Avro Java rejects.",
        Category.WIRE,
        Severity.ERROR,
    ),
    **{
        rule_id: Rule(
            rule_id, purpose, Category.LINT, Severity.WARNING, lint=handler, enabled=enabled
        )
        for rule_id, purpose, handler, enabled in lint_handlers()
    },
    "subject-new": Rule(
        "subject-new", "A subject the baseline does not have.", Category.CHECK, Severity.NOTE
    ),
    "subject-removed": Rule(
        "subject-removed",
        "A subject the baseline has and the work tree no longer declares.",
        Category.CHECK,
        Severity.WARNING,
    ),
    "event-removed": Rule(
        "event-removed",
        "An event record the topic carried in the baseline and no longer does.",
        Category.CHECK,
        Severity.WARNING,
    ),
    "registry-disagrees": Rule(
        "registry-disagrees",
        "The registry's verdict differs from the local engine's: one of them is not Confluent's.",
        Category.CHECK,
        Severity.ERROR,
    ),
    "registry-level": Rule(
        "registry-level",
        "The registry's compatibility level for a subject differs from the configured one.",
        Category.CHECK,
        Severity.WARNING,
    ),
    "registry-dialect": Rule(
        "registry-dialect",
        "What a registry's API could not answer as asked, and how its verdict was assembled.",
        Category.CHECK,
        Severity.NOTE,
    ),
    "allowlist-expired": Rule(
        "allowlist-expired",
        "An accepted break whose expiry date has passed.",
        Category.ALLOWLIST,
        Severity.ERROR,
    ),
    "allowlist-unused": Rule(
        "allowlist-unused",
        "An accepted break that matches no finding any more.",
        Category.ALLOWLIST,
        Severity.ERROR,
    ),
}


def wire_rule(incompatibility: Incompatibility | None) -> Rule:
    """The rule for an incompatibility; None is Java's ambiguous-alias exception."""
    return RULES[incompatibility.type.value if incompatibility else AMBIGUOUS_ALIAS]


def hint_for(incompatibility: Incompatibility | None, direction: Direction) -> str:
    if incompatibility is None:
        return _AMBIGUOUS_HINT
    handler = wire_rule(incompatibility).hint
    return handler(incompatibility, direction) if handler else ""
