"""Why a union branch is unreadable: the reasons Avro Java does not report.

Java reports a changed union member as one `MISSING_UNION_BRANCH` ("reader union lacking writer
type: RECORD"): it probes union branches with a throw-away result. For the envelope's payload union
that hides every real cause (a field added without a default inside an event record). When the
reader union has a branch of the same name as the unreadable writer branch, checking that pair on
its own gives the causes, with locations made absolute so they point into the reader schema.
"""

from __future__ import annotations

from contractgen.compat.locate import branch_key
from contractgen.compat.resolution import (
    Incompatibility,
    IncompatibilityType,
    check_reader_writer,
)
from contractgen.ir.model import AvroSchema, Union

MAX_DEPTH = 3
"""Recursive types would explain themselves forever; three unions deep is plenty to read."""


def _join(prefix: str, location: str) -> str:
    return prefix if location == "/" else prefix + location


Reason = tuple[str, Incompatibility, str]
"""(branch name, cause, location of the MISSING_UNION_BRANCH the cause explains)."""


def branch_reasons(
    incompatibility: Incompatibility, reader: AvroSchema, writer: AvroSchema, depth: int = 0
) -> list[Reason]:
    """The causes of a MISSING_UNION_BRANCH whose branch exists under the same name, each
    followed by its own causes when it is a MISSING_UNION_BRANCH too."""
    r, w = incompatibility.reader_fragment, incompatibility.writer_fragment
    if depth >= MAX_DEPTH or incompatibility.type is not IncompatibilityType.MISSING_UNION_BRANCH:
        return []
    if not isinstance(r, Union) or w is None:
        return []
    base = incompatibility.location
    if isinstance(w, Union):
        base, _, index = base.rpartition("/")
        w = w.branches[int(index)]
    wanted = branch_key(writer, w)
    for position, branch in enumerate(r.branches):
        if branch_key(reader, branch) != wanted:
            continue
        inner = check_reader_writer(AvroSchema(branch, reader.named), AvroSchema(w, writer.named))
        prefix = f"{base.rstrip('/')}/{position}"
        reasons: list[Reason] = []
        for cause in inner.incompatibilities:
            absolute = Incompatibility(
                cause.type,
                _join(prefix, cause.location),
                cause.message,
                cause.reader_fragment,
                cause.writer_fragment,
            )
            reasons.append((wanted, absolute, incompatibility.location))
            reasons += branch_reasons(absolute, reader, writer, depth + 1)
        return reasons
    return []
