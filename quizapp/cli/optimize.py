"""``quizapp optimize``: fit the scheduler's FSRS parameters to the review history."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.cli.common import open_database
from quizapp.study.optimize import (
    MIN_TEST_REVIEWS,
    MIN_TRAIN_REVIEWS,
    Metrics,
    OptimizeResult,
    run_optimize,
)
from quizapp.words import plural


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``optimize`` to the parser."""
    p = sub.add_parser(
        "optimize",
        parents=parents,
        help="fit the scheduler's FSRS parameters to your review history",
        description="Fit FSRS-6 parameters to your own review history (with fsrs-rs, "
        "the engine Anki uses) and keep them only if they predict your reviews better. "
        "The history is split by time: the oldest 75 % of reviews are fitted, the "
        "newest 25 % are held out. Both the default and the fitted parameters are "
        "scored on the held-out reviews made a day or more after the card's previous "
        "review (log loss and RMSE(bins); lower is better). The fitted parameters are "
        "stored, and every card's memory state recomputed with them (due dates stay), "
        "only when their held-out log loss is lower than that of the parameters in use. "
        f"Needs at least {MIN_TRAIN_REVIEWS} such reviews in the older part and "
        f"{MIN_TEST_REVIEWS} in the newer part; with less, it says so and changes "
        "nothing (exit status 0, as when the fit is not kept).",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--dry-run", action="store_true", help="fit and report, but store nothing")
    p.set_defaults(func=run)


def _row(name: str, m: Metrics | None) -> str:
    if m is None:
        return f"  {name:<20} {'-':>9} {'-':>11}"
    return f"  {name:<20} {m.log_loss:>9.4f} {m.rmse_bins:>11.4f}"


def _report(result: OptimizeResult, dry_run: bool) -> str:
    lines = [
        f"history: {plural(result.reviews, 'review')}; scored (a day or more after the previous "
        f"review): {result.train} older, {result.test} newest"
        + (f" (from {result.test_from:%Y-%m-%d %H:%M} UTC)" if result.test_from else "")
    ]
    if result.refused:
        lines.append(result.refused)
        return "\n".join(lines)
    lines.append(f"  {'held-out reviews':<20} {'log loss':>9} {'RMSE(bins)':>11}")
    lines.append(_row("default parameters", result.default))
    if result.current is not None:
        lines.append(_row("parameters in use", result.current))
    lines.append(_row("fitted parameters", result.fitted))
    lines.append(f"fit: {result.seconds:.3f} s")
    if result.kept and dry_run:
        lines.append("the fitted parameters are better; not stored (--dry-run)")
    elif result.kept:
        lines.append("kept: the fitted parameters are better and now schedule your cards")
    else:
        lines.append(
            "not kept: the fitted parameters predict your newest reviews no better than "
            "the parameters in use, which stay"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Fit, evaluate, store when better, print the figures."""
    db = open_database(args)
    result = run_optimize(db, store=not args.dry_run)
    if args.json:
        doc = result.to_json()
        doc["stored"] = result.kept and not args.dry_run
        json.dump(doc, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(_report(result, args.dry_run))
    return 0
