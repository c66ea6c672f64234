"""Avro names: validation and the namespace rules of the Avro specification."""

from __future__ import annotations

import re

from contractgen.ir.model import PRIMITIVE_NAMES

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_valid_name(name: str) -> bool:
    """A simple name: `[A-Za-z_][A-Za-z0-9_]*`."""
    return _NAME.fullmatch(name) is not None


def is_valid_fullname(fullname: str) -> bool:
    """Every dot-separated part of a full name is a valid simple name."""
    return all(is_valid_name(part) for part in fullname.split("."))


def make_fullname(name: str, namespace: str | None) -> str:
    """Java's `new Name(name, space)`: a dotted name carries its own namespace."""
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


def namespace_of(name: str, explicit: str | None, enclosing: str | None) -> str | None:
    """The namespace a named type's definition lives in.

    A dotted name wins over everything; then the `namespace` attribute (`""` means none); then the
    enclosing namespace.
    """
    if "." in name:
        return name.rpartition(".")[0]
    if explicit is not None:
        return explicit or None
    return enclosing


def is_primitive(name: str) -> bool:
    return name in PRIMITIVE_NAMES


def java_fullname(name: str, space: str | None) -> str:
    """Java's `new Name(name, space).full`: a dotted name carries its own namespace, and an
    empty namespace is none at all (so the alias `.R` is the full name `R`)."""
    if "." in name:
        space, _, name = name.rpartition(".")
    return f"{space}.{name}" if space else name
