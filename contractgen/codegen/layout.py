"""Where every named type goes: its module, its class name, its attributes and members.

Decided once for the whole contract set before any module is rendered, so a reference from any
module names the same class, and two types with the same short name in different namespaces (or
names that only differ in case or in characters Python rejects) never collide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contractgen.codegen.naming import (
    AttributeName,
    ClassName,
    MemberName,
    ModuleName,
    unique,
)
from contractgen.codegen.scalars import logical_type
from contractgen.ir.model import (
    Array,
    AvroType,
    Enum,
    Fixed,
    Map,
    NamedRef,
    NamedType,
    Primitive,
    Record,
    Union,
)

MODELS = "models"


@dataclass(frozen=True, slots=True)
class ClassPlace:
    module: tuple[str, ...]
    """Package path inside the generated package, e.g. ("models", "com", "acme", "orders")."""
    name: str


@dataclass(frozen=True, slots=True)
class Layout:
    classes: Mapping[str, ClassPlace]
    """Avro full name of every record and enum -> its class; also of every fixed that shares a
    union with other bytes (see `_distinct_fixed`)."""
    attributes: Mapping[str, tuple[str, ...]]
    """Record full name -> Python attribute of each field, in field order."""
    members: Mapping[str, tuple[str, ...]]
    """Enum full name -> Python member of each symbol, in symbol order."""

    def modules(self) -> dict[tuple[str, ...], list[str]]:
        """Module path -> full names of the types it defines, in full-name order."""
        result: dict[tuple[str, ...], list[str]] = {}
        for fullname in sorted(self.classes):
            result.setdefault(self.classes[fullname].module, []).append(fullname)
        return dict(sorted(result.items()))


def plan(types: Mapping[str, NamedType]) -> Layout:
    distinct = _distinct_fixed(types)
    classy: dict[str, Record | Enum | Fixed] = {
        n: t
        for n, t in sorted(types.items())
        if isinstance(t, Record | Enum) or (isinstance(t, Fixed) and n in distinct)
    }
    by_namespace: dict[str, list[Record | Enum | Fixed]] = {}
    for definition in classy.values():
        by_namespace.setdefault(definition.namespace or "", []).append(definition)
    class_names: dict[str, list[str]] = {
        ns: unique([ClassName(t.name) for t in defs], numbered=True)
        for ns, defs in by_namespace.items()
    }
    modules = _module_paths(sorted(by_namespace))
    classes: dict[str, ClassPlace] = {}
    for ns, defs in by_namespace.items():
        for definition, name in zip(defs, class_names[ns], strict=True):
            classes[definition.fullname] = ClassPlace(modules[ns], name)
    attributes = {
        n: tuple(unique(_attribute(f.name) for f in t.fields))
        for n, t in classy.items()
        if isinstance(t, Record)
    }
    members = {
        # a member named like its class would shadow the class in the class body's annotations
        n: tuple(unique((MemberName(s) for s in t.symbols), [classes[n].name]))
        for n, t in classy.items()
        if isinstance(t, Enum)
    }
    return Layout(classes, attributes, members)


def _attribute(avro_name: str) -> str:
    """A field's attribute: when it is the Avro name itself, that very string (the schema's, not
    a copy: the layout of a million fields would otherwise hold a million more strings)."""
    name = AttributeName(avro_name)
    return avro_name if name == avro_name else name


def _module_paths(namespaces: list[str]) -> dict[str, tuple[str, ...]]:
    """Namespace -> package path. Segments are lower case and classes CapWords, so a subpackage
    never replaces a class of its parent; two segments that map to one name are made distinct."""
    result: dict[str, tuple[str, ...]] = {"": (MODELS,)}
    children: dict[tuple[str, ...], dict[str, str]] = {}
    for namespace in namespaces:
        if not namespace:
            continue
        path: tuple[str, ...] = (MODELS,)
        prefix = ""
        for segment in namespace.split("."):
            prefix = f"{prefix}.{segment}" if prefix else segment
            taken = children.setdefault(path, {})
            if segment not in taken:
                taken[segment] = unique([ModuleName(segment)], taken.values())[0]
            path = (*path, taken[segment])
            result.setdefault(prefix, path)
    return result


# a tuple, not `Array | Map | Union`: that expression builds a new object each time it runs
_NESTING = (Array, Map, Union)


def _distinct_fixed(types: Mapping[str, NamedType]) -> set[str]:
    """Plain fixed types (no logical type) that share a union with `bytes` or another plain
    fixed: Python would read them all as `bytes`, so each gets a `bytes` subclass of its own and
    a writer can say which branch a value is. Every other fixed stays plain `bytes`."""
    found: set[str] = set()

    def plain_bytes(avro_type: AvroType) -> str | None:
        if isinstance(avro_type, NamedRef):
            avro_type = types[avro_type.fullname]
        if isinstance(avro_type, Fixed | Primitive) and logical_type(avro_type) is None:
            if isinstance(avro_type, Fixed):
                return avro_type.fullname
            return "bytes" if avro_type.type == "bytes" else None
        return None

    def walk(avro_type: AvroType) -> None:
        if isinstance(avro_type, Array):
            walk(avro_type.items)
        elif isinstance(avro_type, Map):
            walk(avro_type.values)
        elif isinstance(avro_type, Union):
            shared = [
                name
                for b in avro_type.branches
                # a primitive other than bytes, whatever its logical type (the common case)
                if not (isinstance(b, Primitive) and b.type != "bytes")
                and (name := plain_bytes(b)) is not None
            ]
            if len(shared) > 1:
                found.update(name for name in shared if name != "bytes")
            for branch in avro_type.branches:
                if isinstance(branch, _NESTING):  # nothing to find in the others
                    walk(branch)

    for definition in types.values():
        if isinstance(definition, Record):
            for avro_field in definition.fields:
                walk(avro_field.type)
    return found
