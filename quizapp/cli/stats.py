"""``quizapp stats``: progress statistics."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.cli.common import open_database
from quizapp.present.safe import visible_json, visible_line
from quizapp.study.evaluation import Metrics
from quizapp.study.stats import Stats, collect_stats
from quizapp.words import plural

_BAR = 30


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``stats`` to the parser."""
    p = sub.add_parser(
        "stats",
        parents=parents,
        help="reviews per day, retention, due forecast, mastery, calibration, workload",
        description="Progress statistics from the database: reviews per day over the "
        "last 12 weeks; true retention over the last 30 days (share of reviews made a "
        "day or more after the card's previous one that were recalled) against the "
        "desired retention; cards due each day of the next 30; mastery per topic (mean "
        "predicted recall now, unstudied cards counting 0); and the scheduler's "
        "calibration (predicted recall against observed, in bins of 0.1); what the "
        "scheduler's parameters earned in the last `quizapp optimize` and the desired "
        "retention it recommended; and the workload of the next 30 days (reviews, new "
        "cards, minutes), simulated at your desired retention and at the recommended "
        "one. Days are your days as the daily limits count them: local time, each "
        "beginning at the day-start hour (`quizapp config set day-starts-at`, 4 a.m. by "
        "default), so a review at 2 a.m. counts for the day before. The app's stats "
        "screen plots the same numbers.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=run)


def _bar(value: float, top: float) -> str:
    return "█" * round(_BAR * value / top) if top > 0 else ""


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def render(stats: Stats) -> str:
    """The human-readable report."""
    out: list[str] = []
    days = stats.reviews_per_day
    total = sum(d.count for d in days)
    out.append(
        f"Reviews, last {len(days) // 7} weeks: {total} ({total / len(days):.1f} per day; "
        f"{stats.reviews_total} in the whole log)"
    )
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    top = max((sum(d.count for d in w) for w in weeks), default=0)
    for week in weeks:
        n = sum(d.count for d in week)
        out.append(f"  week of {week[0].day:%Y-%m-%d}  {n:>5}  {_bar(n, top)}".rstrip())
    r = stats.retention
    out.append("")
    out.append(
        f"True retention, last {len(r.per_day)} days: {_pct(r.rate)} of "
        f"{plural(r.reviews, 'review')} (desired {_pct(r.desired)})"
    )
    out.append("")
    due = stats.due_forecast
    out.append(
        f"Due in the next {len(due)} days: {sum(d.count for d in due)} "
        f"(today {due[0].count}, of which {stats.overdue} overdue)"
    )
    top = max((d.count for d in due), default=0)
    for d in due:
        if d.count:
            out.append(f"  {d.day:%a %Y-%m-%d}  {d.count:>5}  {_bar(d.count, top)}")
    out.append("")
    out.append("Mastery per topic (mean predicted recall now)")
    for m in stats.mastery:
        label = visible_line(m.label)
        out.append(f"  {_pct(m.mastery):>7}  {m.studied:>4}/{m.cards:<4} studied  {label}")
    if not stats.mastery:
        out.append("  no cards yet")
    c = stats.calibration
    out.append("")
    out.append(
        f"Calibration: {plural(c.reviews, 'review')}, RMSE {c.rmse:.4f}"
        if c.rmse is not None
        else "Calibration: no reviews a day or more after the previous one yet"
    )
    if c.reviews:
        out.append(f"  {'predicted':<12} {'reviews':>7} {'mean predicted':>15} {'observed':>9}")
        for b in c.bins:
            if b.reviews:
                out.append(
                    f"  {b.low:.1f}–{b.high:.1f}     {b.reviews:>7} {_pct(b.predicted):>15} "
                    f"{_pct(b.observed):>9}"
                )
    out += _scheduler_lines(stats)
    out += _workload_lines(stats)
    return "\n".join(out)


def _figures(m: Metrics | None) -> str:
    return "-" if m is None else f"log loss {m.log_loss:.4f}, RMSE(bins) {m.rmse_bins:.4f}"


def _scheduler_lines(stats: Stats) -> list[str]:
    f = stats.fitness
    out = [""]
    if f is None:
        out.append("Scheduler: default parameters; `quizapp optimize` has not been run")
        return out
    when = f"{f.at.astimezone():%Y-%m-%d}"
    if f.refused:
        out.append(f"Scheduler: last optimize {when} could not judge a fit (too little history)")
        return out
    which = "fitted parameters" if f.kept else "parameters kept over a fit"
    out.append(f"Scheduler: {which}, optimized {when} on {f.reviews:,} reviews")
    out.append(f"  cross-validated over {plural(f.folds, 'fold')} of {f.test:,} reviews:")
    out.append(f"    in use     {_figures(f.earned)}")
    if f.other is not None:
        out.append(f"    {'a new fit' if not f.kept else 'before':<10} {_figures(f.other)}")
    out.append(f"    defaults   {_figures(f.default)}")
    if f.recommended_retention is not None:
        out.append(
            f"Recommended desired retention: {f.recommended_retention:.2f} "
            f"(yours: {stats.retention.desired:.2f})"
        )
    return out


def _workload_lines(stats: Stats) -> list[str]:
    if not stats.workloads:
        return []
    out = ["", f"Workload, next {len(stats.workloads[0].days)} days (simulated):"]
    for w in stats.workloads:
        days = len(w.days)
        out.append(
            f"  at {w.desired_retention:.2f}: {w.reviews:,.0f} reviews, "
            f"{sum(d.new for d in w.days):,.0f} new cards, {w.minutes / days:.0f} min a day"
        )
    first = stats.workloads[0]
    top = max((d.reviews for d in first.days), default=0)
    for i in range(0, len(first.days), 7):
        week = first.days[i : i + 7]
        n = sum(d.reviews for d in week)
        out.append(
            f"  week of {week[0].day:%Y-%m-%d}  {n:>6.0f}  {_bar(n / len(week), top)}".rstrip()
        )
    return out


def run(args: argparse.Namespace) -> int:
    """Compute and print the statistics."""
    db = open_database(args)
    stats = collect_stats(db)
    if args.json:
        sys.stdout.write(visible_json(json.dumps(stats.to_json(), ensure_ascii=False)) + "\n")
    else:
        print(render(stats))
    return 0
