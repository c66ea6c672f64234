"""The work tree's walk resolves only roots and symlinks: its files, real paths and shown paths are
those of resolving every file, through real directories, symlinked ones and symlinked files."""

from __future__ import annotations

from pathlib import Path

from contractgen.diagnostics import Diagnostic
from contractgen.sources.worktree import read_avsc, shown_path


def reference(root: Path, base: Path) -> list[tuple[str, str]]:
    """Every visible `.avsc` below `root`, by real path, first reached in sorted order."""
    found: dict[Path, str] = {}
    pending = [root]
    while pending:
        directory = pending.pop()
        for path in sorted(directory.iterdir(), key=lambda p: p.name):
            if path.name.startswith("."):
                continue
            if path.is_dir():
                pending.append(path)
            elif path.name.endswith(".avsc"):
                found.setdefault(path.resolve(), shown_path(path, base))
    return sorted((shown, real.read_text("utf-8")) for real, shown in found.items())


def test_symlinked_directories_and_files_are_read_once(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "schemas/a/deep").mkdir(parents=True)
    (project / "schemas/.hidden").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Shared.avsc").write_text("shared", "utf-8")
    (project / "schemas/a/One.avsc").write_text("one", "utf-8")
    (project / "schemas/a/deep/Two.avsc").write_text("two", "utf-8")
    (project / "schemas/.hidden/Hidden.avsc").write_text("hidden", "utf-8")
    (project / "schemas/b").symlink_to("a", target_is_directory=True)  # the same files again
    (project / "schemas/c").symlink_to(outside, target_is_directory=True)
    (project / "schemas/Link.avsc").symlink_to(outside / "Shared.avsc")
    problems: list[Diagnostic] = []
    files = read_avsc([project / "schemas"], project, problems)
    assert problems == []
    assert sorted((f.path, f.text) for f in files) == reference(project / "schemas", project)
    # the walk takes the last directory first: `b` reaches a's files before `a` does
    assert [f.path for f in files] == [
        "schemas/Link.avsc",
        "schemas/b/One.avsc",
        "schemas/b/deep/Two.avsc",
    ]
