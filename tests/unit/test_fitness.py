"""Reading the last optimization's record, and when the scheduler is due for a new fit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quizapp.study.costs import StudyCosts
from quizapp.study.fitness import (
    FIRST_FIT_REVIEWS,
    MIN_NEW_REVIEWS,
    fitness_from_record,
    refit_due,
)

FIT = datetime(2026, 1, 1, tzinfo=UTC)


def _record(**fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "at": FIT.isoformat(),
        "kept": False,
        "reviews": 3000,
        "test": 900,
        "folds": [{"counted": False}, {"counted": True}, {"counted": True}],
        "default": {"log_loss": 0.40, "rmse_bins": 0.05},
        "current": None,
        "fitted": {"log_loss": 0.41, "rmse_bins": 0.06},
        "retention": {"desired_retention": 0.81, "costs": StudyCosts().to_json()},
    }
    record.update(fields)
    return record


def test_a_fit_that_lost_leaves_the_defaults_with_their_figures() -> None:
    f = fitness_from_record(_record())
    assert f is not None
    assert f.kept is False and f.folds == 2 and f.test == 900
    assert f.earned is not None and f.earned.log_loss == 0.40  # the defaults stayed
    assert f.other is not None and f.other.log_loss == 0.41  # the fit that lost
    assert f.recommended_retention == 0.81
    assert f.costs == StudyCosts()


def test_a_kept_fit_earned_its_own_figures() -> None:
    f = fitness_from_record(_record(kept=True))
    assert f is not None and f.earned is not None and f.earned.log_loss == 0.41


def test_an_unreadable_record_is_no_record() -> None:
    assert fitness_from_record(None) is None
    assert fitness_from_record({"kept": True}) is None
    assert fitness_from_record(_record(at="yesterday")) is None
    broken = fitness_from_record(_record(retention={"desired_retention": 0.8, "costs": [1]}))
    assert broken is not None and broken.costs is None


def test_a_months_worth_of_new_reviews_calls_for_a_new_fit() -> None:
    fitness = fitness_from_record(_record())
    # 1,500 reviews in the 30 days before the fit: a month's worth is 1,500
    before = [FIT - timedelta(days=30) + timedelta(minutes=28.8 * i) for i in range(1500)]
    after = [FIT + timedelta(minutes=1 + i) for i in range(1499)]
    assert refit_due(before + after, fitness) is None
    hint = refit_due([*before, *after, FIT + timedelta(days=3)], fitness)
    assert hint is not None and hint.new_reviews == 1500 and hint.last_fit == FIT
    # a slow pace still waits for MIN_NEW_REVIEWS
    slow = [FIT - timedelta(days=300) + timedelta(days=i) for i in range(300)]
    assert refit_due(slow + after[: MIN_NEW_REVIEWS - 1], fitness) is None
    assert refit_due(slow + after[:MIN_NEW_REVIEWS], fitness) is not None


def test_a_collection_never_fitted_is_worth_a_first_fit_once_its_history_is_long() -> None:
    times = [FIT + timedelta(minutes=i) for i in range(FIRST_FIT_REVIEWS)]
    assert refit_due(times[:-1], None) is None
    hint = refit_due(times, None)
    assert hint is not None and hint.last_fit is None
