"""The attributes every schema object may have, read as Avro Java's `Schema.Parser` reads them:
custom properties, names (checked in strict mode) and aliases. The parser is built on this."""

from __future__ import annotations

from typing import TypeAlias

from contractgen.avro import names
from contractgen.avro.jnodes import JPrimitive
from contractgen.avro.jresolve import INVALID_SCHEMA
from contractgen.avro.positions import TextLocation
from contractgen.diagnostics import Diagnostic
from contractgen.ir.model import PRIMITIVE_NAMES, JsonValue, Props

INVALID_NAME = "AVRO005"
_INT64 = range(-(2**63), 2**63)
Object: TypeAlias = dict[str, JsonValue]


class AttributeReader:
    """Collects every problem, each with its location, so the user sees all of them at once."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.problems: list[Diagnostic] = []

    def problem(self, code: str, message: str, where: TextLocation) -> JPrimitive:
        """Note a problem; the node that stands in for what could not be read."""
        self.problems.append(Diagnostic(code, message, where))
        return JPrimitive("null", (), where)

    def props(
        self, node: Object, skip: frozenset[str], where: TextLocation, *, copied: bool
    ) -> Props:
        if node.keys() <= skip:
            return ()  # the usual case, decided without a Python step per key
        props = tuple((k, v) for k, v in node.items() if k not in skip)
        for key, value in props if copied else ():
            # Java copies the properties of records, arrays and maps at the end of the parse,
            # through Java objects: an integer beyond a long has none, and Java refuses it.
            if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
                self.problem(
                    INVALID_SCHEMA, f"property {key!r} is an integer beyond 64 bits", where
                )
        return props

    def validate(self, text: str, what: str, where: TextLocation, member: str) -> None:
        """A simple name, in strict mode; a problem at `where`'s `member`."""
        if self.strict and not names.is_valid_name(text):
            self.problem(
                INVALID_NAME,
                f"invalid {what} {text!r}: it must match [A-Za-z_][A-Za-z0-9_]*",
                where.child(member),
            )

    def name(self, node: Object, where: TextLocation, space: str | None) -> str | None:
        """Java's `new Name(name, namespace)`: the full name of a definition, or None."""
        name = node.get("name")
        if not isinstance(name, str):
            self.problem(INVALID_SCHEMA, 'a named type needs a "name"', where)
            return None
        explicit = node.get("namespace")
        full = names.java_fullname(name, explicit if isinstance(explicit, str) else space)
        # Java checks the name here and the namespace when it registers the type: the same
        # verdict, reported once.
        if self.strict and not names.is_valid_fullname(full):
            self.problem(
                INVALID_NAME,
                f"invalid name {full!r}: every part must match [A-Za-z_][A-Za-z0-9_]*",
                where.child("name"),
            )
        if full in PRIMITIVE_NAMES:
            self.problem(
                INVALID_NAME,
                f"a named type cannot be called {full!r} (a primitive type)",
                where.child("name"),
            )
        return full

    def aliases(self, node: Object, where: TextLocation) -> list[str] | None:
        raw = node.get("aliases")
        if raw is None and "aliases" not in node:
            return None
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            self.problem(
                INVALID_SCHEMA, '"aliases" must be an array of strings', where.child("aliases")
            )
            return None
        return [str(a) for a in raw]

    def type_aliases(self, node: Object, where: TextLocation, full: str) -> tuple[str, ...]:
        namespace = full.rpartition(".")[0] or None
        found: dict[str, None] = {}
        for alias in self.aliases(node, where) or ():
            self.validate(alias.rpartition(".")[2], "alias", where, "aliases")
            found[names.java_fullname(alias, namespace)] = None
        return tuple(found)
