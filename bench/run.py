"""Measure every budget of DESIGN §6 and print a table: what, budget, measured, pass/fail.

    python -m bench.run [--only NAME] [--quick] [--fresh]

Generated inputs (the 10k deck, the 100k-card / 1M-review database, the review history)
are built on first use and cached under ``bench/out/``. The command reports; it does
not gate: it exits 0 whatever the figures (2 only for bad arguments).
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    # `python bench/run.py`: make the repository root importable, as `-m` would.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import QUICK_ENV, Row
from bench.generate import OUT, db_path, deck_path, history_path

#: every benchmark module, in report order (each exposes ``run() -> list[Row]``)
BENCHES = (
    "startup",
    "cards",
    "answers",
    "sync",
    "parsers",
    "store",
    "postgres",
    "grading",
    "optimize",
    "schedule",
    "export",
    "bigcards",
    "import",
)


def _cell(row: Row) -> str:
    ok = row.get("ok")
    return "pass" if ok is True else "FAIL" if ok is False else "—"


def render(rows: Sequence[Row]) -> str:
    """The report as an aligned plain-text table."""
    header = ("what", "budget", "measured", "result")
    table = [
        header,
        *((str(r["what"]), str(r["budget"]), str(r["measured"]), _cell(r)) for r in rows),
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def run_bench(name: str) -> list[Row]:
    """Run ``bench.bench_NAME``; a missing or failing module becomes a row saying so."""
    try:
        module = importlib.import_module(f"bench.bench_{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"bench.bench_{name}":
            raise
        return [Row(what=name, budget="—", measured="not measured: no bench module", ok=None)]
    try:
        rows: list[Row] = module.run()
    except Exception as exc:
        traceback.print_exc()
        return [Row(what=name, budget="—", measured=f"not measured: {exc!r}"[:160], ok=None)]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Generate what is missing, run the benchmarks, print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="Measure the budgets of DESIGN §6."
    )
    parser.add_argument(
        "--only", action="append", choices=BENCHES, metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHES)}",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--fresh", action="store_true", help="rebuild the generated inputs")
    args = parser.parse_args(argv)
    if args.quick:
        os.environ[QUICK_ENV] = "1"
    if args.fresh and OUT.exists():
        shutil.rmtree(OUT)

    t0 = time.perf_counter()
    print("generating inputs (cached in bench/out/) ...", file=sys.stderr)
    deck_path()
    db_path()
    history_path()
    rows: list[Row] = []
    for name in args.only or BENCHES:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr)
        rows.extend(run_bench(name))
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(render(rows))
    missed = [r["what"] for r in rows if r["ok"] is False]
    print(
        f"\n{sum(r['ok'] is True for r in rows)} within budget, {len(missed)} over, "
        f"{sum(r['ok'] is None for r in rows)} not measured "
        f"({time.perf_counter() - t0:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
