"""``quizapp optimize``: fit the scheduler's FSRS parameters to the review history."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from quizapp.cli.common import open_database
from quizapp.study.crossval import MIN_FOLD_TEST, PARTS, Fold
from quizapp.study.evaluation import Metrics
from quizapp.study.optimize import MIN_TRAIN_REVIEWS, OptimizeResult, run_optimize
from quizapp.study.retention import HIGHEST, LOWEST, RUNS_PER_TRY, Recommendation
from quizapp.study.service import StudyService
from quizapp.words import plural


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``optimize`` to the parser."""
    p = sub.add_parser(
        "optimize",
        parents=parents,
        help="fit the scheduler's FSRS parameters to your review history",
        description="Fit FSRS-6 parameters to your own review history (with fsrs-rs, "
        "the engine Anki uses) and keep them only if fitting predicts your reviews "
        f"better. The verdict is time-series cross-validation: the history is cut by "
        f"time into {PARTS} parts, and each part after the first is predicted by "
        "parameters fitted only on the parts before it, once those hold "
        f"{MIN_TRAIN_REVIEWS} scored reviews (a review a day or more after the card's "
        f"previous one) and the part itself {MIN_FOLD_TEST}. Pooled over those folds, "
        "the fit must beat the default parameters and the ones in use on both log loss "
        "and RMSE(bins) (lower is better); then parameters fitted on the whole history "
        "are stored and every card's memory state is recomputed with them (due dates "
        "stay). It also recommends a desired retention: the one with the least study "
        "time per card remembered, found by simulating a year of study of your "
        f"collection ({LOWEST:.2f}–{HIGHEST:.2f}; a few seconds). With too little "
        "history it says so and changes nothing (exit status 0, as when the fit is not "
        "kept).",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--dry-run", action="store_true", help="fit and report, but store nothing")
    p.add_argument(
        "--no-retention",
        action="store_true",
        help="skip the recommended desired retention (its simulation takes a few seconds)",
    )
    p.set_defaults(func=run)


_CELL = 13


def _cell(m: Metrics | None) -> str:
    if m is None or m.reviews == 0:
        return f"{'-':^{_CELL}}"
    return f"{m.log_loss:.4f} {m.rmse_bins:.4f}"


def _fold_row(fold: Fold, with_current: bool) -> str:
    when = f"{fold.test_from:%m-%d}–{fold.test_to:%m-%d}"
    cells = [_cell(fold.default)]
    if with_current:
        cells.append(_cell(fold.current))
    cells.append(_cell(fold.fitted) if fold.counted else f"{'not fitted':^{_CELL}}")
    return f"  {fold.number:>4}  {when:<11}  {fold.test:>6} {fold.train:>6}  " + "  ".join(cells)


def fold_table(result: OptimizeResult) -> list[str]:
    """The per-fold table: what each set of parameters scored on each fold's test part."""
    with_current = result.current is not None
    names = ["default"] + (["in use"] if with_current else []) + ["fitted"]
    head = "  ".join(f"{n:^{_CELL}}" for n in names)
    sub = "  ".join(f"{'loss':>6} {'RMSE':>6}" for _ in names)
    lines = [
        f"  {'fold':>4}  {'test part':<11}  {'scored':>6} {'train':>6}  {head}",
        f"  {'':>4}  {'':<11}  {'':>6} {'':>6}  {sub}",
    ]
    lines += [_fold_row(f, with_current) for f in result.folds]
    counted = [f.number for f in result.folds if f.counted]
    if counted:
        label = f"pooled, folds {counted[0]}–{counted[-1]}" if len(counted) > 1 else "pooled"
        cells = [_cell(result.default)]
        if with_current:
            cells.append(_cell(result.current))
        cells.append(_cell(result.fitted))
        lines.append(f"  {label:<17}  {result.test:>6} {'':>6}  " + "  ".join(cells))
    lines.append("  (log loss and RMSE(bins) of each fold's test part; lower is better)")
    return [line.rstrip() for line in lines]


def _retention_lines(rec: Recommendation, desired: float) -> list[str]:
    lines = [
        f"recommended desired retention: {rec.retention:.2f} (yours: {desired:.2f}), the "
        "least time per card",
        f"  remembered in {rec.days} simulated days of {rec.cards:,} cards, "
        f"{rec.new_per_day} new a day, at your",
        f"  own review times ({rec.costs.measured:,} timed reviews)",
    ]
    if round(rec.retention, 2) != round(desired, 2):
        lines.append(f"  apply it with: quizapp config set desired-retention {rec.retention:.2f}")
    return lines


def report(result: OptimizeResult, dry_run: bool, desired: float) -> str:
    """The human-readable report."""
    lines = [
        f"history: {plural(result.reviews, 'review')}, {result.train:,} scored (a day or more "
        "after the previous)"
    ]
    if result.folds:
        first, last = result.folds[0].test_from, result.folds[-1].test_to
        lines.append(
            f"cross-validation, {first:%Y-%m-%d} to {last:%Y-%m-%d}, each fold fitted on "
            "the ones before:"
        )
        lines += fold_table(result)
    if result.refused:
        lines.append(result.refused)
        return "\n".join(lines)
    lines.append(
        f"fit on the whole history: {result.seconds:.3f} s (cross-validation "
        f"{result.cv_seconds:.2f} s)"
    )
    if result.kept and dry_run:
        lines.append("the fitted parameters are better; not stored (--dry-run)")
    elif result.kept:
        lines.append("kept: fitted parameters now schedule your cards")
    else:
        lines.append("not kept: fitting does not predict your reviews better on both figures;")
        lines.append("  the parameters in use stay")
    if result.retention is not None:
        lines += _retention_lines(result.retention, desired)
    return "\n".join(lines)


class ProgressLine:
    """One line of progress on a terminal, rewritten in place (nothing elsewhere)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def _write(self, text: str) -> None:
        if self.stream.isatty():
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()
            self.shown = True

    def fold(self, number: int, folds: int) -> None:
        """A fold of the cross-validation starts."""
        self._write(f"cross-validating the fit: fold {number} of {folds}…")

    def simulations(self, runs: int) -> None:
        """Simulations of the retention search have finished."""
        tried = (runs + RUNS_PER_TRY - 1) // RUNS_PER_TRY
        self._write(
            f"recommending a desired retention: {runs} simulated years, "
            f"{plural(tried, 'retention')} tried…"
        )

    def clear(self) -> None:
        """Take the line away before the report."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Fit, cross-validate, store when better, recommend a retention, print the figures."""
    db = open_database(args)
    desired = StudyService(db).settings.desired_retention
    line = ProgressLine(sys.stderr)
    result = run_optimize(
        db,
        store=not args.dry_run,
        retention=not args.no_retention,
        progress=line.simulations,
        on_fold=line.fold,
    )
    line.clear()
    if args.json:
        doc = result.to_json()
        doc["stored"] = result.kept and not args.dry_run
        json.dump(doc, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(report(result, args.dry_run, desired))
    return 0
