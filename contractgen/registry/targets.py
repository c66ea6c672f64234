"""What `register` sends: one target per subject, inline (the default) or with schema references.

Inline: each contract's self-contained schema (named types from other files written in full, as
the ContractSet has them). References mode: every named type defined in another file than the
schema using it becomes its own subject (named by its full name, as RecordNameStrategy would),
registered first, in dependency order; the schemas using it name it and carry a reference.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contractgen.avro.resolve import self_contained
from contractgen.ir.model import AvroSchema, ContractSet, Level, NamedRef

_NAMED = ("record", "error", "enum", "fixed")


@dataclass(frozen=True, slots=True)
class Target:
    subject: str
    level: Level
    schema: AvroSchema
    """Fully resolved, with file locations: what the engine checks and explains."""
    text: str
    """The schema string sent to the registry."""
    references: tuple[str, ...] = ()
    """Full names of the named types it references; each one's subject is its full name."""


def inline_targets(contracts: ContractSet) -> list[Target]:
    return [
        Target(c.subject, c.level, c.schema, c.identity.canonical) for c in contracts.contracts()
    ]


def _fullname(node: Mapping[str, Any], space: str | None) -> str:
    name = str(node["name"])
    if "." in name:
        return name
    namespace = node.get("namespace", space)
    return f"{namespace}.{name}" if namespace else name


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class _Splitter:
    """Walks canonical JSON; definitions from another file than the enclosing one move out."""

    def __init__(self, type_files: Mapping[str, str]) -> None:
        self.type_files = type_files
        self.parts: dict[str, tuple[str, tuple[str, ...]]] = {}
        """Full name → (text, direct references), in dependency order (references first)."""

    def walk(self, node: Any, home: str | None, space: str | None, deps: list[str]) -> Any:
        if isinstance(node, list):
            return [self.walk(branch, home, space, deps) for branch in node]
        if isinstance(node, str):
            return self.named_use(node, home, space, deps)
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        if kind in _NAMED:
            fullname = _fullname(node, space)
            own_space = fullname.rpartition(".")[0] or None
            if self.type_files.get(fullname) == home:
                return self.body(node, home, own_space, deps)
            self.extract(node, fullname, own_space)
            if fullname not in deps:
                deps.append(fullname)
            return fullname
        if kind == "array":
            return {**node, "items": self.walk(node["items"], home, space, deps)}
        if kind == "map":
            return {**node, "values": self.walk(node["values"], home, space, deps)}
        return node

    def named_use(self, name: str, home: str | None, space: str | None, deps: list[str]) -> str:
        """A type used by name (defined earlier in the schema): from another file, a reference
        too, on every use, or the registry cannot resolve it in the subject that uses it."""
        fullname = name if "." in name or not space else f"{space}.{name}"
        if fullname not in self.type_files:
            fullname = name  # a primitive, or a name in the null namespace
        file = self.type_files.get(fullname)
        if file is None or file == home:
            return name
        if fullname not in deps:
            deps.append(fullname)
        return fullname

    def body(
        self, node: dict[str, Any], home: str | None, space: str | None, deps: list[str]
    ) -> Any:
        if "fields" not in node:
            return node
        fields = [{**f, "type": self.walk(f["type"], home, space, deps)} for f in node["fields"]]
        return {**node, "fields": fields}

    def extract(self, node: dict[str, Any], fullname: str, space: str | None) -> None:
        if fullname in self.parts:
            return
        deps: list[str] = []
        body = self.body(node, self.type_files.get(fullname), space, deps)
        if "." not in body["name"] and "namespace" not in body and space:
            # Now a top-level schema: the namespace it inherited must be written out.
            items = list(body.items())
            at = next(i for i, (key, _) in enumerate(items) if key == "name") + 1
            body = dict([*items[:at], ("namespace", space), *items[at:]])
        self.parts[fullname] = (_compact(body), tuple(deps))


def reference_targets(contracts: ContractSet) -> list[Target]:
    """Referenced types first (dependency order), then the contracts' own subjects."""
    splitter = _Splitter(contracts.type_files)
    levels: dict[str, Level] = {}
    roots: list[Target] = []
    for contract in contracts.contracts():
        root = contract.schema.root
        home = contracts.type_files.get(getattr(root, "fullname", ""))
        deps: list[str] = []
        before = set(splitter.parts)
        text = _compact(splitter.walk(json.loads(contract.identity.canonical), home, None, deps))
        for name in splitter.parts.keys() - before:
            levels[name] = contract.level  # a shared type follows the first contract using it
        roots.append(Target(contract.subject, contract.level, contract.schema, text, tuple(deps)))
    parts = [
        Target(
            name,
            levels[name],
            self_contained(NamedRef(name), contracts.types),
            text,
            deps,
        )
        for name, (text, deps) in splitter.parts.items()
    ]
    return [*parts, *roots]


def targets(contracts: ContractSet, *, references: bool) -> Sequence[Target]:
    return reference_targets(contracts) if references else inline_targets(contracts)
