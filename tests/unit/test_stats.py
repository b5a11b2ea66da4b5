"""Statistics on a hand-made history whose right numbers are worked out below."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from factories import card_view
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store.views import CardState, CardView
from quizapp.study.scheduler import StudySettings
from quizapp.study.stats import DayCount, LoggedReview, Stats, compute_stats

NOW = datetime(2026, 3, 31, 15, 0, tzinfo=UTC)
DECAY = DEFAULT_PARAMETERS[20]
FACTOR = 0.9 ** (1 / -DECAY) - 1


def recall(days: int, stability: float) -> float:
    """FSRS-6's forgetting curve with the default decay, whole days as py-fsrs counts."""
    return float((1 + FACTOR * days / stability) ** -DECAY)


def at(month: int, day: int, hour: int = 12, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def review(card: str, rating: int, when: datetime, predicted: float | None) -> LoggedReview:
    return LoggedReview(card, rating, when, predicted)


REVIEWS = [
    review("c", 3, at(12, 31, year=2025), 0.35),  # before the 12-week window
    review("c", 4, at(3, 1, 10), 0.72),  # in 12 weeks, a day before the 30-day window
    # first day of the 30-day window, just after it began (4 a.m.); Hard = recalled
    review("e", 2, at(3, 2, 4, 30), 0.55),
    review("c", 3, at(3, 30, 10), None),  # a first review: nothing was predicted
    review("a", 3, at(3, 31, 9), 0.8),
    review("b", 1, at(3, 31, 9, 5), 0.95),
    review("a", 3, at(3, 31, 9, 10), 1.0),  # same day as the previous one: not long-term
]


def card(
    card_id: str,
    deck: str,
    topic: tuple[str, ...],
    state: CardState,
    *,
    due: datetime | None = None,
    stability: float | None = None,
    last_review: datetime | None = None,
    retired: bool = False,
) -> CardView:
    return card_view(
        card_id,
        deck=deck,
        topic=topic,
        state=state,
        due=due,
        reviews=0 if state == "new" else 3,
        stability=stability,
        difficulty=5.0 if stability else None,
        last_review=last_review,
        retired=retired,
    )


CARDS = [
    # due tonight; reviewed at 09:10 today: 0 whole days elapsed, recall 1
    card(
        "a",
        "DL",
        ("RNN", "GRU"),
        "review",
        due=at(3, 31, 20),
        stability=10,
        last_review=at(3, 31, 9, 10),
    ),
    # due earlier today: today, not overdue
    card(
        "b",
        "DL",
        ("RNN",),
        "relearning",
        due=at(3, 31, 9, 15),
        stability=0.5,
        last_review=at(3, 31, 9, 5),
    ),
    # due three days ago: overdue, counted today; 1 day 5 h since its review
    card("c", "DL", ("CNN",), "review", due=at(3, 28), stability=5, last_review=at(3, 30, 10)),
    card("d", "DL", ("CNN",), "new"),
    # due in 9 days; 10 days 3 h since its review
    card("e", "DL", ("RNN",), "review", due=at(4, 9), stability=2, last_review=at(3, 21, 12)),
    # due on day 30, one past the horizon
    card("f", "Other", (), "review", due=at(4, 30), stability=100, last_review=at(3, 31, 0)),
    card(
        "g",
        "DL",
        ("RNN",),
        "review",
        due=at(3, 31),
        stability=3,
        last_review=at(3, 1),
        retired=True,
    ),
]


@pytest.fixture
def stats() -> Stats:
    return compute_stats(REVIEWS, CARDS, StudySettings(desired_retention=0.85), NOW, UTC)


def test_reviews_per_day_over_twelve_weeks(stats: Stats) -> None:
    days = stats.reviews_per_day
    assert len(days) == 84
    assert days[0].day == date(2026, 1, 7) and days[-1].day == date(2026, 3, 31)
    counts = {d.day: d.count for d in days if d.count}
    assert counts == {
        date(2026, 3, 1): 1,
        date(2026, 3, 2): 1,
        date(2026, 3, 30): 1,
        date(2026, 3, 31): 3,
    }
    assert stats.reviews_total == 7


def test_true_retention_over_thirty_days(stats: Stats) -> None:
    r = stats.retention
    assert len(r.per_day) == 30
    assert r.per_day[0].day == date(2026, 3, 2)
    # long-term reviews in the window: e (Hard), a at 09:00 (Good), b (Again)
    assert (r.reviews, r.recalled) == (3, 2)
    assert r.rate == pytest.approx(2 / 3)
    assert r.desired == 0.85
    assert {(d.day, d.reviews, d.recalled) for d in r.per_day if d.reviews} == {
        (date(2026, 3, 2), 1, 1),
        (date(2026, 3, 31), 2, 1),
    }


def test_due_forecast_for_thirty_days(stats: Stats) -> None:
    due = stats.due_forecast
    assert len(due) == 30
    assert due[0].day == date(2026, 3, 31) and due[-1].day == date(2026, 4, 29)
    assert {d.day: d.count for d in due if d.count} == {date(2026, 3, 31): 3, date(2026, 4, 9): 1}
    assert stats.overdue == 1


def test_mastery_per_topic(stats: Stats) -> None:
    got = [(m.label, m.cards, m.studied, m.mastery) for m in stats.mastery]
    assert got == [
        ("DL › CNN", 2, 1, pytest.approx(recall(1, 5) / 2)),
        ("DL › RNN", 3, 3, pytest.approx((1.0 + 1.0 + recall(10, 2)) / 3)),
        ("Other", 1, 1, pytest.approx(1.0)),
    ]


def test_calibration_bins(stats: Stats) -> None:
    c = stats.calibration
    assert c.reviews == 5
    filled = {(round(b.low, 1), b.reviews, b.predicted, b.observed) for b in c.bins if b.reviews}
    assert filled == {
        (0.3, 1, 0.35, 1.0),
        (0.5, 1, 0.55, 1.0),
        (0.7, 1, 0.72, 1.0),
        (0.8, 1, 0.8, 1.0),
        (0.9, 1, 0.95, 0.0),
    }
    squares = (0.35 - 1) ** 2 + (0.55 - 1) ** 2 + (0.72 - 1) ** 2 + (0.8 - 1) ** 2 + 0.95**2
    assert c.rmse == pytest.approx(math.sqrt(squares / 5))
    assert [b.reviews for b in c.bins].count(0) == 5


def test_days_are_local_days() -> None:
    # 02:30 UTC on 03-31 still belongs to 03-30 in UTC (the day begins at 4 a.m.); it is
    # 04:30 on 03-31 in UTC+2
    late = [review("x", 3, at(3, 31, 2, 30), 0.9)]
    plus_two = timezone(timedelta(hours=2))
    local = compute_stats(late, [], StudySettings(), NOW, plus_two)
    utc = compute_stats(late, [], StudySettings(), NOW, UTC)
    assert local.reviews_per_day[-1].count == 1
    assert utc.reviews_per_day[-2].count == 1 and utc.reviews_per_day[-1].count == 0


def test_every_day_begins_at_the_day_start_hour() -> None:
    """Reviews at 03:59 and 04:01 fall on two days; what is due at 02:00 tomorrow is
    due today; at 02:00 "today" is still the day before; the simulated days begin at
    the day's start too."""
    boundary = [review("x", 3, at(3, 29, 3, 59), 0.9), review("y", 1, at(3, 29, 4, 1), 0.9)]
    tonight = card("z", "DL", (), "review", due=at(4, 1, 2), stability=5, last_review=at(3, 27))
    by_day = compute_stats(boundary, [tonight], StudySettings(), NOW, UTC)
    per_day = {d.day: d.count for d in by_day.reviews_per_day if d.count}
    assert per_day == {date(2026, 3, 28): 1, date(2026, 3, 29): 1}
    retention = {d.day: (d.reviews, d.recalled) for d in by_day.retention.per_day if d.reviews}
    assert retention == {date(2026, 3, 28): (1, 1), date(2026, 3, 29): (1, 0)}
    assert by_day.due_forecast[0].count == 1 and by_day.overdue == 0
    assert by_day.workloads[0].days[0].day == date(2026, 3, 31)

    small_hours = compute_stats(boundary, [tonight], StudySettings(), at(4, 1, 2), UTC)
    assert small_hours.today == date(2026, 3, 31)
    assert small_hours.reviews_per_day[-1].day == date(2026, 3, 31)
    assert small_hours.due_forecast[0] == DayCount(date(2026, 3, 31), 1)
    assert small_hours.workloads[0].days[0].day == date(2026, 3, 31)

    midnight = compute_stats(boundary, [tonight], StudySettings(day_starts_at=0), NOW, UTC)
    assert {d.day: d.count for d in midnight.reviews_per_day if d.count} == {date(2026, 3, 29): 2}
    assert midnight.due_forecast[0].count == 0 and midnight.due_forecast[1].count == 1


def test_json_document(stats: Stats) -> None:
    doc = stats.to_json()
    assert doc["reviews_total"] == 7
    assert doc["reviews_per_day"]["total"] == 6
    assert doc["reviews_per_day"]["counts"][-1] == {"date": "2026-03-31", "reviews": 3}
    assert doc["retention"]["true_retention"] == pytest.approx(2 / 3)
    assert doc["retention"]["desired_retention"] == 0.85
    assert doc["due_forecast"]["overdue"] == 1 and doc["due_forecast"]["total"] == 4
    assert doc["mastery"][2] == {
        "deck": "Other",
        "topic": None,
        "cards": 1,
        "studied": 1,
        "mastery": 1.0,
    }
    assert doc["calibration"]["reviews"] == 5


def test_an_empty_database_has_empty_stats() -> None:
    empty = compute_stats([], [], StudySettings(), NOW, UTC)
    assert empty.reviews_total == 0
    assert empty.retention.rate is None
    assert empty.calibration.rmse is None and empty.calibration.reviews == 0
    assert empty.mastery == ()
    assert sum(d.count for d in empty.due_forecast) == 0
