"""The optimizer's split, replay and metrics, checked on histories small enough to
compute by hand, and against fsrs-rs's own memory model."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from quizapp.study.crossval import PARTS, part_bounds, scored_flags
from quizapp.study.evaluation import Prediction, ReviewEvent, metrics, replay, replay_cards
from quizapp.study.optimize import (
    MIN_TRAIN_REVIEWS,
    clamp_parameters,
    optimize,
    training_items,
)

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
DECAY = DEFAULT_PARAMETERS[20]
FACTOR = 0.9 ** (1 / -DECAY) - 1


def at(days: float, minutes: float = 0) -> datetime:
    return T0 + timedelta(days=days, minutes=minutes)


def recall(days: float, stability: float) -> float:
    """FSRS-6's forgetting curve with the default decay."""
    return float((1 + FACTOR * days / stability) ** -DECAY)


def test_parts_are_equal_cuts_of_the_time_sorted_history() -> None:
    assert part_bounds(12, 6) == [0, 2, 4, 6, 8, 10, 12]
    assert part_bounds(13, 6) == [0, 2, 4, 6, 8, 10, 13]
    assert part_bounds(0, PARTS) == [0] * (PARTS + 1)


def test_same_day_and_first_reviews_are_not_scored() -> None:
    events = [
        ReviewEvent("a", 1, at(0)),  # first review: nothing to predict
        ReviewEvent("a", 3, at(0, 10)),  # ten minutes later: same day
        ReviewEvent("a", 3, at(0.9)),  # 21.6 h later: still under a whole day
        ReviewEvent("a", 3, at(2)),  # scored
    ]
    predictions = replay(events, DEFAULT_PARAMETERS)
    assert [p.scored for p in predictions] == [False, False, False, True]
    assert [p.elapsed_days for p in predictions] == [None, 0, 0, 1]
    assert predictions[0].predicted is None
    # py-fsrs counts whole days: within the day it predicts certain recall
    assert predictions[1].predicted == 1.0
    assert predictions[2].predicted == 1.0
    assert 0 < (predictions[3].predicted or 0) < 1


def test_replay_of_a_single_card_matches_the_forgetting_curve() -> None:
    # Good on day 0: stability w2; the review on day 3 is predicted from the curve.
    events = [ReviewEvent("a", 3, at(0)), ReviewEvent("a", 1, at(3))]
    p = replay(events, DEFAULT_PARAMETERS)[1]
    assert p.predicted == pytest.approx(recall(3, DEFAULT_PARAMETERS[2]), rel=1e-12)
    assert p.recalled is False
    assert p.position == 2


def test_replay_agrees_with_fsrs_rs_memory_states() -> None:
    """The evaluation replays with py-fsrs (what schedules the cards); fsrs-rs (what
    fits) must compute the same memory states from the same whole-day intervals."""
    rng = random.Random(7)
    events: list[ReviewEvent] = []
    for card in range(30):
        t = T0 + timedelta(hours=rng.randint(0, 48))
        for _ in range(rng.randint(2, 9)):
            events.append(ReviewEvent(f"c{card}", rng.choice([1, 2, 3, 3, 3, 4]), t))
            t += timedelta(minutes=10) if rng.random() < 0.3 else timedelta(days=rng.randint(1, 20))
    events.sort(key=lambda e: e.reviewed_at)
    params = list(DEFAULT_PARAMETERS)
    fsrs_rs = FSRS(params)
    history: dict[str, list[FSRSReview]] = {}
    last: dict[str, datetime] = {}
    checked = 0
    for p, e in zip(replay(events, params), events, strict=True):
        delta = 0 if e.card_id not in last else (e.reviewed_at - last[e.card_id]).days
        if p.scored:
            state = fsrs_rs.memory_state(FSRSItem(history[e.card_id]))
            expected = (1 + FACTOR * delta / state.stability) ** -DECAY
            assert p.predicted == pytest.approx(expected, abs=1e-4)
            checked += 1
        history.setdefault(e.card_id, []).append(FSRSReview(e.rating, delta))
        last[e.card_id] = e.reviewed_at
    assert checked > 50


def test_metrics_by_hand() -> None:
    def pred(p: float, y: bool, days: int, position: int, lapses: int = 0) -> Prediction:
        return Prediction(0, "c", position, days, lapses, p, y)

    predictions = [
        pred(0.9, True, 1, 2),
        pred(0.8, False, 1, 2),  # same bin as the first: (1 day, 2nd review, no lapse)
        pred(0.6, True, 10, 5, 1),  # a bin of its own
        Prediction(0, "c", 1, None, 0, None, True),  # first review: ignored
        pred(1.0, True, 0, 3),  # same-day: ignored
    ]
    m = metrics(predictions)
    assert m.reviews == 3
    expected_loss = -(math.log(0.9) + math.log(1 - 0.8) + math.log(0.6)) / 3
    assert m.log_loss == pytest.approx(expected_loss)
    # bin 1: mean predicted 0.85, observed 0.5 (2 reviews); bin 2: 0.6 vs 1 (1 review)
    expected_rmse = math.sqrt((2 * (0.85 - 0.5) ** 2 + 1 * (0.6 - 1.0) ** 2) / 3)
    assert m.rmse_bins == pytest.approx(expected_rmse)


