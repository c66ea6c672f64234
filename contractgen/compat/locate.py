"""From Avro Java's location (`/fields/1/type/0`) to `file:line:col`.

Java's locations are JSON pointers into the reader schema, with two twists: a writer union against
a plain reader adds the writer's branch index although the reader node stays the same, and
`name`/`symbols`/`size` name an attribute of the named type reached. Walking the reader's IR along
the pointer gives the deepest node that carries a location, and a path of *meaningful* steps (field
names rather than positions) that finds the same element in another version of the schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractgen.avro.positions import TextLocation
from contractgen.ir.model import (
    Array,
    AvroSchema,
    AvroType,
    Enum,
    Field,
    Fixed,
    Location,
    Map,
    NamedRef,
    Primitive,
    Record,
    Union,
)

Step = tuple[str, str]
"""(`field`, name) · (`type`, "") · (`items`, "") · (`values`, "") · (`branch`, type key)."""


@dataclass(frozen=True, slots=True)
class Located:
    location: Location | None
    steps: tuple[Step, ...]


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:] if t]


def branch_key(schema: AvroSchema, avro_type: AvroType) -> str:
    """What identifies a union branch across versions: its full name, else its type."""
    resolved = schema.resolve(avro_type)
    if isinstance(resolved, Primitive):
        return resolved.type
    if isinstance(resolved, Record | Enum | Fixed):
        return resolved.name
    return type(resolved).__name__.lower()


def _better(current: Location | None, candidate: Location | None) -> Location | None:
    return candidate if candidate is not None else current


def _own(node: AvroType, parent: Location | None, member: str | int) -> Location | None:
    """Where `node` is written, given its parent's own location: a plain primitive has none of
    its own (one shared object per name) and is written at its parent's `member`."""
    if node.location is not None or not isinstance(parent, TextLocation):
        return node.location
    return parent.child(member)


def locate(schema: AvroSchema, pointer: str) -> Located:
    """Follow a Java location through `schema` (the reader)."""
    node: AvroType = schema.root
    location = own = node.location  # the best location so far; the node's own, if known
    steps: list[Step] = []
    field: Field | None = None
    tokens = _tokens(pointer)
    i = 0
    while i < len(tokens):
        token, here = tokens[i], schema.resolve(node)
        if field is not None:
            if token != "type":
                break
            node, own, field = field.type, _own(field.type, field.location, "type"), None
            location = _better(location, own)
            steps.append(("type", ""))
        elif token == "fields" and isinstance(here, Record) and i + 1 < len(tokens):
            index = tokens[i + 1]
            if not index.isdigit() or int(index) >= len(here.fields):
                break
            field = here.fields[int(index)]
            location = _better(_better(location, here.location), field.location)
            steps.append(("field", field.name))
            i += 1
        elif token == "items" and isinstance(here, Array):
            node, own = here.items, _own(here.items, own, "items")
            location = _better(location, own)
            steps.append(("items", ""))
        elif token == "values" and isinstance(here, Map):
            node, own = here.values, _own(here.values, own, "values")
            location = _better(location, own)
            steps.append(("values", ""))
        elif token.isdigit() and isinstance(here, Union) and int(token) < len(here.branches):
            node, own = here.branches[int(token)], _own(here.branches[int(token)], own, int(token))
            location = _better(location, own)
            steps.append(("branch", branch_key(schema, node)))
        elif token.isdigit():
            pass  # a writer union's branch index: the reader node is unchanged
        else:
            if isinstance(node, NamedRef):
                location = _better(location, here.location)
            break  # `name`, `symbols`, `size`: an attribute of the node reached
        i += 1
    return Located(location, tuple(steps))


def follow(schema: AvroSchema, steps: tuple[Step, ...]) -> Location | None:
    """Where the element `steps` reached elsewhere is in `schema` (or its nearest parent)."""
    node: AvroType = schema.root
    location = own = node.location
    field: Field | None = None
    for kind, value in steps:
        here = schema.resolve(node)
        if kind == "field" and isinstance(here, Record):
            field = next((f for f in here.fields if value in (f.name, *f.aliases)), None)
            if field is None:
                return _better(location, here.location)
            location = _better(location, field.location)
        elif kind == "type" and field is not None:
            node, own, field = field.type, _own(field.type, field.location, "type"), None
            location = _better(location, own)
        elif kind in ("items", "values") and isinstance(here, Array | Map):
            node = here.items if isinstance(here, Array) else here.values
            own = _own(node, own, kind)
            location = _better(location, own)
        elif kind == "branch" and isinstance(here, Union):
            match = [i for i, b in enumerate(here.branches) if branch_key(schema, b) == value]
            if not match:
                return location
            node, own = here.branches[match[0]], _own(here.branches[match[0]], own, match[0])
            location = _better(location, own)
        else:
            break
    return location
