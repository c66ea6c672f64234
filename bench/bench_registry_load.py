"""The registry server under load: look-ups/s with 16 keep-alive clients. (Reports only.)

`contractgen registry serve` runs in its own process, as deployed, on a store holding 200
subjects of realistic schemas (`bench_check.event`: nested records, an enum, unions, an array,
a map, logical types; about 1.5 KB of JSON each). 16 keep-alive HTTP/1.1 connections from one
asyncio client (raw streams, requests prebuilt, so the client spends little of the two cores)
then send, for a few seconds each, interleaved:

- `POST /subjects/{s}`: look up the subject version of a schema (what producers do at start-up
  and what `check --against registry` does per subject); goal: at least 2,000/s;
- `GET /schemas/ids/{id}`: the cheapest request, the baseline (HTTP and framework cost alone).

Reported (medians of rounds): requests per second of wall time; the server process's CPU per
request (from /proc) and the requests it answers per CPU second, which hold better on a shared
machine; and the load generator's own CPU per request (this process): when the server's and the
client's CPU together fill the cores ("cores" column), the wall rate is bounded by the machine,
not the server.

    .venv/bin/python bench/bench_registry_load.py [--seconds 3] [--rounds 3] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from bench_check import event
from measure import CONTRACTGEN

SUBJECTS = 200


def request(method: str, path: str, body: bytes = b"") -> bytes:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: bench\r\n"
        "Content-Type: application/vnd.schemaregistry.v1+json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def connection(
    host: str, port: int, requests: list[bytes], deadline: float, start: int
) -> int:
    """Send `requests` in turn (from `start`) until `deadline`; the number answered 200."""
    reader, writer = await asyncio.open_connection(host, port)
    done = 0
    try:
        while time.perf_counter() < deadline:
            writer.write(requests[(start + done) % len(requests)])
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"unexpected answer: {head.decode(errors='replace')[:200]}")
            length = re.search(rb"(?i)content-length:\s*(\d+)", head)
            await reader.readexactly(int(length[1]) if length else 0)
            done += 1
    finally:
        writer.close()
    return done


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(
    url: str, pid: int, requests: list[bytes], clients: int, seconds: float
) -> tuple[float, float, float]:
    """(requests per wall second, server CPU µs per request, client CPU µs per request)."""
    address = httpx.URL(url)
    host, port = address.host, address.port or 80

    async def run() -> int:
        deadline = time.perf_counter() + seconds
        counts = await asyncio.gather(
            *(connection(host, port, requests, deadline, n * 7) for n in range(clients))
        )
        return sum(counts)

    cpu_before, client_before = server_cpu(pid), time.process_time()
    start = time.perf_counter()
    count = asyncio.run(run())
    wall, cpu = time.perf_counter() - start, server_cpu(pid) - cpu_before
    client = time.process_time() - client_before
    return count / wall, cpu / count * 1e6, client / count * 1e6


def announced(log: Path, server: subprocess.Popen[bytes]) -> str:
    """The URL the server prints once it accepts connections."""
    for _ in range(300):
        found = re.search(r"contractgen registry: (https?://\S+)", log.read_text())
        if found:
            return found[1]
        if server.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit(f"the server did not start:\n{log.read_text()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    options = parser.parse_args()
    schemas = [json.dumps(event(n, n % 5, n % 3)) for n in range(SUBJECTS)]
    with tempfile.TemporaryDirectory(prefix="bench-registry-") as tmp:
        argv = [*CONTRACTGEN, "registry", "serve", "--port", "0", "--store", f"{tmp}/r.db"]
        log = Path(tmp, "server.log")
        with log.open("w") as sink:
            server = subprocess.Popen(argv, stderr=sink, cwd=tmp)
        try:
            url = announced(log, server)
            with httpx.Client(base_url=url) as http:
                for n, schema in enumerate(schemas):
                    answer = http.post(f"/subjects/s{n}/versions", json={"schema": schema})
                    answer.raise_for_status()
            bodies = [json.dumps({"schema": s}).encode() for s in schemas]
            kinds = {
                "POST /subjects/{s} (look-up)": [
                    request("POST", f"/subjects/s{n}", body) for n, body in enumerate(bodies)
                ],
                "GET /schemas/ids/{id} (baseline)": [
                    request("GET", f"/schemas/ids/{n + 1}") for n in range(SUBJECTS)
                ],
            }
            load(url, server.pid, kinds["POST /subjects/{s} (look-up)"], options.clients, 1.0)
            rates: dict[str, list[tuple[float, float, float]]] = {kind: [] for kind in kinds}
            for _ in range(options.rounds):
                for kind, requests in kinds.items():
                    rates[kind].append(
                        load(url, server.pid, requests, options.clients, options.seconds)
                    )
        finally:
            server.terminate()
            server.wait()
    print(f"{options.clients} keep-alive clients, {SUBJECTS} subjects, medians of {options.rounds}")
    print(
        f"  {'':<34} {'wall':>9} {'server CPU':>13} {'per CPU s':>10}"
        f" {'client CPU':>13} {'cores':>6}"
    )
    for kind, samples in rates.items():
        wall = statistics.median(s[0] for s in samples)
        server = statistics.median(s[1] for s in samples)
        client = statistics.median(s[2] for s in samples)
        cores = wall * (server + client) / 1e6
        print(
            f"  {kind:<34} {wall:7.0f}/s {server:10.0f} µs {1e6 / server:10.0f}"
            f" {client:10.0f} µs {cores:6.2f}"
        )
    print(
        f"  cores: CPU of server and client together per wall second ({os.cpu_count()} here);"
        " near the machine's count, the machine limits the wall rate, not the server"
    )


if __name__ == "__main__":
    main()
