"""Avro primitives and fixed, with their logical types -> Python types (`PyType`).

Logical types fastavro converts itself (decimal, string uuid, date, time, timestamps) pass as is;
uuid on fixed and duration are converted by the generated code.
"""

from __future__ import annotations

from contractgen.codegen.pytypes import Checks, PyType, Scope
from contractgen.ir.model import Fixed, Primitive, prop
from contractgen.runtime.logical import honoured_logical_type

_INT_RANGE = {"int": 32, "long": 64}


def logical_type(avro_type: Primitive | Fixed) -> str | None:
    """The logical type if Avro honours it on its underlying type (it ignores it otherwise)."""
    base = "fixed" if isinstance(avro_type, Fixed) else avro_type.type
    size = avro_type.size if isinstance(avro_type, Fixed) else None
    props = dict(avro_type.props)
    return honoured_logical_type(base, props.get("logicalType"), props, size)


def _decimal_checks(scope: Scope, avro_type: Primitive | Fixed) -> Checks:
    precision = prop(avro_type.props, "precision")
    scale = prop(avro_type.props, "scale")
    scale_value = scale if isinstance(scale, int) else 0
    return lambda v, label: [
        f"{scope.check('check_decimal')}({v}, {precision}, {scale_value}, {label})"
    ]


def primitive_type(avro_type: Primitive, scope: Scope) -> PyType:
    imports = scope.imports
    logical = logical_type(avro_type)
    name = avro_type.type
    if logical == "decimal":
        cls = imports.std("decimal", "Decimal")
        return PyType(
            cls, checks=_decimal_checks(scope, avro_type), runtime_class=cls, branch_name=name
        )
    if logical == "uuid":
        cls = imports.std("uuid", "UUID")
        return PyType(cls, runtime_class=cls, branch_name=name)
    if logical == "date":
        return PyType(imports.std("datetime", "date"), runtime_class="date", branch_name=name)
    if logical in ("time-millis", "time-micros"):
        return PyType(imports.std("datetime", "time"), runtime_class="time", branch_name=name)
    if logical in ("timestamp-millis", "timestamp-micros"):
        cls = imports.std("datetime", "datetime")
        return PyType(cls, runtime_class="datetime/aware", branch_name=name)
    if logical in ("local-timestamp-millis", "local-timestamp-micros"):
        cls = imports.std("datetime", "datetime")
        return PyType(cls, runtime_class="datetime/naive", branch_name=name)
    if name in _INT_RANGE:
        return PyType(
            "int",
            checks=lambda v, label: [f"{scope.check(f'check_{name}')}({v}, {label})"],
            runtime_class="int",
            branch_name=name,
        )
    annotation = {
        "null": "None",
        "boolean": "bool",
        "float": "float",
        "double": "float",
        "bytes": "bytes",
        "string": "str",
    }[name]
    return PyType(annotation, runtime_class=annotation, branch_name=name)


def fixed_type(avro_type: Fixed, scope: Scope) -> PyType:
    imports = scope.imports
    logical = logical_type(avro_type)
    if logical == "uuid":
        cls = imports.std("uuid", "UUID")
        return PyType(
            cls,
            write=lambda v: f"{v}.bytes",
            read=lambda v: f"{cls}(bytes={v})",
            runtime_class="bytes",
            branch_name=avro_type.fullname,
            named=True,
        )
    if logical == "duration":
        cls = scope.duration()
        return PyType(
            cls,
            write=lambda v: f"{v}.to_bytes()",
            read=lambda v: f"{cls}.from_bytes({v})",
            runtime_class="bytes",
            branch_name=avro_type.fullname,
            named=True,
        )
    if logical == "decimal":
        cls = imports.std("decimal", "Decimal")
        return PyType(
            cls,
            checks=_decimal_checks(scope, avro_type),
            runtime_class=cls,
            branch_name=avro_type.fullname,
            named=True,
        )
    size = avro_type.size
    if scope.has_class(avro_type.fullname):
        cls = scope.ref(avro_type.fullname)
        return PyType(
            cls,
            read=lambda v: f"{cls}({v})",
            checks=lambda v, label: [f"{scope.check('check_fixed')}({v}, {size}, {label})"],
            runtime_class="bytes",
            branch_name=avro_type.fullname,
            named=True,
            own_class=True,
            # a call as a default: linters trust only known-immutable types there
            mutable=True,
        )
    return PyType(
        "bytes",
        checks=lambda v, label: [f"{scope.check('check_fixed')}({v}, {size}, {label})"],
        runtime_class="bytes",
        branch_name=avro_type.fullname,
        named=True,
    )
