"""The semantic diff of two versions of a schema: what changed, in the words a reviewer uses.

`check` answers "may this be registered?"; this answers "what is different?": a field added (with
or without a default), removed or renamed through an alias, a type promoted or changed, a union
branch (an event of a topic) added or removed, an enum symbol added or removed, a doc or a default
changed. Named types are matched by full name (or by an alias the new version declares), fields by
name or alias, union branches by their type's name, as Avro's schema resolution matches them.

Pure functions over the IR: the catalog, `diff` and the tests share them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from contractgen.ir.build import describe_type
from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Fixed,
    JsonValue,
    Map,
    Primitive,
    Record,
    Union,
)

# Avro's promotions: a reader of the right-hand type reads a writer of the left-hand one.
_PROMOTIONS = {
    ("int", "long"),
    ("int", "float"),
    ("int", "double"),
    ("long", "float"),
    ("long", "double"),
    ("float", "double"),
    ("string", "bytes"),
    ("bytes", "string"),
}

KINDS = {
    "field-added-with-default": "field added with a default",
    "field-added-without-default": "field added without a default",
    "field-removed": "field removed",
    "field-renamed": "field renamed (the new name has the old one as an alias)",
    "type-promoted": "type promoted",
    "type-changed": "type changed",
    "logical-type-changed": "logical type (or its precision, scale...) changed",
    "union-branch-added": "union branch added",
    "union-branch-removed": "union branch removed",
    "enum-symbol-added": "enum symbol added",
    "enum-symbol-removed": "enum symbol removed",
    "enum-default-changed": "enum default changed",
    "fixed-size-changed": "fixed size changed",
    "default-added": "default added",
    "default-removed": "default removed",
    "default-changed": "default changed",
    "doc-changed": "doc changed",
    "type-renamed": "type renamed (the new name has the old one as an alias)",
}
"""Every kind of change, with how it reads."""


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    """A key of `KINDS`."""
    path: str
    """Where: a type's full name, then field names (`com.acme.orders.OrderCreated.channel`)."""
    detail: str
    """The specifics, e.g. `int -> long`, `'channel': string`."""

    def __str__(self) -> str:
        return f"{self.path}: {KINDS[self.kind]}: {self.detail}"


