"""Fit FSRS-6 parameters to the user's own review history, and evaluate them honestly.

The fit is done by fsrs-rs (through ``fsrs_rs_python``), the engine Anki uses; the
evaluation is done here, in plain Python, with the same py-fsrs ``Scheduler`` that
schedules the cards, so the numbers describe what the app will actually predict.

How the history is split and scored (the figures ``quizapp optimize`` prints):

- All scheduled reviews are sorted by time (ties keep their log order). The oldest
  ``floor(0.75 * n)`` reviews are the *training* part, the newest 25 % the *test* part.
- A review is *scored* when it is not the card's first review and comes at least one
  whole day (24 h) after the card's previous review: py-fsrs counts elapsed time in whole
  days, so it predicts recall 1.0 for a review within the day, and such same-day
  reviews carry no information about the forgetting curve. The ``train`` and ``test``
  counts are the numbers of scored reviews in each part.
- To predict a test review, the card's memory state is replayed through its *whole*
  history (training part included, same-day reviews included — they move stability
  through FSRS-6's short-term parameters) with the parameters being evaluated; the
  prediction is py-fsrs's retrievability at the review's time.
- log loss = mean of ``-(y log p + (1 - y) log(1 - p))`` over the scored test reviews,
  with y = 1 when the rating is Hard, Good or Easy (recalled) and 0 for Again.
- RMSE(bins) is the FSRS benchmark's: reviews are grouped by (elapsed days, position of
  the review in the card's history, number of earlier lapses), each on a logarithmic
  scale; the root of the count-weighted mean squared difference between mean predicted
  and observed recall per group.

The fit sees only the training part. The fitted parameters are kept only when their
log loss on the test part is lower than that of the parameters in use.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from quizapp.store.db import Database
from quizapp.store.history import MemoryStates, ScheduledReview, scheduled_reviews, store_parameters
from quizapp.study.scheduler import PARAMETERS_KEY
from quizapp.study.service import StudyService
from quizapp.words import plural

#: share of the reviews (the newest) held out to test the fit
TEST_FRACTION = 0.25
#: scored reviews the training part needs: py-fsrs's Optimizer does not fit below one
#: mini-batch of 512, and fsrs-rs falls back to partial fits on small histories
MIN_TRAIN_REVIEWS = 512
#: scored reviews the test part needs for a comparison that means something
MIN_TEST_REVIEWS = 100
#: predictions are clipped this far from 0 and 1 before taking logarithms
LOG_EPSILON = 1e-7
#: meta-table key of the last optimization's figures (what the stored parameters scored)
LAST_OPTIMIZE_KEY = "fsrs.last_optimize"
#: bases of the logarithmic bins of RMSE(bins), as in the FSRS benchmark
_BIN_BASES = (3.62, 1.89, 1.73)


class ReviewEvent(NamedTuple):
    """One review as the optimizer sees it."""

    card_id: str
    rating: int
    reviewed_at: datetime


@dataclass(frozen=True)
class Prediction:
    """What a replay predicted for one review."""

    #: index of the review in the time-sorted history
    index: int
    card_id: str
    #: 1-based position of the review in its card's history
    position: int
    #: whole days since the card's previous review; None for a first review
    elapsed_days: int | None
    #: earlier reviews of the card, at least a day after the one before, rated Again
    lapses: int
    #: predicted probability of recall; None for a first review
    predicted: float | None
    recalled: bool

    @property
    def scored(self) -> bool:
        """Whether the review counts in the evaluation (not first, not same-day)."""
        return self.elapsed_days is not None and self.elapsed_days >= 1


@dataclass(frozen=True)
class Metrics:
    """How well a parameter set predicts a set of reviews."""

    log_loss: float
    rmse_bins: float
    reviews: int

    def to_json(self) -> dict[str, float]:
        """The JSON form: ``{"log_loss", "rmse_bins"}``."""
        return {"log_loss": self.log_loss, "rmse_bins": self.rmse_bins}


@dataclass(frozen=True)
class TimeSplit:
    """The history sorted by time, with the index where the test part begins."""

    events: tuple[ReviewEvent, ...]
    cut: int

    @property
    def test_from(self) -> datetime | None:
        """Time of the oldest test review (None when the test part is empty)."""
        return self.events[self.cut].reviewed_at if self.cut < len(self.events) else None

    @property
    def train_events(self) -> tuple[ReviewEvent, ...]:
        """The older part."""
        return self.events[: self.cut]


@dataclass(frozen=True)
class OptimizeResult:
    """The outcome of ``optimize``: counts, both evaluations, and the decision."""

    reviews: int
    train: int
    test: int
    default: Metrics | None
    fitted: Metrics | None
    kept: bool
    seconds: float
    parameters: tuple[float, ...] | None
    test_from: datetime | None
    #: why nothing was fitted (too little history), else None
    refused: str | None = None
    #: the parameters in use before, when they are not the defaults
    current: Metrics | None = None
    #: fitted parameters that fsrs-rs returned outside py-fsrs's bounds, by index
    clamped: tuple[int, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``quizapp optimize --json`` (DESIGN §4 plus details)."""
        out: dict[str, Any] = {
            "reviews": self.reviews,
            "train": self.train,
            "test": self.test,
            "default": self.default.to_json() if self.default else None,
            "fitted": self.fitted.to_json() if self.fitted else None,
            "kept": self.kept,
            "seconds": self.seconds,
            "parameters": list(self.parameters) if self.parameters is not None else None,
            "test_from": self.test_from.isoformat() if self.test_from else None,
            "refused": self.refused,
            "clamped": list(self.clamped),
        }
        if self.current is not None:
            out["current"] = self.current.to_json()
        return out


