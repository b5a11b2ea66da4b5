"""Time-series cross-validation: whether fitting FSRS parameters to a history pays off.

A single held-out window decides by luck: the newest weeks of a history may follow
another pattern than the weeks before, and one window says nothing about how stable
the verdict is. The FSRS benchmark (srs-benchmark) judges parameters the way done here:

- All scheduled reviews are sorted by time (ties keep their log order) and cut into
  :data:`PARTS` parts of equal numbers of reviews. Fold *k* (1 ≤ k < :data:`PARTS`)
  tests on part *k* with parameters fitted only on parts 0 … k-1, so no fold is ever
  predicted by parameters that saw it or anything after it.
- A fold *counts* when its training parts hold at least
  :data:`~quizapp.study.optimize.MIN_TRAIN_REVIEWS` scored reviews (the size below which
  nothing is fitted at all) and its test part at least :data:`MIN_FOLD_TEST` scored
  reviews. The other folds are shown but not fitted: a fit on a few hundred reviews says
  little about a fit on the whole history, which is what would be stored.
- Every counted fold scores the fit, the default parameters and the parameters in use
  on the *same* test reviews, with the app's own predictor (see
  :mod:`quizapp.study.evaluation`: whole card histories replayed through py-fsrs).
- The predictions of the counted folds are pooled, and log loss and RMSE(bins) computed
  over the pool (a fold with more reviews weighs more, as it should).

The rule: the fit is kept when, pooled, it beats the parameters in use *and* the default
parameters on *both* log loss and RMSE(bins). Log loss alone rewards a fit that is
sharper on average but miscalibrated on some kinds of reviews; RMSE(bins) alone can be
won by a fit that is calibrated on average and confidently wrong on single reviews.
Requiring both means a fit replaces what schedules the cards only when it predicts the
user's reviews better in both senses; when the evidence is split, nothing changes. The
parameters in use, when they were fitted before, saw the test reviews already, which
favours them: the rule errs towards keeping what works.

The parameters stored when the fit is kept are fitted on the whole history: the folds
judge the fitting, the whole history gives it the most to learn from.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.study.evaluation import Metrics, Prediction, ReviewEvent, metrics, replay

#: the history is cut into this many parts; the first is only ever trained on
PARTS = 6
#: scored reviews a fold's test part needs to count
MIN_FOLD_TEST = 50

#: fits FSRS parameters to time-sorted reviews (returns parameters py-fsrs accepts)
Fitter = Callable[[Sequence[ReviewEvent]], tuple[float, ...]]


@dataclass(frozen=True)
class Fold:
    """One fold: trained on the parts before its test part."""

    number: int
    test_from: datetime
    test_to: datetime
    #: scored reviews in the training parts and in the test part
    train: int
    test: int
    default: Metrics
    #: the parameters in use, when they are not the defaults
    current: Metrics | None
    #: the fit's figures; None when the fold did not count (too little history)
    fitted: Metrics | None
    seconds: float

    @property
    def counted(self) -> bool:
        """Whether the fold was fitted and takes part in the decision."""
        return self.fitted is not None

    def to_json(self) -> dict[str, Any]:
        """The fold as ``optimize --json`` lists it."""
        return {
            "fold": self.number,
            "test_from": self.test_from.isoformat(),
            "test_to": self.test_to.isoformat(),
            "train": self.train,
            "test": self.test,
            "counted": self.counted,
            "default": self.default.to_json(),
            "current": self.current.to_json() if self.current else None,
            "fitted": self.fitted.to_json() if self.fitted else None,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class CrossValidation:
    """Every fold, and the pooled figures of the counted ones."""

    folds: tuple[Fold, ...]
    #: scored test reviews pooled over the counted folds
    test: int
    default: Metrics | None
    current: Metrics | None
    fitted: Metrics | None
    seconds: float

    @property
    def counted(self) -> tuple[Fold, ...]:
        """The folds that decide."""
        return tuple(f for f in self.folds if f.counted)

    @property
    def fit_wins(self) -> bool:
        """The module's rule: pooled, the fit beats every reference on both metrics."""
        if self.fitted is None or self.default is None:
            return False
        references = [self.default] + ([self.current] if self.current else [])
        return all(
            self.fitted.log_loss < r.log_loss and self.fitted.rmse_bins < r.rmse_bins
            for r in references
        )


def part_bounds(n: int, parts: int = PARTS) -> list[int]:
    """Indices where each of ``parts`` equal parts of ``n`` reviews begins, and ``n``."""
    return [n * i // parts for i in range(parts + 1)]


def scored_flags(events: Sequence[ReviewEvent]) -> list[bool]:
    """For time-sorted ``events``: whether each is scored (a day or more after the
    card's previous review)."""
    last: dict[str, datetime] = {}
    flags: list[bool] = []
    for card_id, _rating, at in events:
        prev = last.get(card_id)
        flags.append(prev is not None and (at - prev).days >= 1)
        last[card_id] = at
    return flags


def _test_predictions(
    events: Sequence[ReviewEvent], start: int, end: int, parameters: Sequence[float]
) -> list[Prediction]:
    """Predictions of ``parameters`` for ``events[start:end]``.

    Only the cards reviewed in that window are replayed (from their first review): the
    others cannot change its predictions.
    """
    cards = {e.card_id for e in events[start:end]}
    picked = [i for i in range(end) if events[i].card_id in cards]
    predictions = replay([events[i] for i in picked], parameters)
    return [p for i, p in zip(picked, predictions, strict=True) if i >= start]


def cross_validate(
    events: Sequence[ReviewEvent],
    fitter: Fitter,
    *,
    default: Sequence[float],
    current: Sequence[float] | None,
    min_train: int,
    on_fold: Callable[[int, int], None] | None = None,
) -> CrossValidation:
    """Run the folds over time-sorted ``events`` (see the module doc); ``on_fold`` is
    called with each fold's number and the number of folds as it starts."""
    started = time.perf_counter()
    bounds = part_bounds(len(events))
    flags = scored_flags(events)
    references = {"default": replay(events, default)}
    if current is not None:
        references["current"] = replay(events, current)
    folds: list[Fold] = []
    pools: dict[str, list[Prediction]] = {"default": [], "current": [], "fitted": []}
    for number in range(1, PARTS):
        start, end = bounds[number], bounds[number + 1]
        if start == end:
            continue
        if on_fold is not None:
            on_fold(number, PARTS - 1)
        fold_started = time.perf_counter()
        train, test = sum(flags[:start]), sum(flags[start:end])
        tested = {name: preds[start:end] for name, preds in references.items()}
        fitted: Metrics | None = None
        if train >= min_train and test >= MIN_FOLD_TEST:
            predictions = _test_predictions(events, start, end, fitter(events[:start]))
            fitted = metrics(predictions)
            pools["fitted"].extend(predictions)
            for name, preds in tested.items():
                pools[name].extend(preds)
        folds.append(
            Fold(
                number=number,
                test_from=events[start].reviewed_at,
                test_to=events[end - 1].reviewed_at,
                train=train,
                test=test,
                default=metrics(tested["default"]),
                current=metrics(tested["current"]) if "current" in tested else None,
                fitted=fitted,
                seconds=time.perf_counter() - fold_started,
            )
        )
    counted = bool(pools["fitted"])
    return CrossValidation(
        folds=tuple(folds),
        test=sum(f.test for f in folds if f.counted),
        default=metrics(pools["default"]) if counted else None,
        current=metrics(pools["current"]) if counted and current is not None else None,
        fitted=metrics(pools["fitted"]) if counted else None,
        seconds=time.perf_counter() - started,
    )
