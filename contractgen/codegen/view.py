"""IR -> the Python view of one generated models module: classes, fields, conversions, imports.

This is where Avro becomes Python. Templates only lay out what the view decided; nothing about
names, types or imports is decided in a template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from contractgen.avro.canonical import Rebinding, write_reparsable
from contractgen.avro.resolve import self_contained
from contractgen.codegen import unions
from contractgen.codegen.classbody import ClassBody, FieldView
from contractgen.codegen.defaults import UnusableDefaultError, default_source
from contractgen.codegen.imports import Imports
from contractgen.codegen.layout import Layout
from contractgen.codegen.pysource import (
    docstring,
    fit,
    spooled_string_chunks,
    string_literal,
)
from contractgen.codegen.pytypes import PyType, generic_alias
from contractgen.codegen.spool import Spool
from contractgen.codegen.typemap import EmptyUnionError, python_type
from contractgen.diagnostics import ContractError, Diagnostic
from contractgen.ir.model import (
    Array,
    AvroType,
    Enum,
    Fixed,
    JsonValue,
    Map,
    NamedType,
    Primitive,
    Record,
    Union,
)

UNUSABLE_DEFAULT = "GEN003"
EMPTY_UNION = "GEN004"
UNWRITABLE_SCHEMA = "GEN006"
_LOOP_VARIABLE = re.compile(r"\b_([vk])(\d+)\b")
CHECKS_MODULE = "_checks"
DURATION_MODULE = "duration"


@dataclass(frozen=True, slots=True)
class RecordView:
    name: str
    fullname: str
    doc: list[str]
    schema: Iterator[str]
    """The schema's text as adjacent string literals, made as the template writes them."""
    aliases: list[str]
    fields: int
    body: ClassBody
    """The per-field parts of the class (written already: no field view is kept)."""
    arbitrary_types: bool
    schema_text: Spool
    """What `schema` reads."""

    def close(self) -> None:
        """Once the class is written: its parts' temporary files go."""
        self.body.close()
        self.schema_text.close()


@dataclass(frozen=True, slots=True)
class EnumView:
    name: str
    fullname: str
    doc: list[str]
    members: list[tuple[str, str]]
    """(Python member, Avro symbol as a string literal)."""
    default: str | None


@dataclass(frozen=True, slots=True)
class FixedView:
    name: str
    fullname: str
    size: int
    doc: list[str]


