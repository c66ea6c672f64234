"""Schemas parsed by fastavro as Avro Java reads them.

The schemas the runtime parses are Avro Java's `Schema.toString()` text (registry identity: the
generated AVRO_SCHEMA, writer schemas from a registry). fastavro reads some of them differently
from Java, or refuses them; one walk (`java_reading`) rewrites those spots before fastavro parses
the schema, without changing a byte of the encoding nor a name fastavro reports:

- a logical type Java ignores (invalid on its type, or unknown) is dropped: fastavro would refuse
  the schema (an invalid decimal) or convert values Java leaves alone (`runtime.logical`);
- a primitive written as an object with properties but no logical type (`{"type": "float",
  "custom": true}`, Java keeps such properties) is the bare primitive, as the specification says:
  fastavro checks the default of the object form more strictly than of the bare name and refuses
  an integer default of a float or double, which Java accepts;
- a name Java binds where fastavro cannot. Java (`ParseContext.find`) looks a short name up among
  the types it knows so far in the enclosing namespace first, then in the null namespace, and
  binds a name it does not know yet (a forward reference) at the end of the parse, in the
  enclosing namespace; it knows a record only once its fields are parsed. Its toString writes a
  null-namespace type by its bare name everywhere. fastavro only tries the enclosing namespace
  (`UnknownType: a.b.Inner`), knows a record from its start, and refuses a forward reference; no
  Avro JSON can name a null-namespace type from inside a namespace. Such a reference becomes a
  placeholder fastavro takes as a full name (it contains a dot, and no Avro name contains NUL),
  fastavro is told the placeholder exists while it parses, and `parse_java_reading` puts the full
  name Java binds back into the parsed schema: what fastavro would have built had it bound the
  name as Java does.
"""

from __future__ import annotations

from typing import Any

import fastavro
from fastavro.schema import UnknownType
from fastavro.types import Schema as ParsedSchema

from contractgen.runtime.logical import honoured_logical_type

_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_NAMED = frozenset({"record", "error", "enum", "fixed"})
_PLACEHOLDER = "\0."


class _Walk:
    """One pass over a schema in Java's (and fastavro's) parse order, knowing the names Java
    knows at each point. Nodes that need no change are returned as they are (no copy)."""

    __slots__ = ("defined", "open", "placeholders")

    def __init__(self) -> None:
        self.defined: set[str] = set()  # full names Java knows so far
        self.open: set[str] = set()  # records whose fields are being parsed (fastavro knows them)
        self.placeholders: dict[str, str] = {}

    def schema(self, node: Any, namespace: str) -> Any:
        if isinstance(node, str):
            return self._reference(node, namespace)
        if isinstance(node, list):
            branches = [self.schema(branch, namespace) for branch in node]
            changed = any(new is not old for new, old in zip(branches, node, strict=True))
            return branches if changed else node
        if not isinstance(node, dict):
            return node  # not a schema: left to fastavro's error
        kind = node.get("type")
        if not isinstance(kind, str):
            return node
        if "logicalType" in node:
            size = node.get("size") if kind == "fixed" else None
            if honoured_logical_type(kind, node["logicalType"], node, size) is None:
                node = {k: v for k, v in node.items() if k != "logicalType"}
        if kind in _PRIMITIVES:
            return node if "logicalType" in node else kind
        full = _full_name(node, namespace) if kind in _NAMED else None
        changes: dict[str, Any] = {}
        if kind in ("record", "error"):
            fields = node.get("fields")
            if isinstance(fields, list):
                inner = full.rpartition(".")[0] if full is not None else namespace
                opened = full if full is not None and full not in self.open else None
                if opened is not None:
                    self.open.add(opened)
                new_fields = [self._field(field, inner) for field in fields]
                if opened is not None:
                    self.open.discard(opened)
                if any(new is not old for new, old in zip(new_fields, fields, strict=True)):
                    changes["fields"] = new_fields
        else:
            key = {"array": "items", "map": "values"}.get(kind)
            if key is not None and key in node:
                inner_type = self.schema(node[key], namespace)
                if inner_type is not node[key]:
                    changes[key] = inner_type
        if full is not None:  # Java knows a record by its name only once its fields are parsed
            self.defined.add(full)
        return {**node, **changes} if changes else node

    def _field(self, field: Any, namespace: str) -> Any:
        if not isinstance(field, dict) or "type" not in field:
            return field
        kind = self.schema(field["type"], namespace)
        return field if kind is field["type"] else {**field, "type": kind}

    def _reference(self, name: str, namespace: str) -> str:
        if name in _PRIMITIVES:
            return name
        full = f"{namespace}.{name}" if namespace and "." not in name else name
        if full in self.defined:
            return name  # fastavro binds it there too
        if full != name and name in self.defined:
            target = name  # the null namespace's type
        elif full in self.open:
            return name  # bound to a record being parsed at the end, as fastavro binds it now
        else:
            target = full  # a forward reference, bound at the end; fastavro cannot do that
        placeholder = _PLACEHOLDER + target
        self.placeholders[placeholder] = target
        return placeholder


