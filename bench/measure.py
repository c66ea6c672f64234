"""What the benchmarks share: CPU time and peak memory of a command, and medians of rounds.

A command runs in its own process so its start-up, imports and peak memory are its own; the
process's CPU time (user + system, its reaped children included: git, say) comes from `wait4`.
Commands run as installed code runs: with bytecode cached (PYTHONDONTWRITEBYTECODE, set in some
shells and CI images, would make every start-up compile contractgen from source).
Rounds of several commands are interleaved, so a slow spell of the shared machine touches every
command alike, and the median of the rounds is reported.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_PEAK_FILE = "BENCH_PEAK_FILE"
_PEAK_HOOK = f"""import atexit, os
def _peak():
    with open('/proc/self/status') as status, open(os.environ['{_PEAK_FILE}'], 'w') as out:
        out.write(next(line for line in status if line.startswith('VmHWM:')))
if os.environ.get('{_PEAK_FILE}') and os.path.exists('/proc/self/status'):
    atexit.register(_peak)
"""
CONTRACTGEN = [sys.executable, "-c", _PEAK_HOOK + "from contractgen.cli.main import main; main()"]
"""The `contractgen` console script, spelled so it runs with this interpreter (and reports its
own peak memory, see `run`)."""


_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True, slots=True)
class Run:
    cpu: float
    """Seconds of CPU, user + system."""
    max_rss_mb: float
    """Peak resident memory of the process, MiB."""
    exit_code: int
    output: str


def run(argv: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> Run:
    """Run `argv` to the end; its CPU time from the kernel, its peak memory as it saw it.

    Peak memory: `ru_maxrss` of a child is at least this process's own peak at the time (Linux
    sets it at `exec` from the memory it leaves, and subprocess starts children with vfork), so
    after this process built a big schema every child would read as big. `CONTRACTGEN` writes its
    own `VmHWM` (the peak of the memory it executes in) at exit instead; other commands fall back
    to `ru_maxrss`.
    """
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as tmp:
        peak_file = Path(tmp) / "peak"
        with open(os.devnull, "rb") as stdin:
            process = subprocess.Popen(
                list(argv),
                cwd=cwd,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env={**_ENVIRONMENT, _PEAK_FILE: str(peak_file), **(env or {})},
            )
            assert process.stdout is not None
            output = process.stdout.read().decode("utf-8", "replace")
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        peak_mb = usage.ru_maxrss / 1024
        if peak_file.exists():  # "VmHWM:    123456 kB"
            peak_mb = int(peak_file.read_text().split()[1]) / 1024
    return Run(usage.ru_utime + usage.ru_stime, peak_mb, process.returncode, output)


def interleaved(tasks: Mapping[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Each task's median over `rounds` rounds, every round running each task once in turn."""
    samples: dict[str, list[float]] = {name: [] for name in tasks}
    for _ in range(rounds):
        for name, task in tasks.items():
            samples[name].append(task())
    return {name: statistics.median(values) for name, values in samples.items()}


def check_exit(label: str, result: Run, expected: Sequence[int] = (0,)) -> Run:
    """Stop the benchmark when a command failed: a failure is fast, and its time meaningless."""
    if result.exit_code not in expected:
        raise SystemExit(f"{label}: exit {result.exit_code}\n{result.output[-3000:]}")
    return result