@dataclass(slots=True)
class ModuleScope:
    """One models module while it is built: implements `pytypes.Scope`."""

    path: tuple[str, ...]
    named: Mapping[str, NamedType]
    layout: Layout
    imports: Imports = field(default_factory=Imports)
    helpers: list[str] = field(default_factory=list)
    foreign_refs: int = 0
    """How many references to other modules' classes were made (see `_field_view`)."""
    defining: str = ""
    """The record whose class body is being rendered (see `forward_refs`)."""
    forward_refs: int = 0
    """How many references to records of this module not defined yet in `defining`'s class body
    (records are written in full-name order, after every enum and fixed): such a class may only be
    named inside a default factory's lambda, which runs later."""
    fixed_refs: int = 0
    """How many references to distinct fixed classes were made (see `record_view`)."""
    record_refs: int = 0
    """How many references to record classes were made (see `_field_view`: pydantic cannot build
    a model in a class body while a model it refers to is not defined yet)."""
    late: bool = False
    """Import other modules' classes after this module's own (the pydantic flavour)."""
    local_names: frozenset[str] = frozenset()
    _late_names: dict[str, str] = field(default_factory=dict)
    _unions: dict[str, tuple[str, str]] = field(default_factory=dict)
    _aliases: dict[tuple[str, ...], str] = field(default_factory=dict)
    _types: dict[AvroType, PyType] = field(default_factory=dict)
    _checks: dict[str, str] = field(default_factory=dict)
    _shared: set[int] = field(default_factory=set)
    """The ids of the `PyType`s in `_types` (kept alive there)."""
    _defaults: dict[tuple[int, type, JsonValue], str] = field(default_factory=dict)

    def field_type(self, avro_type: AvroType) -> PyType:
        """`python_type` of a field's type, made once per module for a type without named
        types: a wide record repeats a few such types thousands of times. What the first call
        registers (imports, union helpers) stays registered; named types are mapped each time
        because `ref` counts references."""
        if not isinstance(avro_type, _UNNAMED):
            return python_type(avro_type, self)
        try:
            known = self._types.get(avro_type)
        except TypeError:  # a property holding a list or an object
            return python_type(avro_type, self)
        if known is None:
            known = python_type(avro_type, self)
            if _plain(avro_type):
                self._types[avro_type] = known
                self._shared.add(id(known))
        return known

    def field_default(self, avro_type: AvroType, py: PyType, value: JsonValue) -> str:
        """`default_source`, made once per module for a default (not a float) of a type
        `field_type` made once (`py` stands for the type; the value's type is in the key:
        `True == 1`)."""
        if id(py) not in self._shared or isinstance(value, _UNSHARED_DEFAULTS):
            return default_source(avro_type, value, self, self.layout)
        key = (id(py), type(value), value)
        known = self._defaults.get(key)
        if known is None:
            known = self._defaults[key] = default_source(avro_type, value, self, self.layout)
        return known

    def _root(self) -> str:
        return "." * (len(self.path) + 1)

    def ref(self, fullname: str) -> str:
        place = self.layout.classes[fullname]
        if isinstance(self.named[fullname], Fixed):
            self.fixed_refs += 1
        elif isinstance(self.named[fullname], Record):
            self.record_refs += 1
        if place.module == self.path:
            if isinstance(self.named[fullname], Record) and fullname >= self.defining:
                self.forward_refs += 1
            return place.name
        self.foreign_refs += 1
        target = place.module
        common = 0
        while common < min(len(self.path), len(target) - 1) and self.path[common] == target[common]:
            common += 1
        package = "." * (len(self.path) - common + 1) + ".".join(target[common:-1])
        alias = self._alias(target)
        if self.late:
            return self._late_ref(fullname, package, target[-1], alias)
        return f"{self.imports.module(package, target[-1], alias)}.{place.name}"

    def _alias(self, target: tuple[str, ...]) -> str:
        """The local name of another module: `_models_a_b` for models/a/b, numbered when another
        module already has it here (models/a_b), so every alias names one module."""
        if target not in self._aliases:
            base = "_" + "_".join(target)
            taken = set(self._aliases.values())
            alias, number = base, 1
            while alias in taken:
                number += 1
                alias = f"{base}_{number}"
            self._aliases[target] = alias
        return self._aliases[target]

    def _late_ref(self, fullname: str, package: str, module: str, alias: str) -> str:
        """pydantic resolves annotations when a class is created: a class of another module is
        imported after this module's classes, so in an import cycle the name is still undefined
        then (pydantic defers it) instead of an attribute missing from a half-initialised module.
        A short name that is taken here already is reached through its module instead."""
        name = self.layout.classes[fullname].name
        owner = self._late_names.setdefault(name, fullname)
        if owner == fullname and name not in self.local_names:
            separator = "" if package.endswith(".") else "."
            return self.imports.late_name(f"{package}{separator}{module}", name)
        return f"{self.imports.late_module(package, module, alias)}.{name}"

    def union_helpers(self, key: str, annotation: str, branches: list[PyType]) -> tuple[str, str]:
        if key not in self._unions:
            number = len(self._unions) + 1
            names = (f"_write_union{number}", f"_read_union{number}")
            self._unions[key] = names
            self.helpers.append(unions.writer_source(names[0], annotation, branches, self.imports))
            self.helpers.append(unions.reader_source(names[1], branches, self.imports))
        return self._unions[key]

    def has_class(self, fullname: str) -> bool:
        return fullname in self.layout.classes

    def duration(self) -> str:
        return self.imports.name(f"{self._root()}{DURATION_MODULE}", "Duration")

    def check(self, name: str) -> str:
        known = self._checks.get(name)
        if known is None:  # a check per field of a wide record: imported once
            known = self._checks[name] = self.imports.name(f"{self._root()}{CHECKS_MODULE}", name)
        return known


