"""The recommended desired retention and the 30-day workload forecast on a 10k-card
collection (DESIGN §6: ≤ 10 s and ≤ 1 s).

The collection is the generated 10k deck synced, 80 % of its cards given FSRS states
and a history of 100,000 reviews (``bench.generate.add_history``). The retention row
times ``recommend_retention`` (reading the history, measuring the costs, fsrs-rs's
search over a simulated year of all 10,000 cards); the forecast row times the
simulation of the next 30 days at the desired retention in use, on the cards ``stats``
has read already. Both rows also give the process's CPU seconds (all threads), which
a loaded machine does not inflate.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import Row, median, repeats, seconds
from bench.generate import add_history, cached, deck_path

RETENTION_BUDGET_S = 10.0
FORECAST_BUDGET_S = 1.0


def _build_db(path: Path, deck: Path) -> None:
    from quizapp.store.db import open_db
    from quizapp.store.sync import sync_decks

    db = open_db(f"sqlite:///{path}")
    try:
        sync_decks(db, [deck])
        add_history(db, reviews=100_000, seed=3, new_share=0.2)
    finally:
        db.close()


def run() -> list[Row]:
    """Time the recommendation and the forecast on the cached collection."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    from quizapp.store.db import open_db
    from quizapp.store.history import timed_reviews
    from quizapp.store.queries import list_cards
    from quizapp.study.costs import measure_costs
    from quizapp.study.forecast import forecast_workload
    from quizapp.study.retention import recommend_retention
    from quizapp.study.service import StudyService

    deck = deck_path()
    path = cached("schedule-10k-r100k.db", lambda p: _build_db(p, deck))
    db = open_db(f"sqlite:///{path}")
    load = os.getloadavg()[0]
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        rec = recommend_retention(db, DEFAULT_PARAMETERS)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        settings = StudyService(db).settings
        start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        cards = list_cards(db)
        costs = measure_costs(timed_reviews(db))
        runs: list[float] = []
        cpus: list[float] = []
        workload = None
        for _ in range(repeats(5, 2)):
            t0, c0 = time.perf_counter(), time.process_time()
            workload = forecast_workload(
                cards, settings, costs, retention=settings.desired_retention, start=start
            )
            runs.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
    finally:
        db.close()
    load = max(load, os.getloadavg()[0])
    assert workload is not None
    forecast = median(runs)
    return [
        Row(
            what=f"recommended retention, 10k-card collection ({rec.simulations} simulated "
            f"years; load {load:.1f})",
            budget=f"≤ {RETENTION_BUDGET_S:g} s",
            measured=f"{seconds(took)} (CPU {seconds(cpu)}): {rec.retention:.2f}",
            ok=took <= RETENTION_BUDGET_S,
        ),
        Row(
            what=f"30-day workload forecast, 10k-card collection (load {load:.1f})",
            budget=f"≤ {FORECAST_BUDGET_S:g} s",
            measured=f"{seconds(forecast)} median of {len(runs)} (CPU {seconds(median(cpus))}): "
            f"{workload.reviews:,.0f} reviews, {workload.minutes / 30:.0f} min a day",
            ok=forecast <= FORECAST_BUDGET_S,
        ),
    ]


if __name__ == "__main__":
    for row in run():
        mark = {True: "pass", False: "FAIL", None: "—"}[row["ok"]]
        print(f"{row['what']}: {row['measured']} (budget {row['budget']}): {mark}")
