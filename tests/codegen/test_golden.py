"""Golden cases: generation from each case's schemas matches its committed tree exactly.

Missing and extra files are reported first, then the first differing file as a diff.
Regenerate with `python -m tests.golden.regen` and review the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from golden.regen import CASES, GOLDEN, render_case

REGEN = "run `python -m tests.golden.regen` and review the diff"


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


def test_generation_is_deterministic() -> None:
    for case in CASES:
        assert render_case(case) == render_case(case)
