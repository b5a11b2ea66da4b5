"""Benchmarks of the budgets in DESIGN §6: ``python -m bench.run`` (see bench/README.md).

Each ``bench_*`` module exposes ``run() -> list[Row]``; a row says what was measured,
its budget, the measured figure (a ratio against a baseline taken in the same run, or
a median time) and whether the budget was met. This module holds the row shape and
the ways of timing that every benchmark shares.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TypedDict


class Row(TypedDict):
    """One line of the report."""

    what: str
    budget: str
    measured: str
    ok: bool | None


#: set by ``bench.run --quick``: fewer repetitions everywhere
QUICK_ENV = "QUIZAPP_BENCH_QUICK"


def quick() -> bool:
    """Whether the run asked for fewer repetitions."""
    return os.environ.get(QUICK_ENV) == "1"


def repeats(full: int, fast: int) -> int:
    """``full`` repetitions, or ``fast`` under ``--quick``."""
    return fast if quick() else full


def times(
    fn: Callable[[], object], runs: int, *, setup: Callable[[], object] | None = None
) -> list[float]:
    """Wall-clock seconds of ``runs`` calls of ``fn`` (``setup`` before each, untimed)."""
    out: list[float] = []
    for _ in range(runs):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _run_once(argv: Sequence[str], env: Mapping[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, env=dict(env), check=False)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.decode()[-800:]}"
        )
    return took


#: runs its arguments as a child and prints the child's peak memory (KiB) and CPU time;
#: the bench process itself grows large, and a process forked from it would count that
#: memory as its own peak (Linux keeps the high-water mark across exec)
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured_process(argv: Sequence[str]) -> tuple[float, float, float]:
    """Wall-clock seconds, CPU seconds and peak resident memory (MB) of one run of
    ``argv``, its output discarded. A run that fails raises ``RuntimeError`` with its
    stderr."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *argv], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-800:]}")
    peak, cpu = done.stdout.split()
    return wall, float(cpu), int(peak) / 1024


def process_times(
    argv: Sequence[str], runs: int, *, env: Mapping[str, str] | None = None, warm: int = 1
) -> list[float]:
    """Wall-clock seconds of ``runs`` whole-process runs of ``argv`` (after ``warm``
    untimed runs, so every timed run starts with the OS file cache in the same state).

    A run that fails raises ``RuntimeError`` with its stderr: a timing of a failure
    would be meaningless.
    """
    full_env = {**os.environ, **(env or {})}
    for _ in range(warm):
        _run_once(argv, full_env)
    return [_run_once(argv, full_env) for _ in range(runs)]


def process_pair(
    measured: Sequence[str], baseline: Sequence[str], runs: int
) -> tuple[list[float], list[float]]:
    """Whole-process times of two commands, run alternately (one untimed warm-up each),
    so a change in the machine's load during the run affects both sides alike."""
    env = dict(os.environ)
    _run_once(measured, env)
    _run_once(baseline, env)
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(_run_once(measured, env))
        b.append(_run_once(baseline, env))
    return a, b


def paired_times(
    measured: Callable[[], object],
    baseline: Callable[[], object],
    runs: int,
    *,
    setup: Callable[[], object] | None = None,
) -> tuple[list[float], list[float]]:
    """In-process times of two functions, called alternately (``setup`` untimed before
    each call of ``measured``)."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        b.extend(times(baseline, 1))
        a.extend(times(measured, 1, setup=setup))
    return a, b


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return float(statistics.median(values))


def seconds(value: float) -> str:
    """A duration for the report: ``850 µs``, ``1.04 ms``, ``12.3 ms``, ``1.42 s``."""
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 0.01:
        return f"{value * 1e3:.2f} ms"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def ratio_row(what: str, measured: float, baseline: float, limit: float, baseline_name: str) -> Row:
    """A row for a budget stated as ``≤ limit × baseline``."""
    ratio = measured / baseline
    return Row(
        what=what,
        budget=f"≤ {limit:g} × {baseline_name} ({seconds(baseline)})",
        measured=f"{ratio:.2f} × ({seconds(measured)})"
        if ratio >= 0.1
        else f"{ratio:.4f} × ({seconds(measured)})",
        ok=ratio <= limit,
    )


def time_row(what: str, measured: float, limit: float) -> Row:
    """A row for a budget stated as an absolute median time (seconds)."""
    return Row(
        what=what,
        budget=f"≤ {seconds(limit)} median",
        measured=seconds(measured),
        ok=measured <= limit,
    )
