"""Files as they are at a git ref, read with git's plumbing commands (never changing repo state).

`check --against git:REF` compares the work tree with what the repository held at REF. In CI the
ref is often missing (a shallow clone, a branch not fetched): that is an infrastructure problem
reported with the exact git command that fixes it, never a silent pass.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """git is missing, the directory is not a repository, or a ref cannot be resolved."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        self.fix = fix
        super().__init__(f"{message}\n  fix: {fix}" if fix else message)


@dataclass(frozen=True, slots=True)
class Git:
    """One repository, seen from `cwd` (any directory inside the work tree)."""

    cwd: Path

    def run(self, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
        try:
            done = subprocess.run(
                ["git", *args], cwd=self.cwd, input=stdin, capture_output=True, check=False
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        if check and done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"`git {' '.join(args)}` failed: {detail}")
        return done.stdout if done.returncode == 0 else b""

    def ensure_repository(self) -> None:
        """GitError saying so when `cwd` is not inside a git work tree."""
        inside = self.run("rev-parse", "--is-inside-work-tree", check=False).decode().strip()
        if inside != "true":
            raise GitError(
                f"not a git repository ({self.cwd}): run it inside the contracts repository, "
                "or use --against dir:PATH"
            )

    def unborn(self, ref: str) -> bool:
        """Whether `ref` is HEAD (or the branch HEAD names) before its first commit."""
        head = self.run("symbolic-ref", "--quiet", "HEAD", check=False).decode().strip()
        if not head or self.commit("HEAD") is not None:
            return False
        return ref in ("HEAD", "@", head, head.removeprefix("refs/heads/"))

    def has_commits(self) -> bool:
        return bool(self.run("rev-list", "-n", "1", "--all", check=False).strip())

    def toplevel(self) -> Path:
        return Path(self.run("rev-parse", "--show-toplevel").decode().strip())

    def is_shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").decode().strip() == "true"

    def commit(self, ref: str) -> str | None:
        out = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return out.decode().strip() or None

    def resolve(self, ref: str) -> str:
        """The commit `ref` names; GitError with the fetch command when it is not here."""
        commit = self.commit(ref)
        if commit is None:
            remotes = self.run("remote", check=False).decode().split()
            if not remotes:
                # Nothing to fetch from: the ref is misspelt, or the branch was never created here.
                raise GitError(
                    f"git ref {ref!r} is not in this clone, and it has no remote to fetch it from",
                    "check the name with `git branch --all` and `git tag`",
                )
            raise GitError(f"git ref {ref!r} is not in this clone", _fetch_command(ref))
        return commit

    def default_branch(self) -> str | None:
        """The remote's default branch (`origin/main`), else a local `main` or `master`."""
        head = self.run("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", check=False)
        candidates = [head.decode().strip().removeprefix("refs/remotes/")] if head else []
        candidates += ["origin/main", "origin/master", "main", "master"]
        return next((c for c in candidates if c and self.commit(c)), None)

    def merge_base(self) -> tuple[str, str]:
        """(label, commit) of the merge base of HEAD with the default branch."""
        branch = self.default_branch()
        if branch is None:
            raise GitError(
                "no default branch to compare with (origin/main, main, master) in this clone",
                "git fetch origin main:refs/remotes/origin/main",
            )
        base = self.run("merge-base", "HEAD", branch, check=False).decode().strip()
        if not base:
            fix = "git fetch --unshallow" if self.is_shallow() else f"git fetch origin {branch}"
            raise GitError(f"HEAD and {branch} have no merge base in this clone", fix)
        return f"merge-base({branch})", base

    def first_parent_commits(self, commit: str, paths: Sequence[str]) -> list[str]:
        """Commits on `commit`'s first-parent line that touched `paths`, newest first."""
        out = self.run("rev-list", "--first-parent", commit, "--", *paths)
        return out.decode().split()

    def tree(self, commit: str, paths: Sequence[str]) -> dict[str, str]:
        """The files under `paths` at `commit` (paths from the top level) → their blob ids.

        Submodules (commits, not blobs) are not files of the tree; symlinks are, as the blob of
        their target path (what a checkout without symlinks holds).
        """
        out = self.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths)
        files: dict[str, str] = {}
        for entry in out.decode("utf-8").split("\0"):
            meta, tab, path = entry.partition("\t")
            _, kind, blob = [*meta.split(" "), "", ""][:3]
            if tab and kind == "blob":
                files[path] = blob
        return dict(sorted(files.items()))

    def read_blobs(self, blobs: Iterable[str]) -> dict[str, str]:
        """Each blob's text (invalid UTF-8 replaced), by id, in one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode())
        texts: dict[str, str] = {}
        at = 0
        for blob in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) < 3 or header[1] == b"missing":
                raise GitError(f"blob {blob} is missing from this clone", "git fsck")
            size = int(header[2])
            texts[blob] = out[at : at + size].decode("utf-8", "replace")
            at += size + 1
        return texts


def _fetch_command(ref: str) -> str:
    if ref.startswith("origin/"):
        branch = ref.removeprefix("origin/")
        return f"git fetch origin {branch}:refs/remotes/origin/{branch}"
    if len(ref) >= 7 and all(c in "0123456789abcdef" for c in ref.lower()):
        return "git fetch --unshallow"
    return f"git fetch origin {ref}:{ref}"
