"""The 30-day workload forecast: what the simulation of the next days must show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from factories import card_view

from quizapp.store.views import CardView
from quizapp.study.costs import StudyCosts
from quizapp.study.forecast import FORECAST_DAYS, forecast_workload
from quizapp.study.scheduler import StudySettings

START = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
#: every rating, every state: 10 seconds a review
FLAT = StudyCosts(seconds=((10.0,) * 4,) * 3)


def studied(i: int, *, due_in: float, stability: float = 10.0) -> CardView:
    return card_view(
        f"c{i}",
        state="review",
        stability=stability,
        difficulty=5.0,
        last_review=START - timedelta(days=stability),
        due=START + timedelta(days=due_in),
        reviews=3,
    )


def test_new_cards_arrive_at_the_daily_limit_until_none_is_left() -> None:
    cards = [card_view(f"n{i}") for i in range(45)]
    settings = StudySettings(new_per_day=20)
    w = forecast_workload(cards, settings, FLAT, retention=0.9, start=START)
    assert len(w.days) == FORECAST_DAYS
    assert [d.new for d in w.days[:4]] == [20, 20, 5, 0]
    assert w.days[0].day == START.astimezone().date()
    # new cards learned on day 0 come back for review within the month
    assert sum(d.reviews for d in w.days) > 0
    assert w.days[0].reviews == 0


def test_overdue_cards_are_reviewed_on_the_first_day_within_the_review_limit() -> None:
    cards = [studied(i, due_in=-3) for i in range(50)] + [studied(99, due_in=40)]
    settings = StudySettings(new_per_day=0, reviews_per_day=30)
    w = forecast_workload(cards, settings, FLAT, retention=0.9, start=START)
    assert w.days[0].reviews == 30
    assert w.days[1].reviews >= 20  # the 20 left over, and nothing else is due yet
    assert w.runs > 1  # a small collection is averaged over several runs
    # 10 s a review, relearning steps included: at least the reviews' own minutes
    assert w.days[0].minutes >= 30 * 10 / 60


def test_a_lower_retention_means_fewer_reviews() -> None:
    cards = [studied(i, due_in=i % 30, stability=2 + i % 20) for i in range(600)]
    settings = StudySettings(new_per_day=0, reviews_per_day=10_000)
    high = forecast_workload(cards, settings, FLAT, retention=0.95, start=START)
    low = forecast_workload(cards, settings, FLAT, retention=0.75, start=START)
    assert low.reviews < high.reviews
    assert low.minutes < high.minutes


def test_the_forecast_is_the_same_every_time_and_skips_retired_cards() -> None:
    cards = [studied(i, due_in=i % 10) for i in range(100)]
    settings = StudySettings()
    a = forecast_workload(cards, settings, FLAT, retention=0.9, start=START)
    b = forecast_workload(cards, settings, FLAT, retention=0.9, start=START)
    assert a == b
    retired = [replace(c, retired=True) for c in cards]
    empty = forecast_workload(retired, settings, FLAT, retention=0.9, start=START)
    assert empty.reviews == 0 and sum(d.new for d in empty.days) == 0
    doc = a.to_json()
    assert doc["desired_retention"] == 0.9 and len(doc["counts"]) == FORECAST_DAYS
    assert set(doc["counts"][0]) == {"date", "reviews", "new", "minutes"}
