"""What the parameters in use earned, and whether it is time to fit them again.

Every ``optimize`` that judges a fit records its figures in the collection (see
:mod:`quizapp.study.optimize`); this module reads that record for ``stats`` and for
the home screen.

When to fit again: after about a month's worth of new reviews, as Anki suggests. A
month's worth is the user's own pace before the last fit (scheduled reviews per 30 days
over the span of the history it saw), and at least :data:`MIN_NEW_REVIEWS`. A
collection never fitted is worth fitting once its history holds
:data:`FIRST_FIT_REVIEWS` scheduled reviews (about what cross-validation needs for a
fold to count). The home screen says it once per fit: the note of when it was said is
kept with the collection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from quizapp.store.db import Database
from quizapp.store.history import read_meta, scheduled_reviews, store_meta
from quizapp.study.costs import StudyCosts, costs_from_json
from quizapp.study.evaluation import Metrics

#: meta-table key of the last optimization's figures (written by ``optimize``)
LAST_OPTIMIZE_KEY = "fsrs.last_optimize"
#: meta-table key of the fit the home screen last said could be redone
REFIT_SAID_KEY = "fsrs.refit_said"
#: new reviews that are always enough to fit again
MIN_NEW_REVIEWS = 400
#: scheduled reviews that make a first fit worth trying
FIRST_FIT_REVIEWS = 2000
MONTH = timedelta(days=30)


def _metrics(value: Any) -> Metrics | None:
    if not isinstance(value, Mapping):
        return None
    try:
        return Metrics(float(value["log_loss"]), float(value["rmse_bins"]), 0)
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Fitness:
    """The last optimization's verdict, as ``stats`` shows it."""

    at: datetime
    reviews: int
    kept: bool
    #: counted folds and their pooled scored reviews
    folds: int
    test: int
    #: pooled figures of the parameters that schedule now, and of what they beat
    earned: Metrics | None
    default: Metrics | None
    #: the figures of the other candidate (the fit when it was not kept, else the
    #: parameters in use before it, when they were not the defaults)
    other: Metrics | None
    recommended_retention: float | None
    refused: str | None
    #: the study costs measured for the recommendation (None: not recorded)
    costs: StudyCosts | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``stats --json``)."""
        return {
            "optimized_at": self.at.isoformat(),
            "reviews": self.reviews,
            "fit_kept": self.kept,
            "folds": self.folds,
            "test": self.test,
            "earned": self.earned.to_json() if self.earned else None,
            "default": self.default.to_json() if self.default else None,
            "other": self.other.to_json() if self.other else None,
            "recommended_retention": self.recommended_retention,
            "refused": self.refused,
        }


def fitness_from_record(record: Any) -> Fitness | None:
    """The figures of an optimize record (None for no record or an unreadable one)."""
    if not isinstance(record, Mapping):
        return None
    try:
        at = datetime.fromisoformat(str(record["at"]))
        kept = bool(record["kept"])
        folds: Sequence[Any] = record.get("folds") or []
        retention = record.get("retention")
        recommended = (
            float(retention["desired_retention"]) if isinstance(retention, Mapping) else None
        )
        costs = costs_from_json(retention.get("costs")) if isinstance(retention, Mapping) else None
        default, current, fitted = (
            _metrics(record.get(k)) for k in ("default", "current", "fitted")
        )
        return Fitness(
            at=at,
            reviews=int(record.get("reviews") or 0),
            kept=kept,
            folds=sum(1 for f in folds if isinstance(f, Mapping) and f.get("counted")),
            test=int(record.get("test") or 0),
            earned=fitted if kept else (current or default),
            default=default,
            other=current if kept else fitted,
            recommended_retention=recommended,
            refused=record.get("refused") if isinstance(record.get("refused"), str) else None,
            costs=costs,
        )
    except (KeyError, TypeError, ValueError):
        return None


def read_fitness(db: Database) -> Fitness | None:
    """The last optimization's figures in ``db``, if any."""
    return fitness_from_record(read_meta(db, LAST_OPTIMIZE_KEY))


@dataclass(frozen=True)
class RefitHint:
    """Enough new reviews to fit the scheduler again."""

    new_reviews: int
    #: when the parameters were last fitted (None: never)
    last_fit: datetime | None


def refit_due(times: Sequence[datetime], fitness: Fitness | None) -> RefitHint | None:
    """Whether the time-sorted scheduled review ``times`` call for a new fit."""
    if fitness is None:
        return RefitHint(len(times), None) if len(times) >= FIRST_FIT_REVIEWS else None
    before = [t for t in times if t <= fitness.at]
    new = len(times) - len(before)
    span = (before[-1] - before[0]) if len(before) > 1 else MONTH
    pace = len(before) * (MONTH / max(span, MONTH))
    return RefitHint(new, fitness.at) if new >= max(MIN_NEW_REVIEWS, pace) else None


def refit_hint_once(db: Database) -> RefitHint | None:
    """The hint, the first time it is due since the last fit; notes that it was given."""
    fitness = read_fitness(db)
    said_for = read_meta(db, REFIT_SAID_KEY)
    this_fit = fitness.at.isoformat() if fitness else None
    if isinstance(said_for, Mapping) and said_for.get("fit") == this_fit:
        return None
    hint = refit_due([r.reviewed_at for r in scheduled_reviews(db)], fitness)
    if hint is not None:
        store_meta(db, {REFIT_SAID_KEY: {"fit": this_fit}})
    return hint
