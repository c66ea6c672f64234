"""The Python side of an Avro type, as data: its annotation and the expressions converting a
value to and from fastavro's dict form (see `typemap` for how each Avro type gets one).

Conversions are plain expressions (comprehensions, method calls, tuple tags) built at generation
time, so `to_avro`/`from_avro` do no reflection per message. `None` means the value passes as is:
fastavro already converts decimal, string uuid, date, time and timestamps itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from contractgen.codegen.imports import Imports
from contractgen.ir.model import NamedType

Expr = Callable[[str], str]
"""Given the source of a value, the source of the converted value."""
Checks = Callable[[str, str], list[str]]
"""Given the source of a value and a string literal naming the field, statements validating it."""


class Scope(Protocol):
    """What a module being generated offers to type mapping."""

    imports: Imports
    named: Mapping[str, NamedType]

    def ref(self, fullname: str) -> str: ...

    def union_helpers(self, key: str, annotation: str, branches: list[PyType]) -> tuple[str, str]:
        """(writer, reader) helper function names for a union, defined once per module."""
        ...

    def duration(self) -> str: ...

    def has_class(self, fullname: str) -> bool:
        """Whether the named type has a generated class (records, enums, distinct fixed)."""
        ...

    def check(self, name: str) -> str: ...


@dataclass(frozen=True, slots=True)
class PyType:
    annotation: str
    write: Expr | None = None
    read: Expr | None = None
    checks: Checks | None = None
    runtime_class: str = "object"
    """The Python class fastavro reads this type as (union branches must differ in it)."""
    branch_name: str = ""
    """The name fastavro's tuple notation uses for this type as a union branch."""
    is_record: bool = False
    mutable: bool = False
    aliases: tuple[str, ...] = ()
    """Other full names a record branch may be read back as (its aliases)."""
    named: bool = False
    """A record, enum or fixed: fastavro returns it in a union as `(name, value)`."""
    own_class: bool = False
    """The annotation is a generated class of this type alone (an enum or a distinct fixed)."""


def indent(lines: list[str]) -> list[str]:
    return [f"    {line}" for line in lines]


def generic_alias(annotation: str) -> bool:
    """Whether `annotation` is `list[...]` or `dict[...]` alone, so callable as it is written
    (`list[int | str]([...])`), and not a union of types."""
    if not annotation.startswith(("list[", "dict[")) or not annotation.endswith("]"):
        return False
    depth = 0
    for char in annotation:
        depth += (char == "[") - (char == "]")
        if char == "|" and depth == 0:
            return False
    return True
