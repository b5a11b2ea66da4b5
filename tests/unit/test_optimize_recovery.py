"""Parameter recovery: a simulated learner whose memory follows known, non-default FSRS
parameters is scheduled with the defaults; fitting on the older part of its history must
predict the newer part better than the defaults do — and about as well as the truth."""

from __future__ import annotations

import csv
import heapq
import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.cli import main
from quizapp.store.db import open_db
from quizapp.study.optimize import ReviewEvent, evaluate, optimize, split_by_time
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService

#: a learner who forgets faster than FSRS's average user: small initial stabilities,
#: slower growth after a success, a steeper forgetting curve
TRUE_PARAMETERS = list(DEFAULT_PARAMETERS)
for index, value in {0: 0.05, 1: 0.2, 2: 0.5, 3: 1.5, 8: 0.9, 20: 0.5}.items():
    TRUE_PARAMETERS[index] = value


def simulate(
    parameters: list[float],
    *,
    cards: int = 300,
    new_per_day: int = 10,
    days: int = 120,
    seed: int = 1,
) -> list[ReviewEvent]:
    """A daily morning session: the default scheduler picks what is due (learning steps
    come back within the session), recall is drawn from the *true* retrievability."""
    rng = random.Random(seed)
    truth = Scheduler(parameters=parameters, enable_fuzzing=False)
    scheduler = Scheduler(enable_fuzzing=False)
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    memory: dict[str, Card] = {}
    plan: dict[str, Card] = {}
    events: list[ReviewEvent] = []
    for day in range(days):
        now = start + timedelta(days=day)
        end = now + timedelta(hours=3)
        for _ in range(new_per_day):
            if len(plan) < cards:
                card_id = f"sim-{len(plan)}"
                memory[card_id] = Card(card_id=0, due=now)
                plan[card_id] = Card(card_id=0, due=now)
        queue = [(c.due, card_id) for card_id, c in plan.items() if c.due <= end]
        heapq.heapify(queue)
        while queue:
            due, card_id = heapq.heappop(queue)
            now = max(now, due) + timedelta(seconds=20)
            if now > end:
                break
            if memory[card_id].last_review is None:
                rating = rng.choices([1, 2, 3, 4], [0.3, 0.1, 0.5, 0.1])[0]
            elif rng.random() < truth.get_card_retrievability(memory[card_id], now):
                rating = rng.choices([2, 3, 4], [0.1, 0.8, 0.1])[0]
            else:
                rating = 1
            events.append(ReviewEvent(card_id, rating, now))
            memory[card_id], _ = truth.review_card(memory[card_id], Rating(rating), now)
            plan[card_id], _ = scheduler.review_card(plan[card_id], Rating(rating), now)
            if plan[card_id].due <= end:
                heapq.heappush(queue, (plan[card_id].due, card_id))
    return events


@pytest.fixture(scope="module")
def history() -> list[ReviewEvent]:
    return simulate(TRUE_PARAMETERS)


def test_fitted_parameters_beat_the_defaults_on_held_out_reviews(
    history: list[ReviewEvent],
) -> None:
    result = optimize(history)
    assert result.refused is None
    assert result.default is not None and result.fitted is not None
    assert result.test > 500
    truth = evaluate(split_by_time(history), TRUE_PARAMETERS)
    # The defaults are clearly wrong for this learner; the fit nearly closes the gap.
    assert result.default.log_loss > truth.log_loss + 0.02
    assert result.fitted.log_loss < result.default.log_loss - 0.02
    assert result.fitted.log_loss < truth.log_loss + 0.005
    assert result.fitted.rmse_bins < result.default.rmse_bins
    assert result.kept
    # what was fitted passes the scheduler's own parameter check
    assert result.parameters is not None
    Scheduler(parameters=result.parameters)
    # the learner forgets a first "Good" much sooner than the defaults assume
    assert result.parameters[2] < DEFAULT_PARAMETERS[2] / 2


def _write_csv(path: Path, events: list[ReviewEvent]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["card_id", "review_rating", "review_time", "review_duration"])
    for e in events:
        writer.writerow([e.card_id, e.rating, e.reviewed_at.isoformat(), 4000])
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_import_then_optimize_stores_parameters_the_scheduler_uses(
    history: list[ReviewEvent], db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "history.csv"
    _write_csv(csv_file, history)
    assert main(["--db", db_url, "import-reviews", str(csv_file)]) == 0
    capsys.readouterr()

    assert main(["--db", db_url, "optimize", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["kept"] is True and dry["stored"] is False
    db = open_db(db_url)
    try:
        assert StudyService(db).settings.parameters == StudySettings().parameters
    finally:
        db.close()

    assert main(["--db", db_url, "optimize", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reviews"] == len(history)
    assert doc["kept"] is True and doc["stored"] is True
    assert doc["fitted"]["log_loss"] < doc["default"]["log_loss"]
    assert 0 < doc["seconds"] < 1
    db = open_db(db_url)
    try:
        service = StudyService(db)
        assert service.settings.parameters == tuple(doc["parameters"])
        # memory states were recomputed with the new parameters
        replayed = Scheduler(parameters=doc["parameters"], enable_fuzzing=False)
        card_id = history[0].card_id
        state = Card(card_id=0)
        for e in history:
            if e.card_id == card_id:
                state, _ = replayed.review_card(state, Rating(e.rating), e.reviewed_at)
        stored = service.card(card_id)
        assert stored is not None
        assert stored.stability == pytest.approx(state.stability)
        assert stored.difficulty == pytest.approx(state.difficulty)
    finally:
        db.close()

    # Run again: the parameters in use are now the fitted ones, and an identical fit
    # is not "better" than itself.
    assert main(["--db", db_url, "optimize", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["current"] == again["fitted"]
    assert again["kept"] is False
