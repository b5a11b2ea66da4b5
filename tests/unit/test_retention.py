"""Study costs measured from a review log, and the recommended desired retention that
fsrs-rs's simulation finds with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store.history import TimedReview
from quizapp.store.settings import Settings
from quizapp.study.costs import MAX_SECONDS, MIN_SAMPLES, StudyCosts, measure_costs
from quizapp.study.retention import HIGHEST, LOWEST, optimal_retention

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _card(card_id: str) -> list[TimedReview]:
    """Again then Good within the day (learning), Again two days later (review), Good
    ten minutes later (relearning), Good three days later (review)."""
    steps = [
        (1, timedelta(0), 10_000),
        (3, timedelta(minutes=5), 5_000),
        (1, timedelta(days=2), 20_000),
        (3, timedelta(days=2, minutes=10), 8_000),
        (3, timedelta(days=5), 4_000),
    ]
    return [TimedReview(card_id, r, T0 + dt, ms) for r, dt, ms in steps]


def test_costs_are_measured_per_card_state_and_rating() -> None:
    reviews = sorted(
        (r for i in range(MIN_SAMPLES) for r in _card(f"c{i}")), key=lambda r: r.reviewed_at
    )
    costs = measure_costs(reviews)
    default = StudyCosts()
    learning, review, relearning = costs.seconds
    assert learning[0] == 10.0 and learning[2] == 5.0
    assert review[0] == 20.0 and review[2] == 4.0
    assert relearning[2] == 8.0
    # cells without reviews keep fsrs-rs's defaults
    assert learning[3] == default.seconds[0][3] and relearning[0] == default.seconds[2][0]
    assert costs.first_rating == (1.0, 0.0, 0.0, 0.0)
    assert costs.review_rating == (0.0, 1.0, 0.0)
    assert costs.measured == 5 * MIN_SAMPLES


def test_a_few_reviews_or_untimed_ones_keep_the_defaults() -> None:
    few = measure_costs(_card("a"))
    assert few == StudyCosts(measured=5)
    untimed = [r._replace(duration_ms=None) for i in range(30) for r in _card(f"c{i}")]
    assert measure_costs(sorted(untimed, key=lambda r: r.reviewed_at)).seconds == (
        StudyCosts().seconds
    )


def test_a_review_left_open_counts_as_the_longest_duration() -> None:
    reviews = [
        TimedReview(f"c{i}", 3, T0 + timedelta(seconds=i), 3_600_000) for i in range(MIN_SAMPLES)
    ]
    assert measure_costs(reviews).seconds[0][2] == MAX_SECONDS


def test_same_day_reviews_only_give_a_valid_simulation() -> None:
    """Nothing but learning reviews: no recalled review to share ratings from. The
    simulation still runs (fsrs-rs aborts the process on weights that sum to zero)."""
    reviews = [
        TimedReview(f"c{i}", 1 + i % 4, T0 + timedelta(minutes=i), 7_000) for i in range(200)
    ]
    costs = measure_costs(reviews)
    assert costs.review_rating == StudyCosts().review_rating
    rec = optimal_retention(
        DEFAULT_PARAMETERS, cards=50, costs=costs, settings=Settings(new_per_day=5), days=60
    )
    assert LOWEST <= rec.retention <= HIGHEST


def test_expensive_forgetting_recommends_a_higher_retention() -> None:
    """When an Again costs minutes, remembering more pays; when it costs seconds, it does
    not: the recommendation moves with the user's own costs."""

    def costs(again: float) -> StudyCosts:
        return StudyCosts(seconds=((20, 18, 14, 11), (again, 8, 6, 5), (again, 15, 12, 8)))

    seen: list[int] = []
    settings = Settings(new_per_day=10)
    cheap = optimal_retention(
        DEFAULT_PARAMETERS, cards=300, costs=costs(5.0), settings=settings, progress=seen.append
    )
    dear = optimal_retention(DEFAULT_PARAMETERS, cards=300, costs=costs(300.0), settings=settings)
    assert cheap.retention < 0.75
    assert dear.retention > 0.9
    assert seen == list(range(1, cheap.simulations + 1))
    assert cheap.cards == 300 and cheap.new_per_day == 10 and cheap.days == 365
