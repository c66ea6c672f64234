"""README.md's output blocks are what the commands print: the story runs, the blocks must match.

`scripts/readme_story.py` runs the whole story once on a scratch copy of the contracts and
rewrites the blocks; this test runs the same story and compares (commit hashes masked).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.kafka]


def _story() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_story", REPO / "scripts/readme_story.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("readme_story", module)
    spec.loader.exec_module(module)
    return module


story = _story()


def test_every_readme_output_block_is_what_the_story_prints(tmp_path: Path) -> None:
    outputs = story.run_story(tmp_path)
    readme = (REPO / "README.md").read_text()
    expected = story.render(readme, outputs)
    assert story.normalized(readme) == story.normalized(expected), (
        "README.md differs from the story's output: run .venv/bin/python scripts/readme_story.py"
    )


def test_a_changed_block_is_caught_and_every_block_has_a_marker() -> None:
    readme = (REPO / "README.md").read_text()
    names = story.MARKER.findall(readme)
    assert len(names) == len(set(names)) >= 10
    outputs = {name: f"$ contractgen {name}\nsomething else" for name in names}
    assert story.normalized(story.render(readme, outputs)) != story.normalized(readme)
    with pytest.raises(SystemExit, match=r"no README\.md block for extra"):
        story.render(readme, {**outputs, "extra": "$ contractgen extra"})


def test_commit_hashes_are_masked_but_words_are_not() -> None:
    assert story.normalized("git:HEAD@7639f97 (version from 1a2b3c4d)") == (
        "git:HEAD@<commit> (version from <commit>)"
    )
    assert story.normalized("accepted defaced") == "accepted defaced"