def _json(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _with_props(avro_type: Primitive | Fixed) -> str:
    """`bytes {"logicalType": "decimal", "precision": 12, "scale": 2}`: the props say it all."""
    base = avro_type.type if isinstance(avro_type, Primitive) else avro_type.fullname
    return f"{base} {_json(dict(avro_type.props))}" if avro_type.props else base


class _Differ:
    def __init__(self, old: AvroSchema, new: AvroSchema) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.seen: set[tuple[str, str]] = set()

    def add(self, kind: str, path: str, detail: str) -> None:
        self.changes.append(Change(kind, path, detail))

    def types(self, old_t: AvroType, new_t: AvroType, path: str) -> None:
        old_r, new_r = self.old.resolve(old_t), self.new.resolve(new_t)
        if isinstance(old_r, Union) or isinstance(new_r, Union):
            self.unions(old_r, new_r, path)
        elif isinstance(old_r, Record | Enum | Fixed) and isinstance(new_r, Record | Enum | Fixed):
            self.named(old_r, new_r, path)
        elif isinstance(old_r, Primitive) and isinstance(new_r, Primitive):
            self.primitives(old_r, new_r, path)
        elif isinstance(old_r, Array) and isinstance(new_r, Array):
            self.types(old_r.items, new_r.items, f"{path}[]")
        elif isinstance(old_r, Map) and isinstance(new_r, Map):
            self.types(old_r.values, new_r.values, f"{path}{{}}")
        else:
            self.add("type-changed", path, f"{describe_type(old_t)} -> {describe_type(new_t)}")

    def primitives(self, old_t: Primitive, new_t: Primitive, path: str) -> None:
        if old_t.type != new_t.type:
            kind = "type-promoted" if (old_t.type, new_t.type) in _PROMOTIONS else "type-changed"
            self.add(kind, path, f"{describe_type(old_t)} -> {describe_type(new_t)}")
        elif old_t.props != new_t.props:
            self.add("logical-type-changed", path, f"{_with_props(old_t)} -> {_with_props(new_t)}")

    def unions(self, old_t: AvroType, new_t: AvroType, path: str) -> None:
        old_b = old_t.branches if isinstance(old_t, Union) else (old_t,)
        new_b = new_t.branches if isinstance(new_t, Union) else (new_t,)
        old_keys = {self.branch_key(b, self.old): b for b in old_b}
        new_keys = {self.branch_key(b, self.new): b for b in new_b}
        for alias_key in list(new_keys):
            # A renamed record in a union matches through its aliases, as in resolution.
            new_r = self.new.resolve(new_keys[alias_key])
            if alias_key not in old_keys and isinstance(new_r, Record | Enum | Fixed):
                match = next((a for a in new_r.aliases if a in old_keys), None)
                if match is not None:
                    new_keys[match] = new_keys.pop(alias_key)
        for key, branch in new_keys.items():
            if key in old_keys:
                self.types(old_keys[key], branch, path)
            else:
                self.add("union-branch-added", path, describe_type(branch))
        for key, branch in old_keys.items():
            if key not in new_keys:
                self.add("union-branch-removed", path, describe_type(branch))

    @staticmethod
    def branch_key(branch: AvroType, schema: AvroSchema) -> str:
        resolved = schema.resolve(branch)
        if isinstance(resolved, Record | Enum | Fixed):
            return resolved.fullname
        if isinstance(resolved, Primitive):
            return resolved.type
        return type(resolved).__name__.lower()

    def named(self, old_t: Record | Enum | Fixed, new_t: Record | Enum | Fixed, path: str) -> None:
        if old_t.fullname != new_t.fullname:
            if old_t.fullname not in new_t.aliases or type(old_t) is not type(new_t):
                self.add("type-changed", path, f"{old_t.fullname} -> {new_t.fullname}")
                return
            self.add("type-renamed", path, f"{old_t.fullname} -> {new_t.fullname}")
        if (old_t.fullname, new_t.fullname) in self.seen:
            return  # each named type once (and recursive types end here)
        self.seen.add((old_t.fullname, new_t.fullname))
        where = new_t.fullname
        if old_t.doc != new_t.doc:
            self.add("doc-changed", where, "type doc")
        if isinstance(old_t, Record) and isinstance(new_t, Record):
            self.records(old_t, new_t, where)
        elif isinstance(old_t, Enum) and isinstance(new_t, Enum):
            self.enums(old_t, new_t, where)
        elif isinstance(old_t, Fixed) and isinstance(new_t, Fixed):
            if old_t.size != new_t.size:
                self.add("fixed-size-changed", where, f"{old_t.size} -> {new_t.size}")
            if old_t.props != new_t.props:
                self.add(
                    "logical-type-changed", where, f"{_with_props(old_t)} -> {_with_props(new_t)}"
                )
        else:
            self.add("type-changed", path, f"{describe_type(old_t)} -> {describe_type(new_t)}")

    def enums(self, old_t: Enum, new_t: Enum, where: str) -> None:
        for symbol in new_t.symbols:
            if symbol not in old_t.symbols:
                self.add("enum-symbol-added", where, symbol)
        for symbol in old_t.symbols:
            if symbol not in new_t.symbols:
                self.add("enum-symbol-removed", where, symbol)
        if old_t.default != new_t.default:
            self.add("enum-default-changed", where, f"{old_t.default} -> {new_t.default}")

    def records(self, old_t: Record, new_t: Record, where: str) -> None:
        old_fields = {f.name: f for f in old_t.fields}
        matched: set[str] = set()
        for field in new_t.fields:
            path = f"{where}.{field.name}"
            previous = old_fields.get(field.name)
            if previous is None:
                alias = next((a for a in field.aliases if a in old_fields), None)
                if alias is not None:
                    previous = old_fields[alias]
                    self.add("field-renamed", path, f"{alias} -> {field.name}")
            if previous is None:
                with_default = "with" if field.has_default else "without"
                detail = f"{field.name!r}: {describe_type(field.type)}"
                if field.has_default:
                    detail += f" = {_json(field.default)}"
                self.add(f"field-added-{with_default}-default", path, detail)
                continue
            matched.add(previous.name)
            self.field(previous, field, path)
        for field in old_t.fields:
            if field.name not in matched:
                detail = f"{field.name!r}: {describe_type(field.type)}"
                self.add("field-removed", f"{where}.{field.name}", detail)

    def field(self, old_f: Field, new_f: Field, path: str) -> None:
        self.types(old_f.type, new_f.type, path)
        if old_f.has_default and not new_f.has_default:
            self.add("default-removed", path, f"was {_json(old_f.default)}")
        elif new_f.has_default and not old_f.has_default:
            self.add("default-added", path, _json(new_f.default))
        elif old_f.has_default and old_f.default != new_f.default:
            self.add("default-changed", path, f"{_json(old_f.default)} -> {_json(new_f.default)}")
        if old_f.doc != new_f.doc:
            self.add("doc-changed", path, "field doc")


def semantic_diff(old: AvroSchema, new: AvroSchema) -> tuple[Change, ...]:
    """Every change from `old` to `new`, in the new schema's order (removals after)."""
    differ = _Differ(old, new)
    root_path = getattr(new.resolve(new.root), "fullname", "(root)")
    differ.types(old.root, new.root, root_path)
    return tuple(differ.changes)
