"""Fit FSRS-6 parameters to the user's own review history, and keep them only when the
fitting earns its keep.

The fit is done by fsrs-rs (through ``fsrs_rs_python``), the engine Anki uses. Whether
it is kept is decided by time-series cross-validation (:mod:`quizapp.study.crossval`,
which states the rule), scored with the app's own predictor
(:mod:`quizapp.study.evaluation`). When it is kept, the parameters fitted on the whole
history are stored and every card's memory state is recomputed with them.

Every optimization that gets as far as judging a fit also records its figures (the
folds, the pooled scores, the recommended desired retention) in the collection, so that
``stats`` can show what the parameters in use earned, and the home screen can tell when
enough new reviews have come in to fit again.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from quizapp.store.db import Database
from quizapp.store.history import (
    MemoryStates,
    ScheduledReview,
    scheduled_reviews,
    store_meta,
    store_parameters,
)
from quizapp.study.crossval import PARTS, CrossValidation, Fold, cross_validate, scored_flags
from quizapp.study.evaluation import Metrics, ReviewEvent, replay_cards
from quizapp.study.fitness import LAST_OPTIMIZE_KEY
from quizapp.study.retention import Recommendation, recommend_retention
from quizapp.study.scheduler import PARAMETERS_KEY
from quizapp.study.service import StudyService
from quizapp.words import plural

#: scored reviews a fit needs to be trained on: py-fsrs's Optimizer does not fit below
#: one mini-batch of 512, and fsrs-rs falls back to partial fits on small histories
MIN_TRAIN_REVIEWS = 512
#: scored reviews the counted folds need, pooled, for a comparison that means something
MIN_TEST_REVIEWS = 100


@dataclass(frozen=True)
class OptimizeResult:
    """The outcome of ``optimize``: counts, the cross-validation, and the decision."""

    reviews: int
    #: scored reviews of the whole history (what the stored fit learns from)
    train: int
    #: scored test reviews pooled over the counted folds
    test: int
    default: Metrics | None
    fitted: Metrics | None
    kept: bool
    #: the final fit alone (on the whole history)
    seconds: float
    parameters: tuple[float, ...] | None
    #: why nothing was fitted (too little history), else None
    refused: str | None = None
    #: the parameters in use before, when they are not the defaults (pooled figures)
    current: Metrics | None = None
    #: fitted parameters that fsrs-rs returned outside py-fsrs's bounds, by index
    clamped: tuple[int, ...] = field(default=())
    folds: tuple[Fold, ...] = field(default=())
    #: the whole cross-validation (every fold's fit and replays)
    cv_seconds: float = 0.0
    #: the desired retention recommended with the parameters that schedule from now on
    retention: Recommendation | None = None

    @property
    def test_from(self) -> datetime | None:
        """Time of the oldest review of the counted folds."""
        counted = [f for f in self.folds if f.counted]
        return counted[0].test_from if counted else None

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``quizapp optimize --json`` (DESIGN §4 plus details)."""
        return {
            "reviews": self.reviews,
            "train": self.train,
            "test": self.test,
            "default": self.default.to_json() if self.default else None,
            "current": self.current.to_json() if self.current else None,
            "fitted": self.fitted.to_json() if self.fitted else None,
            "kept": self.kept,
            "seconds": self.seconds,
            "cv_seconds": self.cv_seconds,
            "parameters": list(self.parameters) if self.parameters is not None else None,
            "test_from": self.test_from.isoformat() if self.test_from else None,
            "refused": self.refused,
            "clamped": list(self.clamped),
            "folds": [f.to_json() for f in self.folds],
            "retention": self.retention.to_json() if self.retention else None,
        }


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


def training_items(events: Sequence[ReviewEvent]) -> list[Any]:
    """fsrs-rs training items: for each scored review, the card's history up to it.

    ``delta_t`` is the number of whole days since the previous review, as py-fsrs
    counts it, so the model is fitted on the same time scale it is used with. Every
    item ends with a review a day or more after the one before: fsrs-rs aborts the
    process on an item without one.
    """
    return _items_with_ends(events)[0]


def _items_with_ends(events: Sequence[ReviewEvent]) -> tuple[list[Any], list[int]]:
    """:func:`training_items`, and for each item the index of the review it ends with."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    histories: dict[str, list[Any]] = defaultdict(list)
    last: dict[str, datetime] = {}
    items: list[Any] = []
    ends: list[int] = []
    for index, (card_id, rating, at) in enumerate(events):
        prev = last.get(card_id)
        delta = 0 if prev is None else (at - prev).days
        history = histories[card_id]
        history.append(FSRSReview(rating, delta))
        last[card_id] = at
        if prev is not None and delta >= 1:
            items.append(FSRSItem(list(history)))
            ends.append(index)
    return items, ends


def fit_items(items: Sequence[Any]) -> tuple[float, ...]:
    """FSRS-6 parameters fitted by fsrs-rs to training ``items`` (unclamped)."""
    from fsrs_rs_python import DEFAULT_PARAMETERS as RS_DEFAULT
    from fsrs_rs_python import FSRS

    # Short-term parameters (w17–w19) are fitted too: same-day reviews are in the
    # histories and py-fsrs applies them to every review within a day.
    fitted = FSRS(list(RS_DEFAULT)).compute_parameters(list(items), enable_short_term=True)
    return tuple(float(w) for w in fitted)


class PrefixFitter:
    """Fits on the oldest reviews of one history, building its training items once: the
    items of a prefix of the history are a prefix of the history's items."""

    def __init__(self, events: Sequence[ReviewEvent]) -> None:
        self._items, self._ends = _items_with_ends(events)

    def __call__(self, prefix: Sequence[ReviewEvent]) -> tuple[float, ...]:
        """Clamped parameters fitted on ``prefix``, the history's first reviews."""
        return clamp_parameters(fit_items(self._items[: bisect_left(self._ends, len(prefix))]))[0]

    def whole(self) -> tuple[float, ...]:
        """Parameters fitted on the whole history (unclamped)."""
        return fit_items(self._items)


