"""Writer schemas with schema references, made self-contained for decoding.

Why: `contractgen register --references`, and Confluent's own serializers, register a schema that
only *names* types defined under other subjects and lists those as references
(`{name, subject, version}`). A message's schema id then leads to text that no Avro parser accepts
alone, and the codec reads with one schema text. This module inlines every referenced named type
at its first use, as the registry itself resolves them, so the codec gets an ordinary schema.

Avro name resolution is kept: a short name resolves against the enclosing namespace (falling back
to the null namespace); an inlined definition is written with its full name (and no `namespace`),
so it and the short names inside it resolve exactly as they did in their own subject. A type is
defined once; every later use stays a name. Text that is not JSON is left as it is: the codec
reports it as an invalid schema, as it does for any other.

This module only transforms text; fetching (retries, caching, what a missing reference means) is
the caller's (`registry.SchemaIds`), through the `fetch` it passes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

_NAMED = frozenset({"record", "error", "enum", "fixed"})
_OTHER_TYPES = frozenset(
    {"null", "boolean", "int", "long", "float", "double", "bytes", "string", "array", "map"}
)


class Reference(NamedTuple):
    """One entry of a registered schema's `references`."""

    name: str
    subject: str
    version: int


class Fetched(NamedTuple):
    """A referenced subject version: its schema text and its own references."""

    text: str
    references: tuple[Reference, ...]


Fetch = Callable[[str, int], Fetched]
"""(subject, version) -> that version; raises whatever the caller makes of a missing one."""


def self_contained(text: str, references: Iterable[Reference], fetch: Fetch) -> str:
    """`text` with the named types of its references (and theirs, recursively) inlined."""
    try:
        root = json.loads(text)
    except ValueError:
        return text
    definitions: dict[str, tuple[dict[str, Any], str]] = {}
    for fetched in _closure(references, fetch):
        try:
            _collect(json.loads(fetched.text), "", definitions)
        except ValueError:
            continue  # its types stay undefined: the codec names the missing type
    inliner = _Inliner(definitions)
    return json.dumps(inliner.walk(root, ""), separators=(",", ":"), ensure_ascii=False)


def _closure(references: Iterable[Reference], fetch: Fetch) -> list[Fetched]:
    """Every subject version reachable through references, each fetched once: a cycle (types of
    two subjects using each other) or a diamond ends at a version already seen."""
    seen: set[tuple[str, int]] = set()
    found: list[Fetched] = []
    pending = list(references)
    while pending:
        ref = pending.pop(0)
        key = (ref.subject, ref.version)
        if key in seen:
            continue
        seen.add(key)
        fetched = fetch(ref.subject, ref.version)
        found.append(fetched)
        pending.extend(fetched.references)
    return found


def _fullname(node: dict[str, Any], space: str) -> str:
    name = str(node.get("name", ""))
    if "." in name:
        return name
    namespace = node.get("namespace", space) or ""
    return f"{namespace}.{name}" if namespace else name


def _space_of(fullname: str) -> str:
    return fullname.rpartition(".")[0]


def _collect(node: Any, space: str, into: dict[str, tuple[dict[str, Any], str]]) -> None:
    """Every named type defined in `node` (nested ones too): full name -> (definition, the
    namespace it was defined in). The first definition of a name wins."""
    if isinstance(node, list):
        for branch in node:
            _collect(branch, space, into)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in _NAMED:
        fullname = _fullname(node, space)
        into.setdefault(fullname, (node, space))
        for field in node.get("fields") or ():
            if isinstance(field, dict):
                _collect(field.get("type"), _space_of(fullname), into)
    elif kind == "array":
        _collect(node.get("items"), space, into)
    elif kind == "map":
        _collect(node.get("values"), space, into)
    elif isinstance(kind, list | dict):
        _collect(kind, space, into)


class _Inliner:
    def __init__(self, definitions: dict[str, tuple[dict[str, Any], str]]) -> None:
        self.definitions = definitions
        self.defined: set[str] = set()

    def walk(self, node: Any, space: str) -> Any:
        if isinstance(node, str):
            return self.use(node, space)
        if isinstance(node, list):
            return [self.walk(branch, space) for branch in node]
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        if kind in _NAMED:
            return self.define(node, space, inlined=False)
        if kind == "array" and "items" in node:
            return {**node, "items": self.walk(node["items"], space)}
        if kind == "map" and "values" in node:
            return {**node, "values": self.walk(node["values"], space)}
        if kind not in _OTHER_TYPES:  # {"type": "Money"}, {"type": {...}} or {"type": [...]}
            return {**node, "type": self.walk(kind, space)}
        return node

    def use(self, name: str, space: str) -> Any:
        """A type named where it is used: inlined if it is referenced and not yet defined."""
        fullname = self.resolve(name, space)
        if fullname is None or fullname in self.defined:
            return name
        definition, its_space = self.definitions[fullname]
        return self.define(definition, its_space, inlined=True, at=space)

    def resolve(self, name: str, space: str) -> str | None:
        """The full name `name` means here, if it is a referenced type; None otherwise."""
        candidates = [name] if "." in name or not space else [f"{space}.{name}", name]
        for fullname in candidates:
            if fullname in self.defined or fullname in self.definitions:
                return fullname
        return None

    def define(self, node: dict[str, Any], space: str, *, inlined: bool, at: str = "") -> Any:
        """`node` (defined in namespace `space`) written where the namespace is `at`."""
        fullname = _fullname(node, space)
        if fullname in self.defined:  # a second definition (say, nested in a referenced type)
            return fullname
        self.defined.add(fullname)
        out = dict(node)
        if inlined:
            out["name"] = fullname
            out.pop("namespace", None)
            if "." not in fullname and at:  # the null namespace, written out where it differs
                out["namespace"] = ""
        if isinstance(node.get("fields"), list):
            own_space = _space_of(fullname)
            out["fields"] = [
                {**field, "type": self.walk(field.get("type"), own_space)}
                if isinstance(field, dict)
                else field
                for field in node["fields"]
            ]
        return out
