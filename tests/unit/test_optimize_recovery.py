"""Parameter recovery: a simulated learner whose memory follows known, non-default FSRS
parameters is scheduled with the defaults; fitted on the older parts of its history, the
fit must predict the newer parts better than the defaults do — and about as well as the
truth."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS
from learners import FORGETFUL, simulate

from quizapp.cli import main
from quizapp.store.db import open_db
from quizapp.study.crossval import Fold, part_bounds
from quizapp.study.evaluation import Metrics, ReviewEvent, metrics, replay
from quizapp.study.optimize import optimize
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService


def pooled(
    history: list[ReviewEvent], parameters: Sequence[float], folds: Sequence[Fold]
) -> Metrics:
    """What ``parameters`` score on the test parts of the counted ``folds``."""
    ordered = sorted(history, key=lambda e: e.reviewed_at)
    bounds = part_bounds(len(ordered))
    predictions = replay(ordered, parameters)
    return metrics(
        p for f in folds if f.counted for p in predictions[bounds[f.number] : bounds[f.number + 1]]
    )


@pytest.fixture(scope="module")
def history() -> list[ReviewEvent]:
    return simulate(FORGETFUL)


def test_fitted_parameters_beat_the_defaults_on_held_out_reviews(
    history: list[ReviewEvent],
) -> None:
    result = optimize(history)
    assert result.refused is None
    assert result.default is not None and result.fitted is not None
    assert result.test > 500
    truth = pooled(history, FORGETFUL, result.folds)
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

    assert main(["--db", db_url, "optimize", "--dry-run", "--json", "--no-retention"]) == 0
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

    # Run again: the parameters in use are now fitted on the whole history, so they saw
    # every fold's test reviews; fits that did not see them do not beat them on both
    # figures, and nothing changes.
    assert main(["--db", db_url, "optimize", "--json", "--no-retention"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["current"] is not None
    assert again["kept"] is False and again["stored"] is False
    db = open_db(db_url)
    try:
        assert StudyService(db).settings.parameters == tuple(doc["parameters"])
    finally:
        db.close()
