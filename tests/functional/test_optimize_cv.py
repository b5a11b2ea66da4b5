"""``optimize`` judged by time-series cross-validation, both ways: on a real history the
fit earns its keep and is stored; on a history whose later reviews follow another
pattern than the earlier ones it loses, and the parameters in use stay."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from learners import FORGETFUL, simulate

from quizapp.cli import main
from quizapp.store.db import open_db
from quizapp.store.history import read_meta
from quizapp.study.crossval import PARTS
from quizapp.study.evaluation import ReviewEvent
from quizapp.study.optimize import LAST_OPTIMIZE_KEY
from quizapp.study.service import StudyService

REAL_HISTORY = (
    Path(__file__).resolve().parent.parent / "fixtures" / "reviews" / "review-log-12580.csv"
)


def _stored_parameters(db_url: str) -> tuple[float, ...]:
    db = open_db(db_url)
    try:
        return StudyService(db).settings.parameters
    finally:
        db.close()


def _last_optimize(db_url: str) -> dict[str, object]:
    db = open_db(db_url)
    try:
        value = read_meta(db, LAST_OPTIMIZE_KEY)
        assert isinstance(value, dict)
        return value
    finally:
        db.close()


def test_the_real_history_keeps_the_fit(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "import-reviews", str(REAL_HISTORY)]) == 0
    capsys.readouterr()

    assert main(["--db", db_url, "optimize"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("history: 12,580 reviews, 5,329 scored")
    # one row per fold; the first trains on too little history to be fitted
    rows = {int(line.split()[0]): line for line in lines if line[:6].strip().isdigit()}
    assert sorted(rows) == list(range(1, PARTS))
    assert "not fitted" in rows[1]
    for fold in range(2, PARTS):
        default_loss, _, fitted_loss, _ = (float(x) for x in rows[fold].split()[-4:])
        assert fitted_loss <= default_loss + 0.001, rows[fold]
    pooled = next(line for line in lines if "pooled, folds 2–5" in line).split()
    assert pooled[-4:] == ["0.4366", "0.0722", "0.4294", "0.0499"]
    assert "kept: fitted parameters now schedule your cards" in out
    assert "recommended desired retention: 0." in out
    assert all(len(line) <= 80 for line in lines), out

    parameters = _stored_parameters(db_url)
    assert parameters != tuple(DEFAULT_PARAMETERS)
    record = _last_optimize(db_url)
    assert record["kept"] is True and record["parameters"] == list(parameters)
    folds = record["folds"]
    assert isinstance(folds, list) and [f["counted"] for f in folds] == [
        False,
        True,
        True,
        True,
        True,
    ]
    retention = record["retention"]
    assert isinstance(retention, dict)
    assert 0.7 <= retention["desired_retention"] <= 0.95
    # sized to the history's 1,205 cards (imported on their own, with no deck)
    assert retention["cards"] == 1205

    # stats shows what the kept parameters earned, and the workload at the retention
    # in use and at the recommended one
    assert main(["--db", db_url, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    scheduler = stats["scheduler"]
    assert scheduler["fit_kept"] is True and scheduler["folds"] == 4
    assert scheduler["earned"] == record["fitted"]
    assert scheduler["default"] == record["default"]
    assert scheduler["recommended_retention"] == retention["desired_retention"]
    forecasts = stats["workload"]["forecasts"]
    assert [f["desired_retention"] for f in forecasts] == [
        0.9,
        retention["desired_retention"],
    ]
    assert all(len(f["counts"]) == 30 for f in forecasts)
    assert main(["--db", db_url, "stats"]) == 0
    text = capsys.readouterr().out
    assert "Scheduler: fitted parameters" in text
    assert "in use     log loss 0.4294, RMSE(bins) 0.0499" in text
    assert "defaults   log loss 0.4366, RMSE(bins) 0.0722" in text

    # the command printed applies the recommendation
    apply = next(line for line in lines if "apply it with: quizapp " in line)
    command = apply.split("apply it with: quizapp ")[1].split()
    assert command[:3] == ["config", "set", "desired-retention"]
    assert main(["--db", db_url, *command]) == 0
    db = open_db(db_url)
    try:
        assert StudyService(db).settings.desired_retention == float(command[3])
    finally:
        db.close()


def _write_csv(path: Path, events: list[ReviewEvent]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["card_id", "review_rating", "review_time", "review_duration"])
    for e in events:
        writer.writerow([e.card_id, e.rating, e.reviewed_at.isoformat(), 6000])
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_a_history_that_changes_pattern_keeps_the_parameters_in_use(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A learner who forgets fast for a month, then like FSRS's average user: every fold
    that can be fitted tests on the later reviews, which the defaults predict exactly
    (they are the truth there) and fits on the earlier ones cannot beat."""
    history = simulate(FORGETFUL, later=DEFAULT_PARAMETERS, switch_day=30, cards=600, days=150)
    csv_file = tmp_path / "history.csv"
    _write_csv(csv_file, history)
    assert main(["--db", db_url, "import-reviews", str(csv_file)]) == 0
    capsys.readouterr()

    assert main(["--db", db_url, "optimize", "--json", "--no-retention"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["refused"] is None
    assert doc["kept"] is False and doc["stored"] is False
    counted = [f for f in doc["folds"] if f["counted"]]
    assert len(counted) >= 3
    assert doc["fitted"]["log_loss"] > doc["default"]["log_loss"]
    assert doc["fitted"]["rmse_bins"] > doc["default"]["rmse_bins"]
    assert _stored_parameters(db_url) == tuple(DEFAULT_PARAMETERS)
    # what the parameters in use earned is recorded for stats
    record = _last_optimize(db_url)
    assert record["kept"] is False and record["default"] == doc["default"]

    assert main(["--db", db_url, "optimize", "--no-retention"]) == 0
    out = capsys.readouterr().out
    assert "not kept" in out and "the parameters in use stay" in out


def test_a_history_of_same_day_reviews_is_refused_without_fitting(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fsrs-rs aborts the process on an item with no review a day after another: a
    history of same-day reviews only must never reach it."""
    from datetime import UTC, datetime, timedelta

    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    events = [
        ReviewEvent(
            f"c{card}", 1 + (card + step) % 4, start + timedelta(days=card % 60, minutes=step)
        )
        for card in range(600)
        for step in range(6)
    ]
    csv_file = tmp_path / "same-day.csv"
    _write_csv(csv_file, events)
    assert main(["--db", db_url, "import-reviews", str(csv_file)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "optimize", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["train"] == 0 and doc["kept"] is False and doc["fitted"] is None
    assert "not enough history to judge a fit" in doc["refused"]
    assert not any(f["counted"] for f in doc["folds"])
    assert _stored_parameters(db_url) == tuple(DEFAULT_PARAMETERS)
