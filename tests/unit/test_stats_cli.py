"""``quizapp stats`` on a real database: reviews made through the study service, the
scheduler's own predictions used for retention and calibration."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import pytest
from factories import add_rows, card_row
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.cli import main
from quizapp.cli.stats import render
from quizapp.store.db import Database
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService
from quizapp.study.stats import collect_stats

DECAY = DEFAULT_PARAMETERS[20]
FACTOR = 0.9 ** (1 / -DECAY) - 1
START = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def add_card(db: Database, card_id: str, topic: list[str]) -> None:
    add_rows(db, card_row(card_id, at=START, deck="DL", topic=topic, source="dl.md"))


@pytest.fixture
def history(db: Database) -> Clock:
    """Card x: Good, Good ten minutes later (graduates, S = w2), Again two days and
    23 h 50 min later (py-fsrs: 2 whole days), then Good the next day. Card y: never
    studied."""
    add_card(db, "x", ["RNN"])
    add_card(db, "y", ["CNN"])
    clock = Clock()
    svc = StudyService(db, now=clock, settings=StudySettings(enable_fuzzing=False))
    for offset, rating in [
        (timedelta(0), 3),
        (timedelta(minutes=10), 3),
        (timedelta(days=3), 1),
        (timedelta(days=3, minutes=10), 3),
        (timedelta(days=4, hours=2), 3),
    ]:
        clock.now = START + offset
        svc.review("x", rating)
    clock.now = START + timedelta(days=6)  # 1 day 22 h after the last review
    return clock


def test_stats_from_the_review_log(db: Database, history: Clock) -> None:
    stats = collect_stats(db, now=history.now, tz=UTC)
    assert stats.reviews_total == 5
    per_day = {d.day: d.count for d in stats.reviews_per_day if d.count}
    assert per_day == {date(2026, 2, 2): 2, date(2026, 2, 5): 2, date(2026, 2, 6): 1}
    # long-term reviews: the Again of 02-05 and the Good of 02-06
    assert (stats.retention.reviews, stats.retention.recalled) == (2, 1)
    predicted_again = (1 + FACTOR * 2 / DEFAULT_PARAMETERS[2]) ** -DECAY
    bins = {b.low: b for b in stats.calibration.bins if b.reviews}
    assert stats.calibration.reviews == 2
    again_bin = bins[int(predicted_again * 10) / 10]
    assert again_bin.reviews == 1 and again_bin.observed == 0.0
    assert again_bin.predicted == pytest.approx(predicted_again)
    # x is due (relearned, then reviewed) within the month; y is new
    assert sum(d.count for d in stats.due_forecast) == 1
    assert [(m.label, m.cards, m.studied) for m in stats.mastery] == [
        ("DL › CNN", 1, 0),
        ("DL › RNN", 1, 1),
    ]
    assert stats.mastery[0].mastery == 0.0
    assert 0.0 < stats.mastery[1].mastery < 1.0


def test_stats_command(
    db: Database, db_url: str, history: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db_url, "stats", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reviews_total"] == 5
    expected = collect_stats(db).to_json()
    # the parts that do not move with the clock
    assert doc["calibration"] == expected["calibration"]
    assert doc["retention"]["desired_retention"] == 0.9
    assert len(doc["reviews_per_day"]["counts"]) == 84
    assert len(doc["due_forecast"]["counts"]) == 30

    assert main(["--db", db_url, "stats"]) == 0
    text = capsys.readouterr().out
    for heading in ("Reviews, last 12 weeks", "True retention", "Due in the next 30 days",
                    "Mastery per topic", "Calibration: 2 reviews"):  # fmt: skip
        assert heading in text
    assert "DL › RNN" in text


def test_stats_forecast_the_workload_before_any_optimize(
    db: Database, history: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    stats = collect_stats(db, now=history.now, tz=UTC)
    assert stats.fitness is None
    [workload] = stats.workloads  # no recommended retention yet: one forecast
    assert workload.desired_retention == 0.9
    assert len(workload.days) == 30 and workload.days[0].day == date(2026, 2, 8)
    # y is introduced on the first day; x, studied, comes back within the month
    assert [d.new for d in workload.days][:2] == [1, 0]
    assert workload.reviews >= 1
    doc = stats.to_json()
    assert doc["scheduler"] is None
    assert doc["workload"]["days"] == 30
    assert [f["desired_retention"] for f in doc["workload"]["forecasts"]] == [0.9]

    text = render(stats)
    assert "Scheduler: default parameters; `quizapp optimize` has not been run" in text
    assert "Workload, next 30 days (simulated):" in text
    assert "  at 0.90: " in text


def test_stats_count_days_from_the_day_start_hour(
    db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reviews at 03:59 and 04:01 local time count for two days, as the daily limits
    count them: the day begins at 4 a.m."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # UTC+8, no DST
    time.tzset()
    local = ZoneInfo("Asia/Shanghai")
    add_card(db, "x", ["RNN"])
    add_card(db, "y", ["CNN"])
    day = datetime.now(local).date() - timedelta(days=3)
    clock = Clock()
    svc = StudyService(db, now=clock, settings=StudySettings(enable_fuzzing=False))
    clock.now = datetime.combine(day, dt_time(3, 59), local)
    svc.review("x", 3)
    clock.now = datetime.combine(day, dt_time(4, 1), local)
    svc.review("y", 3)

    assert main(["--db", db_url, "stats", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    counts = doc["reviews_per_day"]["counts"]
    reviewed = {c["date"]: c["reviews"] for c in counts if c["reviews"]}
    assert reviewed == {(day - timedelta(days=1)).isoformat(): 1, day.isoformat(): 1}
    assert doc["today"] == StudySettings().today(datetime.now(UTC)).isoformat()
    assert counts[-1]["date"] == doc["today"]