# tuples, not `A | B`: that expression builds a new object each time it runs
_UNNAMED = (Primitive, Union, Array, Map)
# not worth a key (containers), or equal without being the same (`-0.0 == 0.0`, NaN)
_UNSHARED_DEFAULTS = (list, dict, float)


def _plain(avro_type: AvroType) -> bool:
    """Whether a type is built of primitives only (no named type, so nothing `ref` counts)."""
    if isinstance(avro_type, Primitive):
        return True
    if isinstance(avro_type, Union):
        return all(_plain(b) for b in avro_type.branches)
    if isinstance(avro_type, Array):
        return _plain(avro_type.items)
    if isinstance(avro_type, Map):
        return _plain(avro_type.values)
    return False


def _default_source(record: Record, index: int, py: PyType, scope: ModuleScope) -> str:
    """The Python source of a field's default, or a located ContractError."""
    avro_field = record.fields[index]
    try:
        return scope.field_default(avro_field.type, py, avro_field.default)
    except RecursionError:
        # a record whose fields' defaults hold the record again: Java's strict parse refuses it
        # too ("Schema fields not set yet")
        problem = "never ends: it holds its own record's default again"
    except UnusableDefaultError as error:
        problem = str(error)
    raise ContractError(
        [
            Diagnostic(
                UNUSABLE_DEFAULT,
                f"field `{avro_field.name}` of {record.fullname}: the default {problem}; "
                "give a default of the field's type",
                avro_field.location,
            )
        ]
    )


def _field_view(record: Record, index: int, scope: ModuleScope) -> FieldView:
    avro_field = record.fields[index]
    attribute = scope.layout.attributes[record.fullname][index]
    try:
        py = scope.field_type(avro_field.type)
    except EmptyUnionError:
        raise ContractError(
            [
                Diagnostic(
                    EMPTY_UNION,
                    f"field `{avro_field.name}` of {record.fullname} has an empty union (`[]`) "
                    "in its type, which no value matches: give the union a branch",
                    avro_field.location,
                )
            ]
        ) from None
    key = string_literal(avro_field.name)
    default = factory = None
    if avro_field.has_default:
        before, before_forward = scope.foreign_refs, scope.forward_refs
        records_before = scope.record_refs
        source = _default_source(record, index, py, scope)
        holds_record = scope.record_refs != records_before
        # a class of another module may not exist yet while an import cycle is initialising,
        # nor a record of this module written after this one (or this one itself)
        foreign = scope.foreign_refs != before or scope.forward_refs != before_forward
        if source == "None":
            default = source
        elif source in ("[]", "{}"):
            factory = "list" if source == "[]" else "dict"
        elif source.endswith("()") and source[:-2].isidentifier() and not foreign:
            factory = source[:-2]  # a record of this module whose fields all have defaults
        elif scope.late and py.mutable and not foreign and not holds_record and source[0] in "[{":
            # pydantic copies a default for each instance; and mypy types a literal in
            # `Field(default=...)` as the field's type, not in a lambda given to
            # `default_factory` (`{"k": None}` would be a dict of None, not of `bool | None`)
            default = f"{scope.imports.std('pydantic', 'Field')}(default={source})"
        elif py.mutable or foreign or source.startswith(("UUID(", "Duration(")):
            # mutable values must not be shared between instances, and linters only trust
            # calls to known-immutable types (Decimal, datetime) as shared defaults
            # the lambda defers the lookup of a class of another module; a bare call in it
            # would read as an unneeded lambda (PLW0108), so an empty record is made from data
            body = f"{source[:-2]}.from_avro({{}})" if source.endswith("()") else source
            if scope.late and source[0] in "[{" and generic_alias(py.annotation):
                # typed by the field's annotation: mypy would type `[Inner(...)]` in a lambda
                # as `list[Inner]`, not the field's `list[Inner | None]`
                body = f"{py.annotation}({source})"
            factory = f"lambda: {body}"
        else:
            default = source
    self_value, data_value = f"self.{attribute}", f"data[{key}]"
    write = py.write(self_value) if py.write else self_value
    read = py.read(data_value) if py.read else data_value
    checks = py.checks(self_value, key) if py.checks else []
    return FieldView(
        attribute=attribute,
        key=key,
        annotation=py.annotation,
        default=default,
        factory=factory,
        doc=docstring(avro_field.doc, "    ") if avro_field.doc is not None else [],
        write=fit(" " * 12, f"{key}: ", write, ","),
        read=fit(" " * 12, f"{attribute}=", read, ","),
        # validate() is one function body: loop variables get the field's index so a later
        # loop over another type does not reuse (and retype) an earlier one
        checks=[
            _LOOP_VARIABLE.sub(lambda m: f"_{m.group(1)}{index}_{m.group(2)}", line)
            if "_v" in line or "_k" in line
            else line
            for line in checks
        ],
    )


