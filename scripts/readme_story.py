"""The README's outputs, produced rather than written: run its story, then rewrite its blocks.

    .venv/bin/python scripts/readme_story.py           # run the story, rewrite README.md's blocks
    .venv/bin/python scripts/readme_story.py --check   # exit 1 with a diff when README.md differs

The story runs once, continuously, on a scratch git repository holding a copy of this repository's
contracts (`schemas/`, `pyproject.toml`, `generated/`, `examples/`) with the embedded registry:
the contracts are registered; a required field is added to `OrderCreated` by hand (one line, as a
user types it) and every check refuses it; a default fixes it; the fix is committed and registered,
twice; `generate` refreshes the package; `contractgen dev` serves it; the example producer sends
orders; `lag` reports them. Each step's registry and git state is what the steps before it left.

A README block is a fenced block right after a marker naming its step:

    <!-- output: check-break -->
    ```
    $ contractgen check --against git:HEAD
    ...
    ```

Commits are made with fixed dates and authors, so their hashes depend only on the contracts; the
scratch directory is shown as `.`; the ports `dev` picked are shown as the defaults a user gets
(8081) or as `<random port>`. `normalized()` masks commit hashes for `tests/test_readme.py`, so a
contract edit elsewhere does not fail it on hashes alone.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
ORDER_CREATED = Path("schemas/com/acme/orders/OrderCreated.avsc")
MARKER = re.compile(r"<!-- output: (?P<name>[a-z0-9-]+) -->\n```\n.*?\n```\n", re.DOTALL)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_AUTHOR_DATE": "2026-01-05T10:00:00Z", "GIT_COMMITTER_DATE": "2026-01-05T10:00:00Z",
}  # fmt: skip
# The user's edit: a required field right after `items`, typed into the file as one line.
AFTER_ITEMS = '      "type": {"type": "array", "items": "LineItem"}\n    },\n'
BREAKING_FIELD = '    {"name": "channel", "type": "string"},\n'
FIXED_FIELD = '    {"name": "channel", "type": "string", "default": "web"},\n'


class Story:
    """The scratch repository and the commands run in it, in order."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("CONTRACTGEN_", "GIT_"))
        }
        self.env.pop("SCHEMA_REGISTRY_URL", None)
        self.env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
        self.env.update(GIT_IDENTITY, PYTHONUNBUFFERED="1", PYTHONPATH=str(root))
        self.outputs: dict[str, str] = {}

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.root, env=self.env, check=True,
                       capture_output=True)  # fmt: skip

    def contractgen(self, name: str, *args: str) -> None:
        """Run `contractgen ARGS` as a user's shell would (stderr interleaved), keep its output."""
        done = subprocess.run(
            [sys.executable, "-m", "contractgen.cli.main", *args],
            cwd=self.root, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, check=False, timeout=300,
        )  # fmt: skip
        self.record(name, " ".join(("contractgen", *args)), done.stdout)

    def record(self, name: str, command: str, output: str) -> None:
        text = output.replace(f"{self.root}/", "").replace(str(self.root), ".")
        self.outputs[name] = f"$ {command}\n{text.rstrip()}"

    def edit(self, old: str, new: str) -> None:
        path = self.root / ORDER_CREATED
        text = path.read_text()
        if old not in text:
            raise SystemExit(f"readme_story: {ORDER_CREATED} changed: cannot find {old!r}")
        path.write_text(text.replace(old, new, 1))


def run_story(scratch: Path) -> dict[str, str]:
    """Every block's text, by name, from one run of the story in `scratch` (an empty directory)."""
    root = scratch / "contracts"
    root.mkdir()
    for name in ("schemas", "generated", "examples"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / ".gitignore").write_text(".contractgen/\n__pycache__/\n")
    story = Story(root)
    story.git("init", "-q", "-b", "main")
    story.git("add", "-A")
    story.git("commit", "-qm", "Contracts")

    story.contractgen("register-first", "register")
    story.edit(AFTER_ITEMS, AFTER_ITEMS + BREAKING_FIELD)
    story.contractgen("check-break", "check", "--against", "git:HEAD")
    story.contractgen("check-github", "check", "--against", "git:HEAD", "--format", "github")
    story.contractgen("plan-blocked", "register", "--dry-run")
    story.edit(BREAKING_FIELD, FIXED_FIELD)
    story.contractgen("check-fixed", "check", "--against", "git:HEAD")
    story.git("commit", "-qam", "OrderCreated: the sales channel")
    story.contractgen("register-merge", "register")
    story.contractgen("register-again", "register")
    story.contractgen("generate", "generate")
    _dev_and_lag(story)
    return story.outputs


def _dev_and_lag(story: Story) -> None:
    """`contractgen dev` in the background; the example producer; `lag` before any worker ran."""
    env_file = story.root / ".contractgen" / "dev.env"
    log = story.root / ".contractgen" / "dev.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        dev = subprocess.Popen(
            [sys.executable, "-m", "contractgen.cli.main", "dev", "--registry-port", "0"],
            cwd=story.root, env=story.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for(lambda: env_file.exists() and "Ctrl-C" in log.read_text(), dev, log)
        variables = dict(
            line.removeprefix("export ").split("=", 1) for line in env_file.read_text().split("\n")
            if line
        )  # fmt: skip
        shown = log.read_text()
        registry_port = variables["SCHEMA_REGISTRY_URL"].rsplit(":", 1)[1]
        broker_port = variables["KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1]
        shown = shown.replace(f"127.0.0.1:{registry_port}", "127.0.0.1:8081")
        shown = shown.replace(f"127.0.0.1:{broker_port}", "127.0.0.1:<random port>")
        story.record("dev", "contractgen dev", shown)
        story.env.update(variables)
        subprocess.run([sys.executable, "-m", "examples.place_orders"], cwd=story.root,
                       env=story.env, check=True, capture_output=True, timeout=120)  # fmt: skip
        story.contractgen("lag", "lag", "--group", "fulfilment", "--topic", "orders",
                          "--max-lag", "2")  # fmt: skip
    finally:
        dev.send_signal(signal.SIGTERM)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            dev.kill()
            dev.wait()


def _wait_for(ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"readme_story: contractgen dev did not start:\n{log.read_text()}")
        time.sleep(0.05)


def render(readme: str, outputs: dict[str, str]) -> str:
    """`readme` with every marked block replaced by its output; every output must have a block."""
    used: set[str] = set()

    def block(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in outputs:
            raise SystemExit(f"readme_story: README.md marks a block {name!r} the story lacks")
        used.add(name)
        return f"<!-- output: {name} -->\n```\n{outputs[name]}\n```\n"

    text = MARKER.sub(block, readme)
    if missing := sorted(set(outputs) - used):
        raise SystemExit(f"readme_story: no README.md block for {', '.join(missing)}")
    return text


def normalized(text: str) -> str:
    """Commit hashes masked (7 to 40 hex digits with at least one digit)."""
    return re.sub(r"\b(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b", "<commit>", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="readme-story-") as scratch:
        outputs = run_story(Path(scratch))
    current = README.read_text()
    expected = render(current, outputs)
    if not args.check:
        README.write_text(expected)
        print(f"README.md: {len(outputs)} blocks written")
        return 0
    if normalized(current) == normalized(expected):
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        current.splitlines(keepends=True), expected.splitlines(keepends=True),
        "README.md", "README.md (the story's output)",
    ))  # fmt: skip
    print("README.md differs from the story's output: run scripts/readme_story.py", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
