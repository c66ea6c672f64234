"""Avro type -> `PyType`, for every kind of Avro type, as seen from the module being generated."""

from __future__ import annotations

from contractgen.codegen.pytypes import Checks, Expr, PyType, Scope, indent
from contractgen.codegen.scalars import fixed_type, primitive_type
from contractgen.ir.model import (
    Array,
    AvroType,
    Enum,
    Fixed,
    Map,
    NamedRef,
    Primitive,
    Record,
    Union,
)


def _list_of(inner: Expr | None, var: str) -> Expr | None:
    return None if inner is None else (lambda v: f"[{inner(var)} for {var} in {v}]")


def _dict_of(inner: Expr | None, key: str, var: str) -> Expr | None:
    if inner is None:
        return None
    return lambda v: f"{{{key}: {inner(var)} for {key}, {var} in {v}.items()}}"


def _for_each(inner: Checks | None, loop: str, var: str) -> Checks | None:
    if inner is None:
        return None
    return lambda v, label: [f"for {var} in {v}{loop}:", *indent(inner(var, label))]


def _array(avro_type: Array, scope: Scope, depth: int) -> PyType:
    item = python_type(avro_type.items, scope, depth + 1)
    var = f"_v{depth}"
    return PyType(
        f"list[{item.annotation}]",
        _list_of(item.write, var),
        _list_of(item.read, var),
        _for_each(item.checks, "", var),
        runtime_class="list",
        branch_name="array",
        mutable=True,
    )


def _map(avro_type: Map, scope: Scope, depth: int) -> PyType:
    value = python_type(avro_type.values, scope, depth + 1)
    var, key = f"_v{depth}", f"_k{depth}"
    return PyType(
        f"dict[str, {value.annotation}]",
        _dict_of(value.write, key, var),
        _dict_of(value.read, key, var),
        _for_each(value.checks, ".values()", var),
        runtime_class="dict",
        branch_name="map",
        mutable=True,
    )


def _named(avro_type: Record | Enum, scope: Scope) -> PyType:
    cls = scope.ref(avro_type.fullname)
    if isinstance(avro_type, Enum):
        return PyType(
            cls,
            write=lambda v: f"{v}.value",
            read=lambda v: f"{cls}({v})",
            runtime_class="str",
            branch_name=avro_type.fullname,
            named=True,
            own_class=True,
        )
    return PyType(
        cls,
        write=lambda v: f"{v}.to_avro()",
        read=lambda v: f"{cls}.from_avro({v})",
        checks=lambda v, _: [f"{v}.validate_avro()"],
        runtime_class=f"record:{avro_type.fullname}",
        branch_name=avro_type.fullname,
        is_record=True,
        mutable=True,
        aliases=avro_type.aliases,
        named=True,
    )


class EmptyUnionError(Exception):
    """A union without branches: valid Avro, but no value has that type."""


def _union(avro_type: Union, scope: Scope, depth: int) -> PyType:
    if not avro_type.branches:
        raise EmptyUnionError
    branches = [python_type(b, scope, depth + 1) for b in avro_type.branches]
    nulls = [b for b in branches if b.annotation == "None"]
    others = [b for b in branches if b.annotation != "None"]
    if not others:
        return PyType("None", runtime_class="None", branch_name="null")
    annotations = [b.annotation for b in others] + ["None"] * bool(nulls)
    if "float" in annotations:  # `float` admits an int already (PYI041)
        annotations = [a for a in annotations if a != "int"]
    annotation = " | ".join(dict.fromkeys(annotations))
    # fastavro tags records, enums and fixed in unions with their name (the runtime reads with
    # `return_named_type`): those go through the helpers, which accept both forms
    # `["null", Record]` is common enough to get its own inline form
    if len(others) == 1:
        (only,) = others
        # an array or map whose values are converted may hold tagged unions, which fastavro
        # cannot match an untagged value against: tagged by the helpers like any branch
        if not only.named and only.write is None:
            return _optional(only, annotation) if nulls else only
        if only.is_record and nulls:
            return _optional(only, annotation)
    # one helper per distinct union: a logical type shares its branch name with its base type
    key = "|".join(f"{b.branch_name}:{b.annotation}:{b.runtime_class}" for b in branches)
    writer, reader = scope.union_helpers(key, annotation, others)
    # a branch with a class of its own is checked when the value is of that class
    checked = [
        (b.annotation, b.checks)
        for b in others
        if (b.is_record or b.own_class) and b.checks is not None
    ]

    def checks(v: str, label: str) -> list[str]:
        lines: list[str] = []
        for cls, check in checked:
            lines += [f"if isinstance({v}, {cls}):", *indent(check(v, label))]
        return lines

    return PyType(
        annotation,
        write=lambda v: f"{writer}({v})",
        read=lambda v: f"{reader}({v})",
        checks=checks if checked else None,
        runtime_class="union",
        branch_name="union",
        mutable=any(b.mutable for b in others),
    )


def _unless_none(inner: Expr | None) -> Expr | None:
    return None if inner is None else (lambda v: f"None if {v} is None else {inner(v)}")


def _optional(only: PyType, annotation: str) -> PyType:
    write, read = _unless_none(only.write), _unless_none(only.read)
    if only.is_record:
        name, inner_write, inner_read = only.branch_name, only.write, only.read
        assert inner_write is not None and inner_read is not None
        write = _unless_none(lambda v: f'("{name}", {inner_write(v)})')
        # fastavro tags records in unions with their name when reading with return_record_name
        read = _unless_none(lambda v: inner_read(f"{v}[1]"))
    checks = None
    if only.checks is not None:
        inner_checks = only.checks
        checks = _guarded(inner_checks)
    return PyType(
        annotation,
        write,
        read,
        checks,
        runtime_class="union",
        branch_name="union",
        mutable=only.mutable,
    )


def _guarded(inner: Checks) -> Checks:
    return lambda v, label: [f"if {v} is not None:", *indent(inner(v, label))]


def python_type(avro_type: AvroType, scope: Scope, depth: int = 0) -> PyType:
    """The Python side of an Avro type, as seen from the module `scope` generates."""
    if isinstance(avro_type, NamedRef):
        avro_type = scope.named[avro_type.fullname]
    if isinstance(avro_type, Primitive):
        return primitive_type(avro_type, scope)
    if isinstance(avro_type, Fixed):
        return fixed_type(avro_type, scope)
    if isinstance(avro_type, Array):
        return _array(avro_type, scope, depth)
    if isinstance(avro_type, Map):
        return _map(avro_type, scope, depth)
    if isinstance(avro_type, Union):
        return _union(avro_type, scope, depth)
    return _named(avro_type, scope)