def _unwritable(record: Record, rebinding: Rebinding) -> ContractError:
    space = rebinding.read_as.rpartition(".")[0]
    message = (
        f"{record.fullname} has no schema of its own (its AVRO_SCHEMA): written from "
        f"{record.fullname} on, this use of the null-namespace type {rebinding.meant!r} "
        f"comes inside namespace {space!r}, where Avro (Java and fastavro) reads the "
        f"name {rebinding.written!r} as {rebinding.read_as!r}, and a null-namespace type "
        f"has no other name; give {rebinding.meant!r} a namespace or another name"
    )
    return ContractError([Diagnostic(UNWRITABLE_SCHEMA, message, rebinding.location)])


def record_view(record: Record, scope: ModuleScope, factory: tuple[str, str]) -> RecordView:
    """`factory`: the module and name of the callable behind `default_factory=`. The view's
    `body` must be closed once the class is written."""
    # not the registry's identity (that is the topic's schema): the text must read back as
    # this schema, so a short name Avro would bind to another type is written in full
    # (spooled: the outermost record of a big schema is all of its text)
    schema = Spool()
    body = ClassBody(lambda: scope.imports.std(*factory))
    try:
        unwritable = write_reparsable(self_contained(record, scope.named), schema.write)
        if unwritable:
            raise _unwritable(record, unwritable[0])
        before = scope.fixed_refs
        scope.defining = record.fullname
        for index in range(len(record.fields)):
            body.add(_field_view(record, index, scope))
    except BaseException:
        body.close()
        schema.close()
        raise
    return RecordView(
        name=scope.layout.classes[record.fullname].name,
        fullname=record.fullname,
        doc=docstring(record.doc, "    "),
        schema=spooled_string_chunks(schema.chunks, 86),
        schema_text=schema,
        aliases=[string_literal(a) for a in record.aliases],
        fields=body.fields,
        body=body,
        # pydantic checks a distinct fixed (a bytes subclass) with isinstance only when told to
        arbitrary_types=scope.fixed_refs != before,
    )


def enum_view(enum: Enum, scope: ModuleScope) -> EnumView:
    members = scope.layout.members[enum.fullname]
    default = members[enum.symbols.index(enum.default)] if enum.default is not None else None
    return EnumView(
        name=scope.layout.classes[enum.fullname].name,
        fullname=enum.fullname,
        doc=docstring(enum.doc, "    "),
        members=[(m, string_literal(s)) for m, s in zip(members, enum.symbols, strict=True)],
        default=default,
    )


def fixed_view(fixed: Fixed, scope: ModuleScope) -> FixedView:
    return FixedView(
        name=scope.layout.classes[fixed.fullname].name,
        fullname=fixed.fullname,
        size=fixed.size,
        doc=docstring(
            f"Avro fixed `{fixed.fullname}` ({fixed.size} bytes), a type of its own so a union "
            "can tell it from other bytes.",
            "    ",
        ),
    )


@dataclass(frozen=True, slots=True)
class ModelsView:
    """One models module: fixed and enums first (record defaults may name them)."""

    fixed: list[FixedView]
    enums: list[EnumView]
    records: Iterable[RecordView]
    """Made one at a time as the template reaches them (so are their imports and union helpers):
    a record's field views are dropped once its class is written."""
    helpers: list[str]
    """Complete once every record is made (the template writes them last)."""
