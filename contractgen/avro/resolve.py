"""Make a self-contained schema: every named type written in full where first met, then by name.

This is the shape Avro Java writes (and a registry stores): types defined in other files are
inlined at their first use in a depth-first walk, in field and branch order.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping

from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Fixed,
    Map,
    NamedRef,
    NamedType,
    Record,
    Union,
)


class _Inliner:
    def __init__(self, table: Mapping[str, NamedType]) -> None:
        self.table = table
        self.started: set[str] = set()
        self.named: dict[str, NamedType] = {}

    def walk(self, avro_type: AvroType) -> AvroType:
        if isinstance(avro_type, NamedRef):
            if avro_type.fullname in self.started:
                return avro_type
            return self.define(self.table[avro_type.fullname])
        if isinstance(avro_type, (Record, Enum, Fixed)):
            if avro_type.fullname in self.started:
                return NamedRef(avro_type.fullname, avro_type.location)
            return self.define(avro_type)
        # A part with nothing to inline or to turn into a reference is reused, not copied: on a
        # big schema the copies were a third of the IR's memory.
        if isinstance(avro_type, Array):
            items = self.walk(avro_type.items)
            if items is avro_type.items:
                return avro_type
            return Array(items, avro_type.props, avro_type.location)
        if isinstance(avro_type, Map):
            values = self.walk(avro_type.values)
            if values is avro_type.values:
                return avro_type
            return Map(values, avro_type.props, avro_type.location)
        if isinstance(avro_type, Union):
            branches = tuple(self.walk(branch) for branch in avro_type.branches)
            if all(map(operator.is_, branches, avro_type.branches)):
                return avro_type
            return Union(branches, avro_type.location)
        return avro_type

    def define(self, definition: NamedType) -> NamedType:
        self.started.add(definition.fullname)
        result: NamedType = definition
        if isinstance(definition, Record):
            fields = tuple(self.field(f) for f in definition.fields)
            if not all(map(operator.is_, fields, definition.fields)):
                result = dataclasses.replace(definition, fields=fields)
        self.named[definition.fullname] = result
        return result

    def field(self, field: Field) -> Field:
        field_type = self.walk(field.type)
        if field_type is field.type:
            return field
        return dataclasses.replace(field, type=field_type)


def self_contained(root: AvroType, table: Mapping[str, NamedType]) -> AvroSchema:
    """The schema rooted at `root` with every named type it uses, resolved through `table`."""
    inliner = _Inliner(table)
    return AvroSchema(inliner.walk(root), inliner.named)