def split_by_time(events: Iterable[ReviewEvent], test_fraction: float = TEST_FRACTION) -> TimeSplit:
    """Sort ``events`` by time (stable) and cut off the newest ``test_fraction``."""
    ordered = tuple(sorted(events, key=lambda e: e.reviewed_at))
    cut = math.floor(len(ordered) * (1.0 - test_fraction))
    return TimeSplit(ordered, cut)


def clamp_parameters(parameters: Sequence[float]) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """Parameters forced into py-fsrs's bounds, and the indices that had to move.

    ``fsrs.Scheduler`` refuses parameters outside its bounds, and it is what schedules
    the cards, so whatever is stored must pass its check.
    """
    if len(parameters) != len(DEFAULT_PARAMETERS):
        raise ValueError(
            f"expected {len(DEFAULT_PARAMETERS)} FSRS-6 parameters, got {len(parameters)}"
        )
    out: list[float] = []
    moved: list[int] = []
    for i, (w, lo, hi) in enumerate(
        zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ):
        v = min(max(float(w), lo), hi)
        if v != float(w):
            moved.append(i)
        out.append(v)
    return tuple(out), tuple(moved)


def replay_cards(
    events: Sequence[ReviewEvent], scheduler: Scheduler
) -> tuple[list[Prediction], dict[str, FsrsCard]]:
    """Replay time-sorted ``events`` through ``scheduler``: each review's prediction, and
    every card as it stands after its last review."""
    cards: dict[str, FsrsCard] = {}
    positions: dict[str, int] = defaultdict(int)
    lapses: dict[str, int] = defaultdict(int)
    out: list[Prediction] = []
    for index, (card_id, rating, when) in enumerate(events):
        # py-fsrs insists on timezone.utc itself, not merely an offset of zero
        at = when.astimezone(UTC)
        card = cards.get(card_id)
        positions[card_id] += 1
        if card is None or card.last_review is None:
            card = FsrsCard(card_id=0, due=at)
            elapsed: int | None = None
            predicted: float | None = None
        else:
            elapsed = (at - card.last_review).days
            predicted = float(scheduler.get_card_retrievability(card, at))
        out.append(
            Prediction(
                index=index,
                card_id=card_id,
                position=positions[card_id],
                elapsed_days=elapsed,
                lapses=lapses[card_id],
                predicted=predicted,
                recalled=rating > 1,
            )
        )
        if elapsed is not None and elapsed >= 1 and rating == 1:
            lapses[card_id] += 1
        cards[card_id], _ = scheduler.review_card(card, Rating(rating), at)
    return out, cards