def _refusal(cv: CrossValidation, scored: int) -> str | None:
    if not cv.counted:
        return (
            f"not enough history to judge a fit: the history is cut by time into {PARTS} "
            f"parts, and a fit is tried on the parts before each later one once they hold "
            f"{MIN_TRAIN_REVIEWS} scored reviews (a review a day or more after the card's "
            f"previous one); you have {scored} in all. Keep studying and try again later"
        )
    if cv.test < MIN_TEST_REVIEWS:
        return (
            f"not enough history to judge a fit: the folds that could be fitted test "
            f"{plural(cv.test, 'scored review')}, {MIN_TEST_REVIEWS} needed"
        )
    return None


def optimize(
    events: Iterable[ReviewEvent],
    *,
    current: Sequence[float] | None = None,
    on_fold: Callable[[int, int], None] | None = None,
) -> OptimizeResult:
    """Cross-validate the fitting on ``events``, then fit on all of them.

    ``current`` are the parameters in use, when they are not py-fsrs's defaults;
    ``on_fold`` hears of each fold as it starts (its number, the number of folds).
    """
    ordered = tuple(sorted(events, key=lambda e: e.reviewed_at))
    in_use = (
        tuple(current)
        if current is not None and tuple(current) != tuple(DEFAULT_PARAMETERS)
        else None
    )
    scored = sum(scored_flags(ordered))
    fitter = PrefixFitter(ordered)
    cv = cross_validate(
        ordered,
        fitter,
        default=DEFAULT_PARAMETERS,
        current=in_use,
        min_train=MIN_TRAIN_REVIEWS,
        on_fold=on_fold,
    )
    common: dict[str, Any] = {
        "reviews": len(ordered),
        "train": scored,
        "test": cv.test,
        "default": cv.default,
        "current": cv.current,
        "folds": cv.folds,
        "cv_seconds": cv.seconds,
    }
    refused = _refusal(cv, scored)
    if refused is not None:
        return OptimizeResult(
            fitted=None, kept=False, seconds=0.0, parameters=None, refused=refused, **common
        )
    started = time.perf_counter()
    parameters, clamped = clamp_parameters(fitter.whole())
    seconds = time.perf_counter() - started
    return OptimizeResult(
        fitted=cv.fitted,
        kept=cv.fit_wins,
        seconds=seconds,
        parameters=parameters,
        clamped=clamped,
        **common,
    )


# -- the database side ---------------------------------------------------------------


def history_events(db: Database) -> list[ReviewEvent]:
    """Every review that moved a card's schedule, oldest first.

    Interview answers logged without rescheduling are left out: the scheduler never saw
    them, so the memory model it uses must not either.
    """
    return [ReviewEvent(*e) for e in scheduled_reviews(db)]


def _record(result: OptimizeResult) -> dict[str, Any]:
    return {"at": datetime.now(UTC).isoformat(), **result.to_json()}


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

    meta = {PARAMETERS_KEY: list(checked), LAST_OPTIMIZE_KEY: _record(result)}
    return store_parameters(db, meta, recompute)


def run_optimize(
    db: Database,
    *,
    store: bool = True,
    retention: bool = True,
    progress: Callable[[int], None] | None = None,
    on_fold: Callable[[int, int], None] | None = None,
) -> OptimizeResult:
    """Fit on this database's history; store the parameters when they are kept.

    With ``retention``, the desired retention is also recommended for the parameters
    that schedule from now on (``progress`` is called with the number of simulations
    run so far; ``on_fold`` with each fold of the cross-validation as it starts).
    Unless ``store`` is false, the figures are recorded for ``stats``.
    """
    settings = StudyService(db).settings
    result = optimize(history_events(db), current=settings.parameters, on_fold=on_fold)
    if result.refused is not None:
        return result
    if retention:
        winner = result.parameters if result.kept and result.parameters else settings.parameters
        result = replace(result, retention=recommend_retention(db, winner, progress=progress))
    if not store:
        return result
    if result.kept and result.parameters is not None:
        save_parameters(db, result.parameters, result)
    else:
        store_meta(db, {LAST_OPTIMIZE_KEY: _record(result)})
    return result
