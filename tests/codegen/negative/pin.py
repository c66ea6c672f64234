"""Run mypy over misuse.py and print its output, as test_negative_typing.py compares it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent.parent
REPO = TESTS.parent


def mypy_output() -> str:
    golden = TESTS / "golden"
    packages = [golden / "basic/expected", golden / "topics/expected"]
    search = os.pathsep.join([str(REPO), *map(str, packages)])
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "mypy"),
            "--strict",
            "--no-incremental",
            "--no-error-summary",
            "--hide-error-context",
            str(HERE / "misuse.py"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": search},
    )
    return result.stdout


if __name__ == "__main__":
    (HERE / "misuse.expected").write_text(mypy_output(), "utf-8")
