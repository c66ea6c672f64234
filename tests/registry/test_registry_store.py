"""The SQLite store: concurrent writers in several processes, restarts, atomic registrations."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import httpx
import pytest

from contractgen.registry.embedded.engine import Registry
from contractgen.registry.embedded.server import serve_in_thread
from contractgen.registry.errors import RegistryError


def schema(n: int) -> str:
    return f'{{"type":"record","name":"R{n}","fields":[{{"name":"f","type":"int"}}]}}'


def _register_many(path: str, worker: int, count: int) -> list[tuple[str, int, int]]:
    registry = Registry(path)
    out = []
    try:
        for n in range(count):
            # Every worker registers shared schemas (same ids expected) into shared subjects.
            subject = f"s{n % 5}"
            registry.settings.set_level(subject, "NONE")
            found = registry.register(subject, schema(n % 7 + worker % 2))
            out.append((found.subject, found.version, found.id))
    finally:
        registry.close()
    return out


def test_parallel_processes_never_duplicate_ids_or_versions(tmp_path: Path) -> None:
    path = str(tmp_path / "registry.db")
    Registry(path).close()
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_register_many, [(path, w, 30) for w in range(4)])
    registry = Registry(path)
    try:
        ids_by_text: dict[str, int] = {}
        for subject in registry.subjects():
            versions = registry.versions(subject)
            assert versions == list(range(1, len(versions) + 1))
            for v in versions:
                found = registry.get_version(subject, v)
                assert ids_by_text.setdefault(found.schema.schema, found.id) == found.id
        assert len(set(ids_by_text.values())) == len(ids_by_text) == 8
        # Every answer a worker got is what the store holds.
        for subject, version, schema_id in (r for rs in results for r in rs):
            assert registry.get_version(subject, version).id == schema_id
    finally:
        registry.close()


def test_threads_through_the_server(store_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with serve_in_thread(store_path) as url, httpx.Client(base_url=url) as http:
        http.put("/config", json={"compatibility": "NONE"})

        def register(n: int) -> int:
            body = http.post(f"/subjects/t{n % 3}/versions", json={"schema": schema(n % 10)}).json()
            return int(body["id"])

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(register, range(60)))
        for subject in ("t0", "t1", "t2"):
            versions = http.get(f"/subjects/{subject}/versions").json()
            assert versions == list(range(1, len(versions) + 1))
        assert len(set(answers)) == 10


def test_restart_keeps_everything(store_path: Path) -> None:
    with serve_in_thread(store_path) as url, httpx.Client(base_url=url) as http:
        http.put("/config", json={"compatibility": "FULL"})
        http.put("/config/s", json={"compatibility": "NONE"})
        http.put("/mode/m", json={"mode": "READONLY"})
        first = http.post("/subjects/s/versions", json={"schema": schema(1)}).json()
        http.post("/subjects/s/versions", json={"schema": schema(2)})
        http.delete("/subjects/s/versions/2")
    with serve_in_thread(store_path) as url, httpx.Client(base_url=url) as http:
        assert http.get("/config").json() == {"compatibilityLevel": "FULL"}
        assert http.get("/config/s").json() == {"compatibilityLevel": "NONE"}
        assert http.get("/mode/m").json() == {"mode": "READONLY"}
        assert http.get("/subjects/s/versions").json() == [1]
        assert http.get("/subjects/s/versions", params={"deleted": "true"}).json() == [1, 2]
        again = http.post("/subjects/other/versions", json={"schema": schema(1)}).json()
        assert again["id"] == first["id"]
        http.post("/subjects/s/versions", json={"schema": schema(3)})
        assert http.get("/subjects/s/versions").json() == [1, 3]


def test_a_failed_registration_leaves_nothing_behind(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry.db")
    try:
        registry.register("s", schema(1))
        with pytest.raises(RegistryError):
            registry.register(
                "s", '{"type":"record","name":"R1","fields":[{"name":"f","type":"string"}]}'
            )
        with sqlite3.connect(tmp_path / "registry.db") as raw:
            assert raw.execute("SELECT COUNT(*) FROM schemas").fetchone() == (1,)
            assert raw.execute("SELECT COUNT(*) FROM versions").fetchone() == (1,)
    finally:
        registry.close()


def test_stored_schemas_are_read_leniently(tmp_path: Path) -> None:
    """A registry must read what it holds, even names strict parsing rejects."""
    registry = Registry(tmp_path / "registry.db")
    legacy = '{"type":"record","name":"test-schema","fields":[{"name":"f","type":"int"}]}'
    try:
        with registry.store.write() as tx:  # as an older registry would have stored it
            tx.add_version("s", tx.schema_id_for("AVRO", legacy, legacy, ()))
        candidate = '{"type":"record","name":"test_schema","fields":[{"name":"f","type":"long"}]}'
        verdict = registry.check("s", candidate, verbose=True)
        # The history parsed (no 42201); the check itself ran and found the renamed record.
        assert not verdict.is_compatible
        assert verdict.messages[0].startswith("{errorType:'NAME_MISMATCH'")
        assert registry.get_version("s", 1).schema.schema == legacy
    finally:
        registry.close()
