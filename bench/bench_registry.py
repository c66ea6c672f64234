"""Registry throughput: registrations, look-ups and id reads over HTTP; `check` and `register
--dry-run` over 500 subjects. Reported, not asserted.

    .venv/bin/python bench/bench_registry.py [--subjects 500]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from contractgen.compat.run import CheckOptions
from contractgen.ir.model import ContractSet
from contractgen.project import load_project
from contractgen.registry.client import RegistryClient
from contractgen.registry.connect import open_client
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.registry.plan import apply, plan
from contractgen.registry.targets import inline_targets
from contractgen.registry.verify import check_against_registry


def record(n: int, extra: bool = False) -> str:
    fields = [{"name": "id", "type": "string"}, {"name": "amount", "type": "long"}]
    if extra:
        fields.append({"name": "note", "type": ["null", "string"], "default": None})
    return json.dumps({"type": "record", "name": f"E{n}", "namespace": "bench", "fields": fields})


def rate(label: str, count: int, run: Callable[[], None]) -> None:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<46} {count / seconds:9.0f}/s   ({count} in {seconds:.2f}s)")


def http_rates(store: Path, subjects: int) -> None:
    with serve_in_thread(store) as url, httpx.Client(base_url=url) as http:

        def register(extra: bool) -> None:
            for n in range(subjects):
                body = {"schema": record(n, extra)}
                http.post(f"/subjects/s{n}/versions", json=body).raise_for_status()

        rate("register, new subject (HTTP)", subjects, lambda: register(False))
        rate("register, version 2 + BACKWARD check (HTTP)", subjects, lambda: register(True))
        rate("register, already registered (HTTP)", subjects, lambda: register(True))

        def lookup() -> None:
            for n in range(subjects):
                http.post(f"/subjects/s{n}", json={"schema": record(n, True)}).raise_for_status()

        rate("look-up POST /subjects/{s} (HTTP)", subjects, lookup)

        def by_id() -> None:
            for n in range(1, subjects + 1):
                http.get(f"/schemas/ids/{n}").raise_for_status()

        rate("GET /schemas/ids/{id} (HTTP)", subjects, by_id)


def project(root: Path, topics: int) -> Path:
    (root / "schemas").mkdir(parents=True)
    lines = ['schemas = ["schemas"]']
    for n in range(topics):
        (root / "schemas" / f"E{n}.avsc").write_text(record(n))
        lines += [f'[[topics]]\nname = "t{n}"\nkey = "string"\nevents = ["bench.E{n}"]']
    (root / "contractgen.toml").write_text("\n".join(lines) + "\n")
    return root


def timed(label: str, run: Callable[[], object]) -> None:
    start = time.perf_counter()
    run()
    print(f"{label:<46} {time.perf_counter() - start:9.2f}s")


def client_times(name: str, client: RegistryClient, contracts: ContractSet) -> None:
    declared = inline_targets(contracts)
    first = plan(client, declared)
    timed(f"register plan, all new ({name})", lambda: plan(client, declared))
    timed(f"register apply ({name})", lambda: apply(client, first))
    timed(f"register plan, all NOOP ({name})", lambda: plan(client, declared))
    options = CheckOptions(lint={})
    timed(
        f"check --against registry ({name})",
        lambda: check_against_registry(contracts, client, options),
    )
    client.close()


def check_times(root: Path, subjects: int) -> None:
    contracts = load_project(cwd=project(root / "project", subjects // 2)).contracts
    print(f"{len(contracts.contracts())} subjects")
    client_times("embedded", open_client(f"embedded:{root / 'embedded.db'}"), contracts)
    with serve_in_thread(root / "served.db") as url:
        client_times("HTTP", open_client(url, env={}), contracts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        http_rates(Path(tmp) / "rates.db", args.subjects)
        check_times(Path(tmp), args.subjects)


if __name__ == "__main__":
    main()
