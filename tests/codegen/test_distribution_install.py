"""The generated distribution installs like any package: a wheel built from it goes into a fresh
virtualenv outside this repository (next to contractgen built from this checkout), and a typed
producer and consumer from it talk through the mock cluster and the embedded registry."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from golden.regen import GOLDEN

REPO = GOLDEN.parent.parent
DISTRIBUTION = GOLDEN / "distribution" / "expected"

SERVICE = """
import sys
from pathlib import Path

import acme.contracts
from acme.contracts.customers import CustomersConsumer, CustomersProducer
from acme.contracts.models.com.example.crm import Address, Customer
from confluent_kafka.schema_registry import SchemaRegistryClient
from contractgen.dev.mock_cluster import MockKafkaCluster
from contractgen.registry.embedded.server import serve_in_thread

installed = Path(acme.contracts.__file__).resolve()
assert Path(sys.prefix).resolve() in installed.parents, installed
assert (installed.parent / "py.typed").is_file()
sent = Customer(id="c-1", checksum=b"0123456789abcdef", address=Address(street="Main St"))
received = []
with serve_in_thread(sys.argv[1]) as url, MockKafkaCluster() as cluster:
    registry = SchemaRegistryClient({"url": url})
    config = {"bootstrap.servers": cluster.bootstrap_servers, "log_level": 3}
    producer = CustomersProducer(config, registry, auto_register=True)
    producer.send(sent, key="c-1")
    assert producer.flush(10) == 0
    producer.close()
    with CustomersConsumer(config, registry, group_id="service") as consumer:
        consumer.run(lambda e: received.append(e.envelope.payload), max_messages=1, idle_timeout=20)
assert received == [sent], received
print("delivered", received[0].id)
"""


def _run(*command: str | Path, cwd: Path) -> str:
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
@pytest.mark.kafka
def test_a_service_installs_the_wheel_and_exchanges_events(tmp_path: Path) -> None:
    pip = (sys.executable, "-m", "pip")
    # built from copies, so nothing (build/, *.egg-info) lands in the repository
    shutil.copytree(DISTRIBUTION, tmp_path / "distribution")
    checkout = tmp_path / "contractgen"
    shutil.copytree(REPO / "contractgen", checkout / "contractgen")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, checkout / name)
    wheels = tmp_path / "wheels"
    for source in (tmp_path / "distribution", checkout):  # each with its own build backend
        _run(*pip, "wheel", "-q", "--no-deps", "-w", wheels, source, cwd=tmp_path)

    service = tmp_path / "service"
    _run(sys.executable, "-m", "venv", "--without-pip", service / "venv", cwd=tmp_path)
    python = service / "venv" / "bin" / "python"
    # contractgen's own dependencies come from this environment (no download), appended
    # after the new environment's site-packages, so contractgen itself is the wheel's
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(_run(python, "-c", where, cwd=tmp_path).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    wheel_files = sorted(wheels.glob("*.whl"))
    assert [w.name.split("-")[0] for w in wheel_files] == ["acme_contracts", "contractgen"]
    _run(*pip, "--python", python, "install", "-q", "--no-index", *wheel_files, cwd=tmp_path)
    (service / "service.py").write_text(SERVICE, "utf-8")
    output = _run(python, "service.py", tmp_path / "registry.db", cwd=service)
    assert "delivered c-1" in output
