"""Sweep the schemas of the Java oracle vectors through contractgen: validate, generate, round-trip.

Issue 12's claim: `validate` and `generate` on every schema the compatibility vectors contain (both
flavours) either produce code that imports, type-checks, lints with ruff's defaults and
round-trips byte-exactly, or refuse with exit 2 and a located message; and contractgen refuses
what Java's strict parser refuses. The test suite checks a lean sample of it
(tests/codegen/test_vector_schemas.py); this script checks all of it, or a seeded sample.

The schemas: every `old`/`new` text of tests/compat/data/java-oracle-vectors.jsonl.gz, each
distinct text once, named by its first occurrence (`<vector id>-<old|new>`). Two halves:

- `accepted` (Java's `strict_parse` is "ok"; 23,816 texts): the method of test_vector_schemas,
  per flavour (dataclasses, pydantic): load -> generate -> write -> import -> for every type of
  AVRO_TYPES, each `samples()` datum (tests/codegen/samples.py) written by fastavro with the
  schema the generated codec parses (`runtime.codec.parse(cls.AVRO_SCHEMA)`), read back,
  `from_avro`, `to_avro`, written again: the bytes must be equal.
- `refused` (Java's strict parse failed; 9,054 texts): contractgen must refuse them too.

Every refusal, in either half, is confirmed through the CLI in a scratch project: `contractgen
validate` (a schema refused when loading) or `contractgen generate --flavour F` (refused when
generating) must exit 2, print only `file:line:col: CODE message` lines, and write nothing.

Per schema one JSON line goes to --out: `{"id", "half", "java", "res": {stage: [status, detail]}}`
where stage is `parse`, `dataclasses`, `pydantic` (or `batch` for a crash / timeout) and status
`ok`, `refused-located`, `accepted` (refused half: contractgen took it) or a failure class
`<step>:<Exception>: <first line>`. Schemas run in batches, each in a subprocess (a crash or hang
costs one schema: the rest of the batch is re-queued), with a per-schema alarm. --out is appended
to and the ids already in it are skipped, so an interrupted run resumes. The summary (printed at
the end, or alone with --summary) groups failures and disagreements by class, with example ids,
and names the known classes (see KNOWN).

`--lint N` instead generates N random accepted schemas in both flavours and runs `mypy --strict`
(many packages per run) and `ruff check --isolated` on them; one line per schema to --out.

Usage (from the repository root; the sweep is CPU-bound, so nice it):

    nice -n 10 .venv/bin/python scripts/sweep_codegen_vectors.py --out /tmp/s.jsonl
    ... --half refused --sample 2000 --seed 1 --out /tmp/refused.jsonl
    ... --ids p-1041-8-old,p-1147-3-new --out /tmp/x.jsonl     (or --ids @file, an id a line)
    ... --skip /tmp/earlier.jsonl      (leave out the ids of another results file)
    ... --summary --out /tmp/s.jsonl   (only summarise a results file)
    ... --lint 150 --seed 2 --out /tmp/lint.jsonl

The code under test is the contractgen of the repository this script lives in (put first on
sys.path), so a checkout with other fixes can re-run a list of ids with the same venv.
Type-check it with `MYPYPATH=tests .venv/bin/mypy --strict scripts/sweep_codegen_vectors.py`.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import importlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contractgen.config import Flavour
    from contractgen.diagnostics import ContractError
    from contractgen.ir.model import ContractSet

REPO = Path(__file__).resolve().parent.parent
VECTORS = REPO / "tests" / "compat" / "data" / "java-oracle-vectors.jsonl.gz"
BIN = Path(sys.executable).parent
LOCATED = re.compile(r"^\S+:\d+:\d+: [A-Z]+\d+ ")
"""A diagnostic line as the CLI prints it: `file:line:col: CODE message`."""
PASSED = ("ok", "refused-located")

KNOWN: tuple[tuple[str, str], ...] = (
    (r"UnknownType", "rt: fastavro UnknownType, a short name bound outside its namespace"),
    (r"must match schema type", "rt: int default of a float/double written as an object"),
    (
        r"no value and no default for|'tuple' object has no attribute 'get'",
        "canon: re-rooted schema rebinds a null-namespace name (misbinding)",
    ),
    (r"KeyError: 'd'", "canon: KeyError 'd' in from_avro of a union branch"),
    (r"provided union type name .* not found", "canon: union type name (misbinding)"),
    (r"can't concat str to bytearray", "canon: bytes concat"),
)
"""The failure classes of the first sweep (/work/notes/sweep.md): status pattern, who fixes."""


@dataclass(frozen=True)
class Item:
    id: str
    half: str
    """`accepted` or `refused` by Java's strict parse."""
    java: str
    """`ok`, or Java's error message."""
    schema: str


