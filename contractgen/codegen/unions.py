"""The two helper functions of a union with more than one non-null branch (or a named one).

Writing tags every branch with fastavro's tuple notation `(name, datum)`, so fastavro never has to
guess (records of identical shape stay distinct). Reading dispatches records, enums and fixed on
the name fastavro returns with `return_named_type=True`; other branches are told apart by their
Python class.

Branches Python reads as the same class although Avro keeps them apart (`int` and `long`,
`float` and `double`, `time-millis` and `time-micros`, a decimal or uuid on bytes/string and on a
fixed) are written as one of them: the wider of `long`/`double` (it holds every value of the
other exactly), else the first in the union. A value read from any of them is written back as
that branch, so what the generated code writes reads back and writes again byte for byte.
"""

from __future__ import annotations

from contractgen.codegen.imports import Imports
from contractgen.codegen.pysource import LINE_LENGTH, fit
from contractgen.codegen.pytypes import PyType

_WIDER = ("long", "double")


def _python_class(branch: PyType) -> str:
    """What a writer can test a value for: the branch's own class, or the class the generated
    code converts fastavro's value to (a uuid fixed is bytes on the wire, UUID here), else what
    fastavro reads. Same test as `_test`."""
    converted = branch.write is not None and branch.runtime_class in ("bytes", "str")
    if branch.is_record or branch.own_class or converted:
        return branch.annotation
    return branch.runtime_class


def written_branches(branches: list[PyType]) -> list[PyType]:
    """One branch per Python class: the one values of that class are written as."""
    chosen: dict[str, PyType] = {}
    for branch in branches:
        key = _python_class(branch)
        if key not in chosen or (
            branch.branch_name in _WIDER and chosen[key].branch_name not in _WIDER
        ):
            chosen[key] = branch
    return list(chosen.values())


def _test(branch: PyType, imports: Imports) -> str:
    kind = branch.runtime_class
    if branch.is_record or branch.own_class or (kind == "str" and branch.write is not None):
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
    # bool is an int, an int is acceptable as a float, a distinct fixed is bytes: test the
    # narrower classes first
    if branch.own_class and branch.runtime_class == "bytes":
        return 0
    return {"bool": 0, "float": 2}.get(branch.runtime_class, 1)


def writer_source(name: str, annotation: str, branches: list[PyType], imports: Imports) -> str:
    any_ = imports.std("typing", "Any")
    lines = _signature(name, annotation, any_)
    if "None" in annotation.split(" | "):
        lines += ["    if v is None:", "        return None"]
    for branch in sorted(written_branches(branches), key=_write_order):
        value = branch.write("v") if branch.write is not None else "v"
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
        lines += ["    if type(v) is tuple:", "        branch, v = v"]
        # a branch's own name is that branch even where it is another branch's alias (a record
        # `ns.F` with the alias `.Inner` beside the record `Inner`)
        own = {b.branch_name for b in named}
        for branch in named:
            test = _is_one_of([branch.branch_name, *(a for a in branch.aliases if a not in own)])
            value = branch.read("v") if branch.read is not None else "v"
            lines += [f"        if {test}:", f"            return {value}"]
        lines.append('        raise ValueError(f"unexpected branch {branch!r} in union")')
    # untagged: an unnamed branch, or a named one read without `return_named_type` (told apart
    # only if no other branch reads as the same class)
    classes = [b.runtime_class for b in branches]
    for branch in branches:
        if branch.read is None or branch.is_record:
            continue
        if branch.named and classes.count(branch.runtime_class) > 1:
            continue
        lines += [
            f"    if isinstance(v, {branch.runtime_class}):",
            f"        return {branch.read('v')}",
        ]
    lines.append("    return v")
    return "\n".join(lines) + "\n"


def _is_one_of(names: list[str]) -> str:
    if len(names) == 1:
        return f'branch == "{names[0]}"'
    quoted = ", ".join(f'"{n}"' for n in names)
    return f"branch in ({quoted})"
