"""The one call from the embedded registry into the compatibility engine (contractgen.compat)."""

from __future__ import annotations

from collections.abc import Sequence

from contractgen.compat.levels import HistoryVersion, check_level
from contractgen.compat.messages import verbose_messages
from contractgen.ir.model import AvroSchema, Level

__all__ = ["HistoryVersion", "level_verdict"]


def level_verdict(
    level: Level, candidate: AvroSchema, newest_first: Sequence[HistoryVersion]
) -> tuple[bool, list[str]]:
    """Is `candidate` compatible at `level`, and Confluent's verbose messages saying why not.

    `newest_first`: the versions to check against. Non-transitive levels look at the first only,
    so passing one version checks exactly that one (`POST /compatibility/.../versions/{v}`).
    """
    result = check_level(candidate, list(reversed(newest_first)), level)
    return result.is_compatible, verbose_messages(result)