def _full_name(node: dict[str, Any], namespace: str) -> str | None:
    """A named type's full name, as fastavro's `schema_name` and Java's `Name` make it."""
    name = node.get("name")
    if not isinstance(name, str):
        return None
    if "." in name:
        return name
    space = node.get("namespace", namespace)
    return f"{space}.{name}" if space else name


def java_reading(schema: Any) -> tuple[Any, dict[str, str]]:
    """The schema (parsed JSON) in the form fastavro reads as Java does, and the placeholders it
    holds (placeholder -> the full name Java binds), for `parse_java_reading`. The input is not
    modified; a schema that needs no change is returned itself."""
    walk = _Walk()
    return walk.schema(schema, ""), walk.placeholders


def parse_java_reading(schema: Any, placeholders: dict[str, str]) -> ParsedSchema:
    """fastavro's parsed schema of `java_reading`'s result (possibly adapted since, without
    touching names), with the names Java binds put back."""
    if not placeholders:
        return fastavro.parse_schema(schema)
    named: dict[str, Any] = dict.fromkeys(placeholders)  # fastavro only asks if they are defined
    parsed = fastavro.parse_schema(schema, named)
    for placeholder, target in placeholders.items():
        del named[placeholder]  # `named` is the parsed schema's own table of named types
        if target not in named:  # never defined: Java refuses the schema ("Undefined name")
            raise UnknownType(target)  # type: ignore[no-untyped-call]  # fastavro's own error
    _restored(parsed, placeholders)  # in place: a placeholder is never the whole schema
    # fastavro's reader and writer take a parsed record as it is, but parse anything else at the
    # top again (a union's branches one by one), which would bind the restored names as fastavro
    # does: mark those parsed too, as fastavro marks records
    for top in parsed if isinstance(parsed, list) else [parsed]:
        if isinstance(top, dict) and "__fastavro_parsed" not in top:
            top["__fastavro_parsed"] = True
            top["__named_schemas"] = named
    return parsed


def _restored(parsed: Any, placeholders: dict[str, str]) -> Any:
    """Puts the names back in place: fastavro's parsed schema holds each definition once, and
    references as strings, so this visits every node once. (The copies of records fastavro keeps
    in its table share their field lists with the tree.)"""
    if isinstance(parsed, str):
        return placeholders.get(parsed, parsed)
    if isinstance(parsed, list):
        parsed[:] = [_restored(branch, placeholders) for branch in parsed]
    elif isinstance(parsed, dict):
        kind = parsed.get("type")
        if kind in ("record", "error"):
            for field in parsed["fields"]:
                field["type"] = _restored(field["type"], placeholders)
        elif kind in ("array", "map"):
            key = "items" if kind == "array" else "values"
            parsed[key] = _restored(parsed[key], placeholders)
    return parsed
