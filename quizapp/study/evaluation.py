"""How well FSRS parameters predict a review history, scored with the app's own predictor.

The predictions are py-fsrs's: the same ``Scheduler`` that schedules the cards replays
each card's history, so the numbers describe what the app will actually predict.

- A review is *scored* when it is not the card's first review and comes at least one
  whole day (24 h) after the card's previous review: py-fsrs counts elapsed time in whole
  days, so it predicts recall 1.0 for a review within the day, and such same-day
  reviews carry no information about the forgetting curve.
- To predict a review, the card's memory state is replayed through its whole history
  before it (same-day reviews included: they move stability through FSRS-6's
  short-term parameters) with the parameters being evaluated; the prediction is
  py-fsrs's retrievability at the review's time.
- log loss = mean of ``-(y log p + (1 - y) log(1 - p))`` over the scored reviews, with
  y = 1 when the rating is Hard, Good or Easy (recalled) and 0 for Again.
- RMSE(bins) is the FSRS benchmark's: reviews are grouped by (elapsed days, position of
  the review in the card's history, number of earlier lapses), each on a logarithmic
  scale; the root of the count-weighted mean squared difference between mean predicted
  and observed recall per group.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

#: predictions are clipped this far from 0 and 1 before taking logarithms
LOG_EPSILON = 1e-7
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


@dataclass
class MemoryState:
    """A card's memory as a replay carries it: py-fsrs's stability and difficulty."""

    stability: float
    difficulty: float
    last_review: datetime


def remember(
    scheduler: Scheduler,
    memory: MemoryState | None,
    rating: Rating,
    at: datetime,
    retrievability: float | None,
) -> MemoryState:
    """The memory after a review: py-fsrs's own update, as ``Scheduler.review_card``
    makes it (the same in every card state, so the state, steps and interval are not
    needed). Calling the update alone skips the copy of the card and the scheduling of
    its next review, most of the time of a replay; a test holds the two to the same
    figures."""
    if memory is None:
        return MemoryState(
            scheduler._initial_stability(rating=rating),
            scheduler._initial_difficulty(rating=rating, clamp=True),
            at,
        )
    if (at - memory.last_review).days < 1:
        stability = scheduler._short_term_stability(stability=memory.stability, rating=rating)
    else:
        assert retrievability is not None
        stability = scheduler._next_stability(
            difficulty=memory.difficulty,
            stability=memory.stability,
            retrievability=retrievability,
            rating=rating,
        )
    difficulty = scheduler._next_difficulty(difficulty=memory.difficulty, rating=rating)
    return MemoryState(stability, difficulty, at)


def replay_cards(
    events: Sequence[ReviewEvent], scheduler: Scheduler
) -> tuple[list[Prediction], dict[str, MemoryState]]:
    """Replay time-sorted ``events`` through ``scheduler``: each review's prediction, and
    every card's memory after its last review."""
    cards: dict[str, MemoryState] = {}
    positions: dict[str, int] = defaultdict(int)
    lapses: dict[str, int] = defaultdict(int)
    out: list[Prediction] = []
    # one py-fsrs card, re-aimed at each memory, for py-fsrs's own forgetting curve
    probe = FsrsCard(card_id=0)
    for index, (card_id, rating, when) in enumerate(events):
        # py-fsrs insists on timezone.utc itself, not merely an offset of zero
        at = when.astimezone(UTC)
        memory = cards.get(card_id)
        positions[card_id] += 1
        if memory is None:
            elapsed: int | None = None
            predicted: float | None = None
        else:
            elapsed = (at - memory.last_review).days
            probe.stability, probe.last_review = memory.stability, memory.last_review
            predicted = float(scheduler.get_card_retrievability(probe, at))
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
        cards[card_id] = remember(scheduler, memory, Rating(rating), at, predicted)
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
