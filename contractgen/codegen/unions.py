"""The two helper functions of a union with more than one non-null branch.

Writing tags every branch with fastavro's tuple notation `(name, datum)`, so fastavro never has to
guess (records of identical shape stay distinct). Reading dispatches records on the name fastavro
returns with `return_record_name=True`; other branches are told apart by their Python class, which
`typemap` guarantees to be distinct.
"""

from __future__ import annotations

from contractgen.codegen.imports import Imports
from contractgen.codegen.pysource import LINE_LENGTH, fit
from contractgen.codegen.pytypes import PyType

_MERGED = ("int", "float")
"""int|long and float|double: the same Python value, written untagged (fastavro picks the first
branch it fits)."""


def _test(branch: PyType, imports: Imports) -> str:
    kind = branch.runtime_class
    if branch.is_record or (kind == "str" and branch.write is not None):
        return f"isinstance(v, {branch.annotation})"
    if branch.write is not None and kind == "bytes":
        return f"isinstance(v, {branch.annotation})"
    if kind.startswith("datetime"):
        cls = imports.std("datetime", "datetime")
        return f"isinstance(v, {cls}) and v.tzinfo is {'not None' if 'aware' in kind else 'None'}"
    if kind == "date":
        date, datetime = imports.std("datetime", "date"), imports.std("datetime", "datetime")
        return f"isinstance(v, {date}) and not isinstance(v, {datetime})"
    if kind == "float":
        return "isinstance(v, int | float)"
    return f"isinstance(v, {kind})"


def _signature(name: str, annotation: str, returns: str) -> list[str]:
    line = f"def {name}(v: {annotation}) -> {returns}:"
    if len(line) <= LINE_LENGTH:
        return [line]
    return [f"def {name}(", *fit("    ", "v: ", annotation, ","), f") -> {returns}:"]


def _write_order(branch: PyType) -> int:
    # bool is an int and an int is acceptable as a float: test the narrower classes first
    return {"bool": 0, "float": 2}.get(branch.runtime_class, 1)


def writer_source(name: str, annotation: str, branches: list[PyType], imports: Imports) -> str:
    any_ = imports.std("typing", "Any")
    counts: dict[str, int] = {}
    for branch in branches:
        counts[branch.runtime_class] = counts.get(branch.runtime_class, 0) + 1
    lines = _signature(name, annotation, any_)
    if "None" in annotation.split(" | "):
        lines += ["    if v is None:", "        return None"]
    for branch in sorted(branches, key=_write_order):
        value = branch.write("v") if branch.write is not None else "v"
        if counts[branch.runtime_class] > 1 and branch.runtime_class in _MERGED:
            datum = value
        else:
            datum = f'("{branch.branch_name}", {value})'
        lines += [f"    if {_test(branch, imports)}:", f"        return {datum}"]
    lines.append('    raise TypeError(f"a {type(v).__name__} is not a branch of this union")')
    return "\n".join(lines) + "\n"


def reader_source(name: str, branches: list[PyType], imports: Imports) -> str:
    any_ = imports.std("typing", "Any")
    # the return type is Any: fastavro hands out Any, and a cast per message costs a call
    lines = [f"def {name}(v: {any_}) -> {any_}:"]
    named = [b for b in branches if b.named]
    if named:
        # records always come tagged; enums and fixed when the schema names them by reference
        lines += ["    if type(v) is tuple:", "        branch, v = v"]
        for branch in (b for b in named if b.is_record):
            assert branch.read is not None
            test = _is_one_of([branch.branch_name, *branch.aliases])
            lines += [f"        if {test}:", f"            return {branch.read('v')}"]
        plain = [b.branch_name for b in named if not b.is_record]
        unexpected = '        raise ValueError(f"unexpected branch {branch!r} in union")'
        if plain:
            lines += [f"        if {_is_one_of(plain, negate=True)}:", f"    {unexpected}"]
        else:
            lines.append(unexpected)
    for branch in branches:
        if branch.read is not None and not branch.is_record:
            lines += [
                f"    if isinstance(v, {branch.runtime_class}):",
                f"        return {branch.read('v')}",
            ]
    lines.append("    return v")
    return "\n".join(lines) + "\n"


def _is_one_of(names: list[str], *, negate: bool = False) -> str:
    if len(names) == 1:
        return f'branch {"!=" if negate else "=="} "{names[0]}"'
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"branch {'not in' if negate else 'in'} ({quoted})"
