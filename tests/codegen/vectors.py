"""Schemas of the Java oracle vectors by id (`p-1918-1-old`), with what Java answered for them."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DATA = Path(__file__).parents[1] / "compat" / "data" / "java-oracle-vectors.jsonl.gz"


def oracle_schemas(ids: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """id → (schema text, Java's answers for it: `strict_parse`, `canonical`, ...)."""
    wanted = set(ids)
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not any(line.startswith(f'{{"id": "{i.rsplit("-", 1)[0]}"') for i in wanted):
                continue
            vector = json.loads(line)
            for side in ("old", "new"):
                name = f"{vector['id']}-{side}"
                if name in wanted:
                    found[name] = (vector[side], vector["java"][side])
    assert set(found) == wanted, wanted - set(found)
    return found
