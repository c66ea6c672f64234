"""Golden cases: generation from each case's schemas matches its committed tree exactly.

Missing and extra files are reported first, then the first differing file as a diff.
Regenerate with `python -m tests.golden.regen` and review the diff.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from golden.regen import CASES, GOLDEN, render_case

from contractgen.codegen import classbody, spool
from contractgen.codegen.output import compare
from contractgen.codegen.package import stream
from contractgen.codegen.render import Options
from contractgen.config import load_config
from contractgen.project import load_project

REGEN = "run `python -m tests.golden.regen` and review the diff"

# Renders every golden case into a temporary directory and prints {case: sha256 of its files}
# (of the diagnostics, for a refused case).
_RENDER_AND_HASH = """
import hashlib, json, sys, tempfile
from pathlib import Path
from contractgen.codegen.output import write
from golden.regen import CASES, render_case

hashes = {}
for case in CASES:
    digest = hashlib.sha256()
    _, result = render_case(case)
    if isinstance(result, str):
        digest.update(result.encode())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            write(Path(tmp) / "out", result)
            for path in sorted((Path(tmp) / "out").rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(tmp).as_posix().encode() + b"\\0")
                    digest.update(path.read_bytes() + b"\\0")
    hashes[case] = digest.hexdigest()
json.dump(hashes, sys.stdout)
"""


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text("utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.parametrize("case", CASES)
def test_case_matches_its_golden_record(case: str) -> None:
    output, result = render_case(case)
    if isinstance(result, str):
        assert not (GOLDEN / case / "expected").exists()
        assert (GOLDEN / case / "stderr.txt").read_text("utf-8") == result, REGEN
        return
    on_disk = _tree(output)
    generated = {f.path: f.text for f in result}
    assert sorted(set(generated) - set(on_disk)) == [], f"missing files: {REGEN}"
    assert sorted(set(on_disk) - set(generated)) == [], f"extra files: {REGEN}"
    for path, text in generated.items():
        if on_disk[path] != text:
            diff = "".join(
                difflib.unified_diff(
                    on_disk[path].splitlines(True), text.splitlines(True), path, path
                )
            )
            pytest.fail(f"{path} differs ({REGEN}):\n{diff}")


def _render_and_hash(hash_seed: str) -> dict[str, str]:
    tests = str(GOLDEN.parent)
    pythonpath = os.pathsep.join(p for p in (tests, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": pythonpath}
    done = subprocess.run(
        [sys.executable, "-c", _RENDER_AND_HASH],
        env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    hashes: dict[str, str] = json.loads(done.stdout)
    return hashes


def test_generation_is_deterministic() -> None:
    # two interpreters with different string hashing: set or dict order leaking into the output
    # would differ between them
    first, second = _render_and_hash("1"), _render_and_hash("2")
    assert sorted(first) == CASES
    assert first == second


@pytest.mark.parametrize("case", ["hostile", "topics", "distribution", "pydantic"])
def test_a_body_spooled_to_disk_in_tiny_blocks_checks_up_to_date(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the path of a big schema's modules and wide records (see codegen/spool.py and
    # codegen/classbody.py), compared as `--check` does
    monkeypatch.setattr(spool, "_BLOCK", 7)
    monkeypatch.setattr(spool, "_IN_MEMORY", 0)
    monkeypatch.setattr(classbody, "_GATHER", 2)
    config = load_config(GOLDEN / case / "contractgen.toml", cwd=GOLDEN / case)
    contracts = load_project(config.source.path, cwd=GOLDEN / case).contracts
    options = Options(config.package, config.flavour, config.frozen, config.distribution)
    drift = compare(config.output, stream(contracts, options))
    assert not drift.stale, drift.diff
    assert drift.files == len(_tree(config.output))
