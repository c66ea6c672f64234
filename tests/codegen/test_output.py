"""Writing the tree: all or nothing, only our own files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from contractgen.codegen.output import HEADER_PREFIX, compare, write
from contractgen.codegen.render import GeneratedFile
from contractgen.diagnostics import ContractError


def files(version: str) -> list[GeneratedFile]:
    return [
        GeneratedFile(f"pkg/m{i}.py", f"{HEADER_PREFIX}x.avsc. DO NOT EDIT.\nV = {version!r}\n")
        for i in range(5)
    ]


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}


def test_a_failure_while_writing_leaves_the_previous_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, files("old"))
    before = snapshot(tmp_path)
    real_fdopen = os.fdopen
    opened: list[int] = []

    def failing_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        opened.append(fd)
        if len(opened) == 3:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    with pytest.raises(ContractError, match=r"GEN005 cannot write .*No space left"):
        write(tmp_path, files("new"))
    assert snapshot(tmp_path) == before  # no staged leftovers, no half-updated file


def test_write_reports_and_compare_agrees(tmp_path: Path) -> None:
    first = write(tmp_path, files("a"))
    assert len(first.missing) == 5 and not first.modified
    assert not compare(tmp_path, files("a")).stale
    drift = compare(tmp_path, files("b")[:4])
    assert (len(drift.modified), drift.missing, drift.orphaned) == (4, [], ["pkg/m4.py"])
    second = write(tmp_path, files("b")[:4])
    assert second.orphaned == ["pkg/m4.py"] and not (tmp_path / "pkg/m4.py").exists()