def replay(events: Sequence[ReviewEvent], parameters: Sequence[float]) -> list[Prediction]:
    """Replay time-sorted ``events`` with ``parameters`` and record each prediction.

    Memory states depend only on ratings and review times (not on learning steps), so
    the scheduler's other settings do not matter here.
    """
    scheduler = Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    return replay_cards(events, scheduler)[0]


def _log_bin(x: float, base: float) -> int:
    return math.floor(math.log(x) / math.log(base))


def metrics(predictions: Iterable[Prediction]) -> Metrics:
    """Log loss and RMSE(bins) over the scored predictions."""
    total = 0.0
    count = 0
    bins: dict[tuple[int, int, int | None], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for p in predictions:
        if not p.scored or p.predicted is None or p.elapsed_days is None:
            continue
        y = 1.0 if p.recalled else 0.0
        q = min(max(p.predicted, LOG_EPSILON), 1.0 - LOG_EPSILON)
        total -= y * math.log(q) + (1.0 - y) * math.log(1.0 - q)
        count += 1
        key = (
            _log_bin(p.elapsed_days, _BIN_BASES[0]),
            _log_bin(p.position, _BIN_BASES[1]),
            _log_bin(p.lapses, _BIN_BASES[2]) if p.lapses else None,
        )
        acc = bins[key]
        acc[0] += p.predicted
        acc[1] += y
        acc[2] += 1
    if count == 0:
        return Metrics(math.nan, math.nan, 0)
    squared = sum((pred / n - real / n) ** 2 * n for pred, real, n in bins.values())
    return Metrics(total / count, math.sqrt(squared / count), count)


def evaluate(split: TimeSplit, parameters: Sequence[float]) -> Metrics:
    """Metrics of ``parameters`` on the test part of ``split`` (whole histories replayed)."""
    return metrics(p for p in replay(split.events, parameters) if p.index >= split.cut)


def scored_counts(split: TimeSplit) -> tuple[int, int]:
    """Scored reviews in the training part and in the test part."""
    last: dict[str, datetime] = {}
    train = test = 0
    for index, (card_id, _rating, at) in enumerate(split.events):
        prev = last.get(card_id)
        if prev is not None and (at - prev).days >= 1:
            if index < split.cut:
                train += 1
            else:
                test += 1
        last[card_id] = at
    return train, test


def training_items(events: Sequence[ReviewEvent]) -> list[Any]:
    """fsrs-rs training items: for each scored review, the card's history up to it.

    ``delta_t`` is the number of whole days since the previous review, as py-fsrs
    counts it, so the model is fitted on the same time scale it is used with.
    """
    from fsrs_rs_python import FSRSItem, FSRSReview

    histories: dict[str, list[Any]] = defaultdict(list)
    last: dict[str, datetime] = {}
    items: list[Any] = []
    for card_id, rating, at in events:
        prev = last.get(card_id)
        delta = 0 if prev is None else (at - prev).days
        history = histories[card_id]
        history.append(FSRSReview(rating, delta))
        last[card_id] = at
        if prev is not None and delta >= 1:
            items.append(FSRSItem(list(history)))
    return items


def fit(events: Sequence[ReviewEvent]) -> tuple[float, ...]:
    """FSRS-6 parameters fitted by fsrs-rs to time-sorted ``events`` (unclamped)."""
    from fsrs_rs_python import DEFAULT_PARAMETERS as RS_DEFAULT
    from fsrs_rs_python import FSRS

    items = training_items(events)
    # Short-term parameters (w17–w19) are fitted too: same-day reviews are in the
    # histories and py-fsrs applies them to every review within a day.
    fitted = FSRS(list(RS_DEFAULT)).compute_parameters(items, enable_short_term=True)
    return tuple(float(w) for w in fitted)


def optimize(
    events: Iterable[ReviewEvent],
    *,
    current: Sequence[float] | None = None,
) -> OptimizeResult:
    """Split ``events`` by time, fit on the older part, evaluate on the newer part.

    ``current`` are the parameters in use, when they are not py-fsrs's defaults; the
    fitted ones are kept only when they beat both on the test part's log loss.
    """
    split = split_by_time(events)
    train, test = scored_counts(split)
    reviews = len(split.events)
    default = evaluate(split, DEFAULT_PARAMETERS) if test else None
    in_use = (
        tuple(current)
        if current is not None and tuple(current) != tuple(DEFAULT_PARAMETERS)
        else None
    )
    current_metrics = evaluate(split, in_use) if in_use is not None and test else None
    refused = None
    if train < MIN_TRAIN_REVIEWS:
        refused = (
            f"not enough history to fit: {plural(train, 'scored review')} in the older 75 % of "
            f"the history, {MIN_TRAIN_REVIEWS} needed (a scored review comes a day or more "
            "after the card's previous one); keep studying and try again later"
        )
    elif test < MIN_TEST_REVIEWS:
        refused = (
            f"not enough recent history to test a fit: {plural(test, 'scored review')} in the "
            f"newest 25 %, {MIN_TEST_REVIEWS} needed"
        )
    if refused is not None:
        return OptimizeResult(
            reviews=reviews,
            train=train,
            test=test,
            default=default,
            fitted=None,
            kept=False,
            seconds=0.0,
            parameters=None,
            test_from=split.test_from,
            refused=refused,
            current=current_metrics,
        )
    started = time.perf_counter()
    raw = fit(split.train_events)
    seconds = time.perf_counter() - started
    parameters, clamped = clamp_parameters(raw)
    fitted = evaluate(split, parameters)
    assert default is not None
    baseline = min(default.log_loss, current_metrics.log_loss if current_metrics else math.inf)
    return OptimizeResult(
        reviews=reviews,
        train=train,
        test=test,
        default=default,
        fitted=fitted,
        kept=fitted.log_loss < baseline,
        seconds=seconds,
        parameters=parameters,
        test_from=split.test_from,
        current=current_metrics,
        clamped=clamped,
    )


# -- the database side ---------------------------------------------------------------


def history_events(db: Database) -> list[ReviewEvent]:
    """Every review that moved a card's schedule, oldest first.

    Interview answers logged without rescheduling are left out: the scheduler never saw
    them, so the memory model it uses must not either.
    """
    return [ReviewEvent(*e) for e in scheduled_reviews(db)]


def save_parameters(db: Database, parameters: Sequence[float], result: OptimizeResult) -> int:
    """Store ``parameters`` where the study service reads them and recompute every
    card's memory state (stability, difficulty) with them, in one transaction.

    Due dates are kept, as Anki does when parameters change: the new parameters shape
    the next intervals, without moving every card at once. Returns the number of cards
    whose memory state was recomputed.
    """
    checked, moved = clamp_parameters(parameters)
    if moved:
        raise ValueError(f"parameters out of py-fsrs's bounds at {list(moved)}")
    scheduler = Scheduler(parameters=checked, enable_fuzzing=False)

    def recompute(events: Sequence[ScheduledReview]) -> MemoryStates:
        _, cards = replay_cards([ReviewEvent(*e) for e in events], scheduler)
        return {card_id: (c.stability, c.difficulty) for card_id, c in cards.items()}

    meta = {
        PARAMETERS_KEY: list(checked),
        LAST_OPTIMIZE_KEY: {"at": datetime.now(UTC).isoformat(), **result.to_json()},
    }
    return store_parameters(db, meta, recompute)


def run_optimize(db: Database, *, store: bool = True) -> OptimizeResult:
    """Fit on this database's history; store the parameters when they are kept."""
    settings = StudyService(db).settings
    result = optimize(history_events(db), current=settings.parameters)
    if store and result.kept and result.parameters is not None:
        save_parameters(db, result.parameters, result)
    return result