def test_rmse_bins_groups_elapsed_days_on_a_log_scale() -> None:
    # 4 and 8 days share the FSRS benchmark's bin [3.62, 13.1); 2 days does not.
    same = metrics(
        [Prediction(0, "c", 2, 4, 0, 0.8, True), Prediction(0, "c", 2, 8, 0, 0.6, False)]
    )
    apart = metrics(
        [Prediction(0, "c", 2, 2, 0, 0.8, True), Prediction(0, "c", 2, 8, 0, 0.6, False)]
    )
    assert same.rmse_bins == pytest.approx(abs(0.7 - 0.5))
    assert apart.rmse_bins == pytest.approx(math.sqrt(((0.8 - 1) ** 2 + 0.6**2) / 2))


def test_training_items_use_whole_days_and_end_at_scored_reviews() -> None:
    events = [
        ReviewEvent("a", 1, at(0)),
        ReviewEvent("a", 3, at(0, 10)),
        ReviewEvent("a", 3, at(1, 60)),
        ReviewEvent("b", 3, at(1)),
        ReviewEvent("a", 4, at(5)),
    ]
    items = training_items(sorted(events, key=lambda e: e.reviewed_at))
    expected = [
        [(1, 0), (3, 0), (3, 1)],
        [(1, 0), (3, 0), (3, 1), (4, 3)],
    ]
    # fsrs-rs items expose no fields to Python; their repr lists (rating, delta_t)
    assert [repr(i) for i in items] == [
        repr(FSRSItem([FSRSReview(r, d) for r, d in reviews])) for reviews in expected
    ]


def test_scored_flags_mark_reviews_a_day_after_the_previous_one() -> None:
    events = [ReviewEvent("a", 3, at(d)) for d in (0, 1, 2, 3)] + [
        ReviewEvent("b", 3, at(3, 5)),
        ReviewEvent("b", 3, at(3, 30)),
    ]
    assert scored_flags(events) == [False, True, True, True, False, False]


def test_clamp_parameters_to_the_schedulers_bounds() -> None:
    wild = list(DEFAULT_PARAMETERS)
    wild[0] = -1.0
    wild[20] = 5.0
    clamped, moved = clamp_parameters(wild)
    assert moved == (0, 20)
    assert clamped[0] == LOWER_BOUNDS_PARAMETERS[0]
    assert clamped[20] == UPPER_BOUNDS_PARAMETERS[20]
    Scheduler(parameters=clamped)  # accepted by py-fsrs
    with pytest.raises(ValueError, match="21"):
        clamp_parameters([1.0] * 19)


def test_too_little_history_is_refused_without_fitting() -> None:
    events = [ReviewEvent(f"c{i}", 3, at(d)) for i in range(20) for d in (0, 1, 3, 8, 20)]
    result = optimize(events)
    assert result.refused is not None
    assert str(MIN_TRAIN_REVIEWS) in result.refused
    assert result.kept is False
    assert result.fitted is None and result.parameters is None
    assert result.reviews == 100
    doc = result.to_json()
    assert doc["kept"] is False and doc["fitted"] is None and doc["refused"]
    assert set(doc) >= {"reviews", "train", "test", "default", "fitted", "kept", "seconds"}


def test_empty_history_is_refused() -> None:
    result = optimize([])
    assert result.refused and result.reviews == 0 and result.default is None


def test_replay_computes_the_memory_review_card_computes() -> None:
    """The replay calls py-fsrs's memory update alone; the scheduler's whole review must
    give the same stability, difficulty and predictions, review after review."""
    rng = random.Random(11)
    params = list(DEFAULT_PARAMETERS)
    params[2], params[20] = 1.1, 0.3  # not the defaults: every parameter is used
    scheduler = Scheduler(parameters=params, enable_fuzzing=False)
    events: list[ReviewEvent] = []
    for card in range(40):
        t = T0 + timedelta(hours=rng.randint(0, 48))
        for _ in range(rng.randint(1, 12)):
            events.append(ReviewEvent(f"c{card}", rng.choice([1, 2, 3, 3, 3, 4]), t))
            minutes = rng.choice([1, 10, 300, 60 * 24 * rng.randint(1, 30)])
            t += timedelta(minutes=minutes)
    events.sort(key=lambda e: e.reviewed_at)
    predictions, memories = replay_cards(events, scheduler)
    cards: dict[str, Card] = {}
    for p, e in zip(predictions, events, strict=True):
        card = cards.get(e.card_id)
        if card is None:
            assert p.predicted is None
            card = Card(card_id=0, due=e.reviewed_at)
        else:
            assert p.predicted == scheduler.get_card_retrievability(card, e.reviewed_at)
        cards[e.card_id], _ = scheduler.review_card(card, Rating(e.rating), e.reviewed_at)
    assert set(memories) == set(cards)
    for card_id, memory in memories.items():
        assert memory.stability == cards[card_id].stability
        assert memory.difficulty == cards[card_id].difficulty
