"""A new user's first hour, scripted, in a fresh directory with a shell that has no virtualenv:
scaffold with `init`, author an event, check, register, generate, run a service that produces and
consumes through `contractgen dev`, and commit through the pre-commit hooks.

Every step runs the installed command line (`python -m contractgen.cli.main`, what the
`contractgen` script runs) in a subprocess, as a user's shell would.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.kafka]

ARCHIVED = """{
  "type": "record",
  "name": "ThingArchived",
  "namespace": "com.example.things",
  "doc": "A thing was archived; it stays readable.",
  "fields": [
    {"name": "thing_id", "type": "string"},
    {"name": "reason", "type": "string", "default": "unused"}
  ]
}
"""

SERVICE = """\
import os

from confluent_kafka.schema_registry import SchemaRegistryClient

from generated.models.com.example.things import ThingArchived, ThingCreated
from generated.things import ThingsConsumer, ThingsProducer

registry = SchemaRegistryClient({"url": os.environ["SCHEMA_REGISTRY_URL"]})
config = {"bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"]}
with ThingsProducer(config, registry, producer_name="things-service") as producer:
    producer.send(ThingCreated(thing_id="t-1", name="first")).result(30)
    producer.send(ThingArchived(thing_id="t-1", reason="done")).result(30)

seen = []
with ThingsConsumer(config, registry, group_id="things-service") as consumer:
    def handle(event):
        seen.append(f"{type(event.envelope.payload).__name__} {event.envelope.payload.thing_id}")
        if len(seen) == 2:
            consumer.stop()

    consumer.run(handle, idle_timeout=60)
print("; ".join(seen))
"""


class User:
    """A shell in `home/things`: PATH without the virtualenv, a git identity, nothing else."""

    def __init__(self, home: Path, pre_commit_home: Path) -> None:
        self.home = home
        self.cwd = home / "things"
        self.env = {
            "HOME": str(home), "PATH": "/usr/bin:/bin", "PRE_COMMIT_HOME": str(pre_commit_home),
            "GIT_AUTHOR_NAME": "New User", "GIT_AUTHOR_EMAIL": "new@example.com",
            "GIT_COMMITTER_NAME": "New User", "GIT_COMMITTER_EMAIL": "new@example.com",
            "PYTHONUNBUFFERED": "1",
        }  # fmt: skip

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=self.cwd, env={**self.env, **(env or {})}, capture_output=True, text=True,
            check=False, timeout=900,
        )  # fmt: skip

    def contractgen(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "contractgen.cli.main", *args)


@pytest.fixture
def user(tmp_path: Path, pre_commit_home: Path) -> User:
    return User(tmp_path, pre_commit_home)


@pytest.fixture
def dev_env(user: User) -> Iterator[dict[str, str]]:
    env_file = user.cwd / ".contractgen" / "dev.env"
    log = user.home / "dev.log"
    with log.open("w") as out:
        dev = subprocess.Popen(
            [sys.executable, "-m", "contractgen.cli.main", "dev", "--registry-port", "0"],
            cwd=user.cwd, env=user.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not env_file.exists():
            assert dev.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        lines = env_file.read_text().splitlines()
        yield dict(line.removeprefix("export ").split("=", 1) for line in lines if line)
    finally:
        dev.send_signal(signal.SIGTERM)
        assert dev.wait(timeout=60) == 0, log.read_text()
    assert not env_file.exists()


def step(done: subprocess.CompletedProcess[str], code: int = 0) -> str:
    assert done.returncode == code, (
        f"{done.args}: exit {done.returncode}\n{done.stdout}{done.stderr}"
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout + done.stderr


def test_a_new_user_goes_from_init_to_a_service_and_a_commit(
    user: User, request: pytest.FixtureRequest
) -> None:
    # Scaffold, then commit it as the README says (hooks installed from the virtualenv once).
    user.cwd.mkdir()
    step(user.contractgen("init"))
    step(user.run("git", "init", "-q", "-b", "main"))
    step(user.run(sys.executable, "-m", "pre_commit", "install"))
    step(user.run("git", "add", "-A"))
    assert "Passed" in step(user.run("git", "commit", "-qm", "Contracts"))

    # Author an event, declare it on the topic: validate and check agree it is safe.
    schema = user.cwd / "schemas/com/example/things/ThingArchived.avsc"
    schema.write_text(ARCHIVED)
    config = user.cwd / "contractgen.toml"
    config.write_text(
        config.read_text().replace(
            'events = ["com.example.things.ThingCreated"]',
            'events = ["com.example.things.ThingCreated", "com.example.things.ThingArchived"]',
        )
    )
    assert step(user.contractgen("validate")).startswith("ok: 1 topic, 2 subjects")
    assert "compatible" in step(user.contractgen("check", "--against", "git:HEAD"))
    assert "stale" in step(user.contractgen("generate", "--check"), 1)
    step(user.contractgen("generate"))
    assert "REGISTER" in step(user.contractgen("register"))
    assert "0 to register" in step(user.contractgen("register", "--dry-run"))

    # A service on the generated package, against `contractgen dev`.
    (user.cwd / "service.py").write_text(SERVICE)
    dev_env = request.getfixturevalue("dev_env")
    served = step(user.run(sys.executable, "service.py", env={**dev_env, "PYTHONPATH": "."}))
    assert served.strip() == "ThingCreated t-1; ThingArchived t-1"

    # Commit through the hooks, in this shell without the virtualenv.
    step(user.run("git", "add", "-A"))
    committed = step(user.run("git", "commit", "-qm", "ThingArchived"))
    assert committed.count("Passed") == 3, committed
    assert "ThingArchived" in (user.cwd / "generated/things.py").read_text()
