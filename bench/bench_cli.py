"""The CLI on repositories of 50, 500 and 2,000 topics: is it linear? (Reports; asserts nothing.)

Each repository is generated in a temporary directory: one event schema per topic (nested records,
an enum, a union, an array, a map, logical types: `bench_check.event`), at FULL_TRANSITIVE, with a
git history of 20 commits (the first adds every topic, each later one adds a field to a twentieth
of them, so a transitive check reads 20 states of the repository), the code generated and every
subject registered in the embedded registry. Then, as a user runs them, each in its own process:

- `validate`; `generate --check` (nothing stale); `check --against registry` (the embedded
  registry, one version per subject); `check --against git:HEAD` (the 20-commit history);
- `contractgen --help`, the start-up every command pays, as the baseline of the run.

CPU seconds (user + system, git included), medians of interleaved rounds; the goal is linear
growth: 2,000 topics cost at most 4.5x 500 topics.

    .venv/bin/python bench/bench_cli.py [--sizes 50,500,2000] [--rounds 3] [--only git]
                                        [--keep DIR]

`--only WORD` runs only the commands whose label contains WORD (the start-up baseline always
runs); `--keep DIR` builds the repositories in DIR (`DIR/t500`) and keeps them, and a later run with
the same DIR reuses them, so one command can be profiled or re-measured without rebuilding.
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench_check import event, git
from measure import CONTRACTGEN, Run, check_exit, interleaved, run

HISTORY = 20
"""Commits in the generated history."""

COMMANDS: dict[str, tuple[str, ...]] = {
    "validate": ("validate",),
    "generate --check": ("generate", "--check"),
    "check --against registry": ("check", "--against", "registry"),
    f"check --against git ({HISTORY} commits)": ("check", "--against", "git:HEAD"),
}


def write_config(root: Path, topics: int) -> None:
    lines = [
        'schemas = ["schemas"]',
        'output = "generated"',
        'package = "generated"',
        'compatibility = "FULL_TRANSITIVE"',
        "",
    ]
    for t in range(topics):
        lines += ["[[topics]]", f'name = "topic{t}"', 'key = "string"']
        lines += [f'events = ["bench.t{t}.Event0"]', ""]
    (root / "contractgen.toml").write_text("\n".join(lines), "utf-8")


def write_schema(root: Path, topic: int, revision: int) -> None:
    directory = root / "schemas" / "bench" / f"t{topic}"
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(event(topic, 0, revision), indent=2)
    (directory / "Event0.avsc").write_text(text, "utf-8")


def repository(root: Path, topics: int) -> Path:
    """A project of `topics` topics with its history, generated code and registered subjects."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text(".contractgen/\ngenerated/\n", "utf-8")
    write_config(root, topics)
    for t in range(topics):
        write_schema(root, t, 0)
    for commit in range(HISTORY):
        for t in range(topics):
            if commit and t % (HISTORY - 1) == commit - 1:
                write_schema(root, t, 1)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"commit {commit}")
    write_schema(root, 0, 2)  # one change in the work tree, as in a pull request
    for argv in (("generate",), ("register",)):
        done = subprocess.run(
            [*CONTRACTGEN, *argv], cwd=root, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{argv}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return root


def cpu(label: str, argv: tuple[str, ...], root: Path) -> float:
    result: Run = check_exit(label, run([*CONTRACTGEN, *argv], root))
    return result.cpu


def tasks(root: Path, only: str | None) -> dict[str, Callable[[], float]]:
    """Each command of the run (those whose label contains `only`) as a task measuring its CPU
    seconds in `root`; the start-up baseline always."""
    chosen = {k: v for k, v in COMMANDS.items() if only is None or only in k}
    if not chosen:
        raise SystemExit(f"--only {only!r} matches none of: {', '.join(COMMANDS)}")
    commands = {"--help (start-up)": ("--help",), **chosen}
    return {label: functools.partial(cpu, label, argv, root) for label, argv in commands.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,500,2000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="run only the commands whose label contains this")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the repositories here")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        base = options.keep.resolve() if options.keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            root = base / f"t{size}"
            if not (options.keep and (root / ".git").is_dir()):
                repository(root, size)
            results[size] = interleaved(tasks(root, options.only), options.rounds)
    labels = list(results[sizes[0]])
    print(f"CPU seconds, median of {options.rounds} interleaved rounds")
    print(f"{'':<38}" + "".join(f"{f'{s} topics':>14}" for s in sizes), end="")
    print(f"{'2000/500':>10}" if {500, 2000} <= set(sizes) else "")
    for label in labels:
        print(f"{label:<38}" + "".join(f"{results[s][label]:>14.2f}" for s in sizes), end="")
        if {500, 2000} <= set(sizes):
            print(f"{results[2000][label] / results[500][label]:>9.2f}x")
        else:
            print()


if __name__ == "__main__":
    main()
