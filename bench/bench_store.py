"""Recording a review and finding the next card in a 100k-card / 1M-review database.

A study session alternates the two calls, so they are timed that way: ``next_card()``
picks a card, ``review()`` records a rating for it (one committed transaction each),
on a copy of the generated database so the cached one stays as built.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from bench import Row, median, repeats, time_row
from bench.generate import db_path


def study_times(url: str) -> tuple[float, float]:
    """Median seconds of ``next_card()`` and ``review()`` on ``url``, alternated as in a
    session (PostgreSQL's rows use it too)."""
    from quizapp.store.db import open_db
    from quizapp.study.service import StudyService

    rng = random.Random(7)
    db = open_db(url)
    svc = StudyService(db)
    try:
        # Warm the connection, the settings and the statement caches.
        for _ in range(5):
            card = svc.next_card()
            assert card is not None, "the generated database has nothing due"
            svc.review(card.id, 3)
        picks: list[float] = []
        records: list[float] = []
        for _ in range(repeats(400, 100)):
            t0 = time.perf_counter()
            card = svc.next_card()
            t1 = time.perf_counter()
            assert card is not None
            svc.review(card.id, rng.choices((1, 2, 3, 4), (15, 8, 70, 7))[0])
            t2 = time.perf_counter()
            picks.append(t1 - t0)
            records.append(t2 - t1)
    finally:
        db.close()
    return median(picks), median(records)


def run() -> list[Row]:
    """Time ``StudyService.next_card`` and ``StudyService.review``."""
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        work = Path(tmp) / "big.db"
        shutil.copyfile(db_path(), work)
        pick, record = study_times(f"sqlite:///{work}")
    return [
        time_row("record one review, 100k cards / 1M logs", record, 0.002),
        time_row("next due card query, 100k cards", pick, 0.001),
    ]
