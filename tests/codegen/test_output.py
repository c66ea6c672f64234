"""Writing the tree: all or nothing, only our own files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contractgen.codegen.output import HEADER_PREFIX, compare, write
from contractgen.codegen.render import GeneratedFile
from contractgen.diagnostics import ContractError, Diagnostic


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


def _then_refused(files: list[GeneratedFile]) -> Iterator[GeneratedFile]:
    """Files as `package.stream` gives them, then a schema it refuses (a later module's)."""
    yield from files
    raise ContractError([Diagnostic("GEN003", "field `x` of a.B: the default is not an int")])


def test_a_schema_refused_after_files_were_staged_leaves_the_previous_tree(
    tmp_path: Path,
) -> None:
    write(tmp_path, files("old"))
    before = snapshot(tmp_path)
    new = [*files("new"), GeneratedFile("pkg/new/deeper/m.py", f"{HEADER_PREFIX}x.avsc.\n")]
    with pytest.raises(ContractError, match="GEN003"):
        write(tmp_path, _then_refused(new))
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "pkg/new").exists()  # nor the directories made for them


def test_a_foreign_file_late_in_the_stream_stops_everything(tmp_path: Path) -> None:
    mine = tmp_path / "pkg/z.py"
    mine.parent.mkdir()
    mine.write_text("Z = 1\n")
    new = [GeneratedFile("pkg/a/m.py", f"{HEADER_PREFIX}x.avsc.\n"), *files("v")]
    new.append(GeneratedFile("pkg/z.py", f"{HEADER_PREFIX}x.avsc.\n"))
    with pytest.raises(ContractError, match="GEN002"):
        write(tmp_path, iter(new))
    assert snapshot(tmp_path) == {"pkg/z.py": "Z = 1\n"}
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == ["z.py"]


def test_check_compares_a_stream_and_orders_its_diff_by_path(tmp_path: Path) -> None:
    write(tmp_path, files("a"))
    stream = iter([*reversed(files("b")), GeneratedFile("pkg/extra.py", "E = 1\n")])
    drift = compare(tmp_path, stream)
    assert drift.files == 6 and drift.missing == ["pkg/extra.py"]
    assert drift.modified == [f"pkg/m{i}.py" for i in range(5)]
    shown = [line for line in drift.diff.splitlines() if line.startswith("+++ ")]
    prefix = f"+++ b/{tmp_path.as_posix()}/"
    assert shown == [prefix + p for p in sorted(["pkg/extra.py", *drift.modified])]
