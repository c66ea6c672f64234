"""The Karapace dialect layer, proven against the recording of a real Karapace 6.2.0.

All 247 recorded requests are sent in order to `KarapaceDialect` over a fresh embedded store, and
each answer must equal the recorded one: same status, same body, with the recording's rules
(README of `replay/`): ids substituted by the ones this registry returned at the same step,
`unordered` lists compared as multisets, the `varies` 409 message compared with its unordered
tail as a set. The steps the layer does not reproduce are listed in `NOT_REPRODUCED` with why;
the test fails when a listed step starts to match (the list must shrink) or another one differs.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from tests.registry.karapace_dialect import RECORDING, serve_karapace

_PARSER = "Karapace parses Avro with the Python `avro` library, the embedded registry strictly"
_IDS = "Karapace gives a new id to a schema Confluent (and the embedded registry) de-duplicate"
_CASCADE = "a consequence of an earlier step not reproduced (the subject holds other versions)"
_FASTAPI = "a FastAPI validation list of Karapace's web framework, not a registry answer"
NOT_REPRODUCED: dict[int, str] = {
    8: _FASTAPI,
    31: _IDS + " (29-30 wrote `{'type':'string'}` for `'string'`): a version more",
    33: _PARSER + " (its error text)",
    34: _PARSER + " (it accepts a default of the wrong type)",
    35: _PARSER + " (its error text)",
    36: _PARSER + " (it accepts the field name `bad-name`)",
    37: _CASCADE,
    38: _CASCADE,
    39: _PARSER + " (its error text)",
    40: _FASTAPI,
    41: _FASTAPI,
    42: _FASTAPI,
    43: _FASTAPI,
    45: _FASTAPI,
    51: "Karapace's look-up of an invalid schema: its own wording",
    54: "GET /subjects in registration order (the embedded registry sorts), and the cascade",
    85: "GET /subjects in registration order, and the cascade",
    181: _FASTAPI,
    200: "Karapace's look-up without references: its own wording",
    202: _PARSER + " (a reference to a missing subject: its error text)",
    203: _PARSER + " (its error text)",
    204: _PARSER + " (its error text)",
    221: "GET /subjects in registration order, and the cascade",
    222: "?deleted=true lists subjects that only ever had a level (config-only, ghost)",
    229: "re-registering after a soft delete makes a new version in Karapace",
    232: "re-registering after a soft delete makes a new version in Karapace (cascade)",
    241: "GET /subjects in registration order, and the cascade",
    242: "?deleted=true lists subjects that only ever had a level (config-only, ghost)",
    245: "GET /subjects in registration order, and the cascade",
}


def _steps() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDING.read_text().splitlines()]


class Ids:
    """Recorded ids → the ids this registry gave at the same steps."""

    def __init__(self) -> None:
        self.ours: dict[int, int] = {}

    def path(self, path: str) -> str:
        head, sep, rest = path.partition("/schemas/ids/")
        if not sep:
            return path
        number, slash, tail = rest.partition("/")
        number, q, query = number.partition("?")
        if number.isdigit() and int(number) in self.ours:
            number = str(self.ours[int(number)])
        return f"{head}{sep}{number}{q}{query}{slash}{tail}"

    def learn(self, recorded: Any, got: Any) -> None:
        pair = (recorded, got)
        if all(isinstance(x, dict) and isinstance(x.get("id"), int) for x in pair):
            self.ours.setdefault(recorded["id"], got["id"])


def _same(
    recorded: Any, got: Any, step: dict[str, Any], ids: Ids, at: str = "response_body"
) -> bool:
    if at in step.get("unordered", ()):
        return isinstance(got, list) and Counter(map(json.dumps, recorded)) == Counter(
            map(json.dumps, got)
        )
    if at in step.get("varies", ()):
        head, _, tail = recorded.partition("Incompatibilities: ")
        got_head, _, got_tail = str(got).partition("Incompatibilities: ")
        return head == got_head and set(tail.split(", ")) == set(got_tail.split(", "))
    if isinstance(recorded, dict) and isinstance(got, dict):
        if recorded.keys() != got.keys():
            return False
        return all(
            (ids.ours.get(recorded[k]) == got[k])
            if k == "id"
            else _same(recorded[k], got[k], step, ids, f"{at}.{k}")
            for k in recorded
        )
    if step["path"].endswith("/referencedby") and isinstance(recorded, list):
        return [ids.ours.get(x) for x in recorded] == got  # schema ids (195-196)
    if isinstance(recorded, str) and isinstance(got, str) and at.endswith(".schema"):
        return json.loads(recorded) == json.loads(got)
    return bool(recorded == got)


def test_every_recorded_step_is_answered_as_karapace_did(tmp_path: Path) -> None:
    ids = Ids()
    differ: dict[int, str] = {}
    with serve_karapace(tmp_path / "r.db") as url, httpx.Client(base_url=url) as http:
        for step in _steps():
            body = step.get("request_body")
            content = None
            if body is not None:
                content = json.dumps(body) if step.get("request_body_is_json", True) else body
            answer = http.request(
                step["method"],
                ids.path(step["path"]),
                headers=step["request_headers"],
                content=content,
            )
            try:
                got: Any = answer.json()
            except ValueError:
                got = answer.text
            recorded = step["response_body"]
            if answer.status_code == 200:
                ids.learn(recorded, got)
            if answer.status_code != step["status"] or not _same(recorded, got, step, ids):
                differ[step["step"]] = f"{answer.status_code} {json.dumps(got)[:200]}"
    unexpected = {n: d for n, d in differ.items() if n not in NOT_REPRODUCED}
    assert unexpected == {}, f"steps answered unlike Karapace: {unexpected}"
    now_matching = sorted(set(NOT_REPRODUCED) - set(differ))
    assert now_matching == [], "these steps match the recording now: remove them from the list"
