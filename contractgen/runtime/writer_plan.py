"""Reading an older writer's records without fastavro's schema resolution.

The common evolution of a topic is an event record gaining fields with defaults (or, read by an
older consumer, losing some). Decoding such a message with fastavro's resolution (writer schema
onto reader schema) costs about twice a plain decode. When the writer's schema differs from the
reader's only that way, decoding with the writer's schema alone, then adding the reader's
defaults and dropping the fields the reader lacks, gives the same datum at the cost of a plain
decode. `added_defaults` works out, once per writer schema, whether that holds and what to add
and drop; anything else (a changed type, a promotion, a changed enum, a nested record that
changed, a default of a logical or composite type) returns None and fastavro resolves.

Both schemas are the parsed JSON (after the codec's `adapt`); docs are ignored.
"""

from collections.abc import Mapping, Sequence
from typing import Any

# per union-valued field of the top record, per writer branch (record full name): the
# (field, default) pairs the writer lacks, and the writer's fields the reader lacks
Change = tuple[tuple[tuple[str, Any], ...], tuple[str, ...]]
Plan = dict[str, dict[str, Change]]
_SCALARS = {"string": str, "int": int, "long": int, "boolean": bool}


def added_defaults(writer: Any, reader: Any) -> Plan | None:
    """For each of the top-level record's union-of-records fields, the defaults to add and the
    fields to drop per writer branch; None when the schemas differ in any other way."""
    if not (_is_record(writer) and _is_record(reader)) or _header(writer) != _header(reader):
        return None
    reader_fields = {field["name"]: field for field in reader["fields"]}
    if [field["name"] for field in writer["fields"]] != list(reader_fields):
        return None
    plan: Plan = {}
    namespace = reader.get("namespace")
    for field in writer["fields"]:
        mine, theirs = _bare(field["type"]), _bare(reader_fields[field["name"]]["type"])
        if mine == theirs:
            continue
        branches = _union_plan(mine, theirs, namespace)
        if branches is None:
            return None
        plan[field["name"]] = branches
    return plan


def fill(plan: Plan, datum: Any) -> None:
    """Make a datum decoded with the writer's schema (record names on) the reader's."""
    for field, branches in plan.items():
        value = datum[field]
        change = branches.get(value[0]) if isinstance(value, tuple) else None
        if change is not None:
            record = value[1]
            for name, default in change[0]:
                record[name] = default.copy() if isinstance(default, dict | list) else default
            for name in change[1]:
                del record[name]


def _union_plan(writer: Any, reader: Any, namespace: str | None) -> dict[str, Change] | None:
    if not (isinstance(writer, list) and isinstance(reader, list)):
        return None
    readers = {_full_name(b, namespace): b for b in reader if _is_record(b)}
    plan = {}
    for branch in writer:
        if not _is_record(branch):
            return None
        name = _full_name(branch, namespace)
        theirs = readers.get(name)
        if theirs is None or _header(branch) != _header(theirs):
            return None
        change = _changed_fields(branch["fields"], theirs["fields"])
        if change is None:
            return None
        if change != ((), ()):
            plan[name] = change
    return plan


def _changed_fields(
    writer: Sequence[Mapping[str, Any]], reader: Sequence[Mapping[str, Any]]
) -> Change | None:
    """The reader's fields missing from the writer, with their defaults, and the writer's the
    reader lacks; None unless every shared field has the same type and every added one a plain
    default."""
    theirs = {field["name"]: field for field in reader}
    dropped = []
    for field in writer:
        match = theirs.pop(field["name"], None)
        if match is None:
            if any("aliases" in f for f in reader):  # the reader may know it by another name
                return None
            dropped.append(field["name"])
        elif _bare(match["type"]) != _bare(field["type"]):
            return None
    added = []
    for name, field in theirs.items():
        if "default" not in field or not _plain_default(field["type"], field["default"]):
            return None
        if "aliases" in field:
            return None
        added.append((name, field["default"]))
    return tuple(added), tuple(dropped)


def _plain_default(kind: Any, default: Any) -> bool:
    """True for the defaults fastavro hands back unchanged: null of a union starting with
    null, a scalar, an enum symbol, an empty map or array."""
    if isinstance(kind, list):
        return default is None and bool(kind) and kind[0] == "null"
    if isinstance(kind, str):
        scalar = _SCALARS.get(kind)
        return scalar is not None and type(default) is scalar
    if not isinstance(kind, dict) or "logicalType" in kind:
        return False
    if kind.get("type") in _SCALARS:
        return _plain_default(kind["type"], default)
    if kind.get("type") == "enum":
        return default in kind.get("symbols", ())
    if kind.get("type") == "map":
        return isinstance(default, dict) and not default
    if kind.get("type") == "array":
        return isinstance(default, list) and not default
    return False


def _bare(schema: Any) -> Any:
    """The schema without docs (they don't change the encoding)."""
    if isinstance(schema, dict):
        return {k: _bare(v) for k, v in schema.items() if k != "doc"}
    if isinstance(schema, list):
        return [_bare(item) for item in schema]
    return schema


def _is_record(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "record"


def _header(record: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(_bare(record.get(key)) for key in ("name", "namespace", "aliases"))


def _full_name(record: Mapping[str, Any], namespace: str | None) -> str:
    name = str(record["name"])
    space = record.get("namespace", namespace)
    return name if "." in name or not space else f"{space}.{name}"
