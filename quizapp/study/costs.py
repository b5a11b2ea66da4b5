"""What studying costs this user: seconds per review and how they rate, from their log.

The simulations (recommended retention, workload forecast) need how long a review
takes and how the user rates. Both are measured from the user's own scheduled reviews,
each review classed by the state its card was in:

- *learning*: the card's first review, and the same-day reviews after it until the
  card's first review a day or more later;
- *review*: a review a day or more after the card's previous one;
- *relearning*: a same-day review after a review that was rated Again.

Durations are clipped at :data:`MAX_SECONDS` (a review left open while the user was
away says nothing about the card). A cell of the cost table with fewer than
:data:`MIN_SAMPLES` timed reviews keeps fsrs-rs's default (the averages of Anki users);
so do the rating shares without enough reviews behind them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.store.history import TimedReview

LEARNING, REVIEW, RELEARNING = 0, 1, 2
#: longest duration counted, in seconds
MAX_SECONDS = 600.0
#: timed reviews a cost (or rating share) needs before it replaces the default
MIN_SAMPLES = 20

# fsrs-rs 0.9's simulator defaults (``default_simulator_config()``), restated so that
# measuring costs needs no native module
_DEFAULT_FIRST = (0.24, 0.094, 0.495, 0.171)
_DEFAULT_REVIEW = (0.224, 0.631, 0.145)
_DEFAULT_COSTS = (
    (19.58, 18.79, 13.78, 10.71),
    (19.38, 17.59, 12.38, 8.94),
    (16.44, 15.25, 12.32, 8.03),
)


@dataclass(frozen=True)
class StudyCosts:
    """Rating shares and seconds per review, by card state and rating."""

    #: shares of Again, Hard, Good, Easy at a card's first review
    first_rating: tuple[float, float, float, float] = _DEFAULT_FIRST
    #: shares of Hard, Good, Easy among recalled reviews
    review_rating: tuple[float, float, float] = _DEFAULT_REVIEW
    #: seconds of a review in state (learning, review, relearning) × rating (1–4)
    seconds: tuple[tuple[float, ...], ...] = _DEFAULT_COSTS
    #: timed reviews the figures were measured from
    measured: int = 0

    def to_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "first_rating": list(self.first_rating),
            "review_rating": list(self.review_rating),
            "seconds": {
                name: list(row)
                for name, row in zip(
                    ("learning", "review", "relearning"), self.seconds, strict=True
                )
            },
            "measured": self.measured,
        }


def costs_from_json(value: Any) -> StudyCosts | None:
    """The costs as :meth:`StudyCosts.to_json` wrote them (None when unreadable)."""
    try:
        first = tuple(float(x) for x in value["first_rating"])
        review = tuple(float(x) for x in value["review_rating"])
        seconds = tuple(
            tuple(float(x) for x in value["seconds"][name])
            for name in ("learning", "review", "relearning")
        )
        if len(first) != 4 or len(review) != 3 or any(len(row) != 4 for row in seconds):
            return None
        return StudyCosts(
            first_rating=(first[0], first[1], first[2], first[3]),
            review_rating=(review[0], review[1], review[2]),
            seconds=seconds,
            measured=int(value.get("measured", 0)),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _shares(counts: list[int], default: tuple[float, ...]) -> tuple[float, ...]:
    total = sum(counts)
    if total < MIN_SAMPLES:
        return default
    return tuple(c / total for c in counts)


def measure_costs(reviews: Iterable[TimedReview]) -> StudyCosts:
    """The costs of time-sorted ``reviews`` (see the module doc)."""
    last: dict[str, datetime] = {}
    lapsed: dict[str, bool] = {}
    first = [0, 0, 0, 0]
    recalled = [0, 0, 0]
    totals = [[0.0] * 4 for _ in range(3)]
    counts = [[0] * 4 for _ in range(3)]
    measured = 0
    for card_id, rating, at, duration_ms in reviews:
        prev = last.get(card_id)
        if prev is None:
            state = LEARNING
            first[rating - 1] += 1
        elif (at - prev).days >= 1:
            state = REVIEW
            lapsed[card_id] = rating == 1
            if rating > 1:
                recalled[rating - 2] += 1
        elif lapsed.get(card_id):
            state = RELEARNING
        else:
            state = LEARNING
        last[card_id] = at
        if duration_ms is not None and duration_ms > 0:
            totals[state][rating - 1] += min(duration_ms / 1000.0, MAX_SECONDS)
            counts[state][rating - 1] += 1
            measured += 1
    seconds = tuple(
        tuple(
            totals[s][r] / counts[s][r] if counts[s][r] >= MIN_SAMPLES else _DEFAULT_COSTS[s][r]
            for r in range(4)
        )
        for s in range(3)
    )
    first_share = _shares(first, _DEFAULT_FIRST)
    review_share = _shares(recalled, _DEFAULT_REVIEW)
    return StudyCosts(
        first_rating=(first_share[0], first_share[1], first_share[2], first_share[3]),
        review_rating=(review_share[0], review_share[1], review_share[2]),
        seconds=seconds,
        measured=measured,
    )
