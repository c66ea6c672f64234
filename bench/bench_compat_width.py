"""How does the compatibility check scale with record width? (Reports; asserts nothing.)

A record of N fields (a third plain primitives, a fifth nullable unions with a null default, the
rest other primitives and a few enums, fixed and arrays), in 11 versions: each adds one field with
a default. The candidate is checked FULL_TRANSITIVE against the ten earlier versions, which is 20
reader/writer checks of N fields each. Beside it: parsing the 11 texts (strict for the candidate,
lenient for the history, as a registry does), the cost every check starts from. CPU time, best of
three for the check; `check/parse` is the check's cost against that baseline, and the last column
its cost per field and direction, which stays flat when the cost is linear.

    .venv/bin/python bench/bench_compat_width.py [--widths 100,1000,5000,10000]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from contractgen.compat import api
from contractgen.compat.levels import HistoryVersion, check_level
from contractgen.ir.model import Level


def field(i: int) -> dict[str, Any]:
    if i % 5 == 0:
        return {"name": f"f{i}", "type": ["null", "string"], "default": None}
    if i % 97 == 0:
        return {"name": f"f{i}", "type": {"type": "enum", "name": f"E{i}", "symbols": ["A", "B"]}}
    if i % 89 == 0:
        return {"name": f"f{i}", "type": {"type": "fixed", "name": f"X{i}", "size": 8}}
    if i % 83 == 0:
        return {"name": f"f{i}", "type": {"type": "array", "items": "long"}}
    return {"name": f"f{i}", "type": ["string", "int", "long", "double"][i % 4]}


def version(width: int, added: int) -> str:
    fields = [field(i) for i in range(width)]
    fields += [{"name": f"x{j}", "type": "int", "default": 0} for j in range(added)]
    return json.dumps({"type": "record", "name": "Wide", "namespace": "bench", "fields": fields})


def best(action: Callable[[], object], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return min(times)


def measure(width: int) -> tuple[float, float]:
    texts = [version(width, added) for added in range(11)]

    def parse_all() -> tuple[api.ParsedSchema, list[api.ParsedSchema]]:
        history = [api.parse(t, strict=False) for t in texts[:10]]
        return api.parse(texts[10], strict=True), history

    candidate, parsed = parse_all()
    history = [HistoryVersion(p.schema, p.canonical, n) for n, p in enumerate(parsed, start=1)]

    def check() -> None:
        result = check_level(candidate.schema, history, Level.FULL_TRANSITIVE)
        assert result.is_compatible and len(result.checks) == 10

    return best(parse_all, rounds=1), best(check)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--widths", default="100,1000,5000,10000")
    widths = [int(w) for w in parser.parse_args().widths.split(",")]
    header = f"{'fields':>7} {'parse 11 texts':>15} {'FULL_TRANSITIVE x10':>20}"
    print(f"{header} {'check/parse':>12} {'µs/field':>9}")
    for width in widths:
        parse_cost, check_cost = measure(width)
        per_field = 1e6 * check_cost / (20 * width)
        print(
            f"{width:>7} {parse_cost:>14.3f}s {check_cost:>19.3f}s "
            f"{check_cost / parse_cost:>12.3f} {per_field:>9.2f}"
        )


if __name__ == "__main__":
    main()