class _Timeout(BaseException):
    """The per-schema alarm: a BaseException so the checks' `except Exception` let it through."""


# --- the schemas -------------------------------------------------------------------------------


def load_items() -> list[Item]:
    """Every distinct schema text of the vectors, named by its first occurrence."""
    items: dict[str, Item] = {}
    with gzip.open(VECTORS, "rt", encoding="utf-8") as lines:
        for line in lines:
            vector = json.loads(line)
            for side in ("old", "new"):
                text, java = vector[side], str(vector["java"][side]["strict_parse"])
                if text not in items:
                    half = "accepted" if java == "ok" else "refused"
                    items[text] = Item(f"{vector['id']}-{side}", half, java, text)
    return list(items.values())


def _ids_of(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as lines:
        return {json.loads(line)["id"] for line in lines if line.strip()}


def _id_list(spec: str) -> set[str]:
    if spec.startswith("@"):
        return set(Path(spec[1:]).read_text("utf-8").split())
    return {i for i in spec.split(",") if i}


def select(items: list[Item], args: argparse.Namespace) -> list[Item]:
    """The items to run: the half, --ids, minus --skip and what --out has; shuffled, --sample."""
    chosen = [i for i in items if args.half in ("both", i.half)]
    if args.ids:
        wanted = _id_list(args.ids)
        chosen = [i for i in chosen if i.id in wanted]
    done = _ids_of(args.out) | (_ids_of(args.skip) if args.skip else set())
    chosen = [i for i in chosen if i.id not in done]
    random.Random(args.seed).shuffle(chosen)  # so a partial run is still a fair sample
    return chosen[: args.sample] if args.sample else chosen


# --- one schema (in a worker process) ----------------------------------------------------------


def _use_repo() -> None:
    """Test this repository's contractgen and its test helpers (`codegen.samples`)."""
    for path in (str(REPO / "tests"), str(REPO)):
        if path in sys.path:
            sys.path.remove(path)
        sys.path.insert(0, path)


def _failure(step: str, error: BaseException) -> list[str]:
    first = (str(error).splitlines() or [""])[0][:200]
    return [f"{step}:{type(error).__name__}: {first}", traceback.format_exc()[-2500:]]


def _cli(item: Item, scratch: Path, command: list[str]) -> tuple[int, str, bool]:
    """Run `contractgen <command>` on the schema in a scratch project: exit code, stderr, wrote?"""
    from click.testing import CliRunner

    from contractgen.cli.main import main

    project = Path(tempfile.mkdtemp(dir=scratch))
    (project / "schemas").mkdir()
    (project / "schemas" / "s.avsc").write_text(item.schema, "utf-8")
    config = 'schemas = ["schemas"]\noutput = "out"\npackage = "p"\n'
    (project / "contractgen.toml").write_text(config, "utf-8")
    here = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner(env={"CONTRACTGEN_CONFIG": None}).invoke(main, command)
    finally:
        os.chdir(here)
    wrote = (project / "out").exists()
    shutil.rmtree(project, ignore_errors=True)
    return result.exit_code, result.stderr, wrote


def _refusal(error: ContractError, item: Item, scratch: Path, command: list[str]) -> list[str]:
    """`refused-located` if the diagnostics have locations and the CLI says the same with exit 2."""
    code, stderr, wrote = _cli(item, scratch, command)
    lines = stderr.splitlines()
    detail = " | ".join(lines[:2])[:400]
    if not error.diagnostics or not all(d.location for d in error.diagnostics):
        return [f"{command[0]}:refused-unlocated", str(error)[:400]]
    if code != 2 or wrote or not lines or not all(LOCATED.match(x) for x in lines):
        return [f"{command[0]}:cli-exit-{code}{' wrote' if wrote else ''}", stderr[-1500:]]
    return ["refused-located", detail]


def _flavour(
    item: Item, contracts: ContractSet, flavour: Flavour, root: Path, scratch: Path
) -> list[str]:
    from codegen.support import round_trip

    from contractgen.codegen.output import write
    from contractgen.codegen.package import generate
    from contractgen.codegen.render import Options
    from contractgen.diagnostics import ContractError

    package = package_name(item.id, flavour.value)
    try:
        files = generate(contracts, Options(package=package, flavour=flavour))
    except ContractError as error:
        return _refusal(error, item, scratch, ["generate", "--flavour", flavour.value])
    except Exception as error:
        return _failure("generate", error)
    try:
        write(root / package, files)
        importlib.invalidate_caches()
        module = importlib.import_module(package)
    except Exception as error:
        return _failure("import", error)
    try:
        round_trip(module, contracts)
    except Exception as error:
        return _failure("roundtrip", error)
    return ["ok", ""]


def check(item: Item, root: Path, scratch: Path) -> dict[str, list[str]]:
    """The results of one schema, by stage."""
    from codegen.support import contracts_of

    from contractgen.config import Flavour
    from contractgen.diagnostics import ContractError

    try:
        contracts = contracts_of(item.schema)
    except ContractError as error:
        return {"parse": _refusal(error, item, scratch, ["validate"])}
    except Exception as error:
        return {"parse": _failure("parse", error)}
    if item.half == "refused":
        code, _, _ = _cli(item, scratch, ["validate"])
        return {"parse": ["accepted", f"validate exit {code}"]}
    results = {"parse": ["ok", ""]}
    for flavour in Flavour:
        results[flavour.value] = _flavour(item, contracts, flavour, root, scratch)
    return results


def package_name(ident: str, flavour: str) -> str:
    return f"v_{ident.replace('-', '_')}_{flavour}"


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def worker(batch: Path, out: Path, schema_timeout: int) -> None:
    """Check every item of a batch file, appending (and flushing) one result line each."""
    _use_repo()
    sys.setrecursionlimit(5000)  # deeply nested vector schemas; samples() recurses per level
    signal.signal(signal.SIGALRM, _alarm)
    root = Path(tempfile.mkdtemp(prefix="sweep-"))
    scratch = root / "cli"
    scratch.mkdir()
    sys.path.insert(0, str(root))
    try:
        with batch.open(encoding="utf-8") as lines, out.open("a", encoding="utf-8") as sink:
            for line in lines:
                item = Item(**json.loads(line))
                print(item.id, file=sys.stderr, flush=True)  # the parent blames the last one
                signal.alarm(schema_timeout)
                try:
                    res = check(item, root, scratch)
                except _Timeout:
                    res = {"batch": [f"timeout:{schema_timeout}s", ""]}
                finally:
                    signal.alarm(0)
                record = {"id": item.id, "half": item.half, "java": item.java[:500], "res": res}
                sink.write(json.dumps(record) + "\n")
                sink.flush()
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- the driver --------------------------------------------------------------------------------


def _run_batch(batch: list[Item], args: argparse.Namespace) -> tuple[list[str], str]:
    """One batch in a subprocess: the result lines it wrote, and what went wrong if any."""
    with tempfile.TemporaryDirectory(prefix="sweep-batch-") as tmp:
        given, part = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        given.write_text("".join(json.dumps(asdict(i)) + "\n" for i in batch), "utf-8")
        command = [sys.executable, __file__, "--worker", str(given), "--out", str(part)]
        command += ["--schema-timeout", str(args.schema_timeout)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=args.timeout, check=False
            )
            crashed = f"crash:{done.returncode} {done.stderr[-600:]}"
            problem = "" if done.returncode == 0 else crashed
        except subprocess.TimeoutExpired:
            problem = f"timeout:batch {args.timeout}s"
        rows = part.read_text("utf-8").splitlines() if part.exists() else []
    return rows, problem


def sweep(items: list[Item], args: argparse.Namespace) -> None:
    """Run the items in batches, --jobs at a time, appending results to --out."""
    pending = collections.deque(items[i : i + args.batch] for i in range(0, len(items), args.batch))
    left, started = len(items), time.monotonic()
    with ThreadPoolExecutor(args.jobs) as pool, args.out.open("a", encoding="utf-8") as sink:
        running: dict[Future[tuple[list[str], str]], list[Item]] = {}
        while pending or running:
            while pending and len(running) < args.jobs:
                batch = pending.popleft()
                running[pool.submit(_run_batch, batch, args)] = batch
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = running.pop(future)
                rows, problem = future.result()
                got = {json.loads(row)["id"] for row in rows}
                rest = [i for i in batch if i.id not in got]
                if rest:  # a crash or hang: blame the first unrecorded item, re-queue the others
                    blamed = {"id": rest[0].id, "half": rest[0].half, "java": rest[0].java[:500]}
                    rows.append(json.dumps({**blamed, "res": {"batch": [problem, ""]}}))
                    if rest[1:]:
                        pending.appendleft(rest[1:])
                sink.write("".join(row + "\n" for row in rows))
                sink.flush()
                left -= len(rows)
                elapsed = time.monotonic() - started
                print(f"{len(items) - left}/{len(items)} done, {elapsed:.0f} s", file=sys.stderr)


# --- lint: mypy --strict and ruff on generated packages ----------------------------------------


def _generate_for_lint(items: list[Item], want: int, root: Path) -> dict[str, tuple[str, str]]:
    """Generate packages (both flavours) for the first `want` items that generate: package->id."""
    from codegen.support import contracts_of

    from contractgen.codegen.output import write
    from contractgen.codegen.package import generate
    from contractgen.codegen.render import Options
    from contractgen.config import Flavour
    from contractgen.diagnostics import ContractError

    made: dict[str, tuple[str, str]] = {}
    schemas = 0
    for item in items:
        if schemas == want:
            break
        try:
            contracts = contracts_of(item.schema)
            files = {
                f: generate(contracts, Options(package_name(item.id, f.value), f)) for f in Flavour
            }
        except ContractError:
            continue  # refused: the sweep checks that it is located
        for flavour, generated in files.items():
            write(root / package_name(item.id, flavour.value), generated)
            made[package_name(item.id, flavour.value)] = (item.id, flavour.value)
        schemas += 1
    return made


def _by_package(output: str, packages: Iterable[str]) -> dict[str, list[str]]:
    """Tool output lines (`pkg/mod.py:3: error ...`) grouped by the package they are about."""
    known = set(packages)
    found: dict[str, list[str]] = collections.defaultdict(list)
    for line in output.splitlines():
        head = line.removeprefix("./").split("/", 1)[0]
        if head in known and ": " in line:
            found[head].append(line)
    return found


def _chunks(names: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(names), size):
        yield names[i : i + size]


def _tool(command: list[str], names: list[str], root: Path) -> dict[str, list[str]]:
    """Run a checker of the venv in `root`: its reports by package (all of them if it broke)."""
    env = {**os.environ, "MYPYPATH": str(REPO)}  # mypy: this repository's contractgen.runtime
    done = subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    print(f"{command[0]}: {len(names)} packages, exit {done.returncode}", file=sys.stderr)
    found = {
        n: [f"{command[0]} {x}" for x in lines]
        for n, lines in _by_package(done.stdout, names).items()
    }
    # Exit 1 means findings: if none is about a package, they are about something else (the
    # tool's setup, say), which must not pass for clean; any other exit: the tool itself failed.
    if done.returncode not in (0, 1) or (done.returncode == 1 and not found):
        output = (done.stdout + done.stderr).strip().splitlines()[-3:]
        broke = f"{command[0]} failed ({done.returncode}): {' | '.join(output)[-400:]}"
        found = {n: [*found.get(n, []), broke] for n in names}
    return found


def lint(items: list[Item], args: argparse.Namespace) -> None:
    """Generate --lint schemas in both flavours, mypy --strict + ruff them, one line per schema."""
    _use_repo()
    accepted = [i for i in items if i.half == "accepted"]
    root = Path(tempfile.mkdtemp(prefix="sweep-lint-"))
    try:
        made = _generate_for_lint(accepted, args.lint, root)
        names = sorted(made)
        problems: dict[str, list[str]] = collections.defaultdict(list)
        # Imports silent: the generated code is checked against contractgen.runtime's types,
        # whose own findings are `mypy --strict contractgen`'s business.
        mypy = ["mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null"]
        mypy.append("--follow-imports=silent")
        for chunk in _chunks(names, args.lint_batch):
            packages = [arg for name in chunk for arg in ("-p", name)]
            for name, lines in _tool([*mypy, *packages], chunk, root).items():
                problems[name] += lines
        ruff = ["ruff", "check", "--isolated", "--no-cache", "--output-format=concise"]
        for name, lines in _tool(ruff, names, root).items():
            problems[name] += lines
        by_id: dict[str, dict[str, list[str]]] = collections.defaultdict(dict)
        for name, (ident, flavour) in made.items():
            found = problems.get(name, [])
            first = re.sub(r"^\S+ \S+?:\d+(:\d+)?: ", "", found[0]) if found else ""
            status = f"lint:{found[0].split()[0]}: {first[:200]}" if found else "ok"
            by_id[ident][flavour] = [status, "\n".join(found)[-2500:]]
        with args.out.open("a", encoding="utf-8") as sink:
            for ident, res in sorted(by_id.items()):
                sink.write(json.dumps({"id": ident, "half": "lint", "java": "ok", "res": res}))
                sink.write("\n")
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- the summary -------------------------------------------------------------------------------


def _klass(status: str) -> str:
    """A failure's class: the label of a known class (with step and exception), else NEW."""
    for pattern, label in KNOWN:
        if re.search(pattern, status):
            return f"known {label} [{':'.join(status.split(':')[:2])}]"
    return f"NEW {status}"


JAVA_CLASSES = (
    (r"Undefined schema: \S+", "Undefined schema: <name>"),
    (r"(Invalid default for field) \w+: .*UnresolvedSchema.*", r"\1 <f>: <v> of <unresolved>"),
    (r"(Invalid default for field) \w+: .*", r"\1 <f>: <v> not a <type>"),
)
"""Java's messages with names and values taken out, so they group by class."""


def _java_class(message: str) -> str:
    for pattern, replacement in JAVA_CLASSES:
        message = re.sub(pattern, replacement, message)
    return message[:120]


def _codes(detail: str) -> str:
    return ",".join(sorted(set(re.findall(r"\b([A-Z]+\d{3})\b", detail)))) or "?"


def verdicts(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(group, class) of one result line: the failures, disagreements and outcomes it shows."""
    res: dict[str, list[str]] = record["res"]
    half = record.get("half", "accepted")  # the first sweep's lines had no half
    failures = [(s, v[0]) for s, v in res.items() if v[0] not in (*PASSED, "accepted")]
    if failures:
        return [("FAIL", _klass(status)) for _, status in failures]
    parse = res.get("parse", ["ok", ""])
    if half == "refused":
        if parse[0] == "accepted":
            return [("DISAGREE: Java refuses, contractgen accepts", _java_class(record["java"]))]
        return [("agree: both refuse", _codes(parse[1]))]
    if parse[0] == "refused-located":
        return [("DISAGREE: Java accepts, contractgen refuses (located)", _codes(parse[1]))]
    refused = [v[1] for s, v in res.items() if s != "parse" and v[0] == "refused-located"]
    if refused:
        return [("refused-located at generate", _codes(refused[0]))]
    return [("ok", "lint clean" if half == "lint" else "both flavours round-trip")]


def summary(path: Path, examples: int = 4) -> str:
    """The results of --out by group and class: counts (schemas) and example ids."""
    records: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            records[record["id"]] = record  # a re-run id: its last line counts
    groups: dict[str, dict[str, set[str]]] = collections.defaultdict(
        lambda: collections.defaultdict(set)
    )
    halves = collections.Counter(r.get("half", "accepted") for r in records.values())
    for ident, record in records.items():
        for group, klass in verdicts(record):
            groups[group][klass].add(ident)
    out = [f"{len(records)} schemas in {path} ({dict(halves)})"]
    for group in sorted(groups, key=lambda g: (g != "FAIL", g)):
        classes = groups[group]
        total = len(set().union(*classes.values()))
        out.append(f"\n{group}: {total} schemas")
        for klass, ids in sorted(classes.items(), key=lambda c: (-len(c[1]), c[0])):
            out.append(f"  {len(ids):6}  {klass}  (e.g. {', '.join(sorted(ids)[:examples])})")
    return "\n".join(out)


# --- command line ------------------------------------------------------------------------------


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="See the module docstring for the method and the result format.",
    )
    parser.add_argument("--out", type=Path, default=Path("sweep-results.jsonl"), help="results")
    halves = ("accepted", "refused", "both")
    parser.add_argument("--half", choices=halves, default="both", help="by Java's strict parse")
    parser.add_argument("--ids", help="only these ids: a,b,c or @file (one id a line)")
    parser.add_argument("--skip", type=Path, help="leave out the ids of this results file")
    parser.add_argument("--sample", "--limit", type=int, help="at most N schemas (seeded shuffle)")
    parser.add_argument("--seed", type=int, default=0, help="of the shuffle (default 0)")
    parser.add_argument("--jobs", type=int, default=1, help="batches run at once (default 1)")
    parser.add_argument("--batch", type=int, default=200, help="schemas per subprocess")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per batch")
    parser.add_argument("--schema-timeout", type=int, default=120, help="seconds per schema")
    parser.add_argument("--summary", action="store_true", help="only summarise --out")
    parser.add_argument("--lint", type=int, metavar="N", help="mypy+ruff N generated schemas")
    parser.add_argument("--lint-batch", type=int, default=60, help="packages per mypy run")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.worker:
        worker(args.worker, args.out, args.schema_timeout)
        return 0
    if not args.summary:
        items = select(load_items(), args)
        if args.lint:
            lint(items, args)
        else:
            print(f"{len(items)} schemas to run", file=sys.stderr)
            sweep(items, args)
    print(summary(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
