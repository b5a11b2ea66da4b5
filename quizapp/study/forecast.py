"""The workload of the next days: how many reviews, new cards and minutes, simulated.

The due forecast of the stats only counts the cards already due on each day; a card
reviewed tomorrow may well come back within the month, and one forgotten comes back
sooner. This simulation plays the next :data:`FORECAST_DAYS` days of study on the
collection as it stands, with the app's own scheduler (py-fsrs, the parameters in use,
the user's steps, limits and maximum interval, no fuzz) at a given desired retention:

- Each day, the studied cards due by its end are reviewed (overdue ones on the first
  day), up to the daily review limit (the rest wait for the next day, as in a session).
  Whether a card is recalled is drawn from its predicted recall at that moment; a
  recalled card gets Hard, Good or Easy in the user's own shares, a forgotten one Again
  and its relearning steps (each rated Good) within the day.
- Then up to the new-cards limit of unstudied cards are introduced: a first rating in
  the user's own shares, the learning steps rated Good.
- Minutes add up the seconds per review the user's log shows
  (:mod:`quizapp.study.costs`) for every review, steps included.

The draws are seeded, so one collection always gives the same forecast; a small
collection is simulated several times over and averaged (about
:data:`SIMULATED_CARDS` cards in all), so that a chance draw does not make a day.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quizapp.store.views import CardView
from quizapp.study.costs import LEARNING, RELEARNING, REVIEW, StudyCosts
from quizapp.study.scheduler import StudySettings, to_fsrs

FORECAST_DAYS = 30
#: cards simulated in all (a small collection is run several times and averaged)
SIMULATED_CARDS = 4000
#: the most runs averaged
MAX_RUNS = 8


@dataclass(frozen=True)
class WorkloadDay:
    """One simulated day (averages over the runs)."""

    day: date
    reviews: float
    new: float
    minutes: float


@dataclass(frozen=True)
class Workload:
    """The simulated days at one desired retention."""

    desired_retention: float
    days: tuple[WorkloadDay, ...]
    runs: int

    @property
    def reviews(self) -> float:
        """Reviews over the whole span."""
        return sum(d.reviews for d in self.days)

    @property
    def minutes(self) -> float:
        """Minutes over the whole span."""
        return sum(d.minutes for d in self.days)

    def to_json(self) -> dict[str, Any]:
        """The JSON form (``stats --json``)."""
        return {
            "desired_retention": self.desired_retention,
            "runs": self.runs,
            "reviews": round(self.reviews, 1),
            "minutes": round(self.minutes, 1),
            "counts": [
                {
                    "date": d.day.isoformat(),
                    "reviews": round(d.reviews, 2),
                    "new": round(d.new, 2),
                    "minutes": round(d.minutes, 2),
                }
                for d in self.days
            ],
        }


def _studied(card: CardView, now: datetime) -> FsrsCard | None:
    """The py-fsrs card to simulate, or None for a card never studied."""
    if (
        card.state == "new"
        or card.stability is None
        or card.difficulty is None
        or card.last_review is None
    ):
        return None
    # A card in its (re)learning steps is taken as due for review at its due time:
    # the row keeps no step, and the memory state is what the forecast needs.
    return to_fsrs(
        state=int(State.Review),
        step=None,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due or now,
        last_review=card.last_review,
    )


class _Run:
    """One simulated run over the days."""

    def __init__(
        self, scheduler: Scheduler, costs: StudyCosts, settings: StudySettings, seed: int
    ) -> None:
        self.scheduler = scheduler
        self.costs = costs
        self.settings = settings
        self.rng = random.Random(seed)

    def _steps(self, card: FsrsCard, state: int, day_end: datetime) -> tuple[FsrsCard, float]:
        """Rate ``card``'s remaining steps of the day Good; their seconds."""
        seconds = 0.0
        while card.state in (State.Learning, State.Relearning) and card.due < day_end:
            card, _ = self.scheduler.review_card(card, Rating.Good, card.due)
            seconds += self.costs.seconds[state][2]
        return card, seconds

    def review(self, card: FsrsCard, at: datetime, day_end: datetime) -> tuple[FsrsCard, float]:
        """A due review and its relearning steps; the card after them, the seconds."""
        recalled = self.rng.random() < self.scheduler.get_card_retrievability(card, at)
        rating = self.rng.choices((2, 3, 4), self.costs.review_rating)[0] if recalled else 1
        card, _ = self.scheduler.review_card(card, Rating(rating), at)
        card, steps = self._steps(card, RELEARNING, day_end)
        return card, self.costs.seconds[REVIEW][rating - 1] + steps

    def learn(self, at: datetime, day_end: datetime) -> tuple[FsrsCard, float]:
        """A new card's first review and learning steps."""
        rating = self.rng.choices((1, 2, 3, 4), self.costs.first_rating)[0]
        card, _ = self.scheduler.review_card(FsrsCard(card_id=0, due=at), Rating(rating), at)
        card, steps = self._steps(card, LEARNING, day_end)
        return card, self.costs.seconds[LEARNING][rating - 1] + steps

    def days(
        self, studied: Sequence[FsrsCard], new: int, start: datetime, days: int
    ) -> list[tuple[int, int, float]]:
        """(reviews, new cards, seconds) of each day from ``start`` (a day's start)."""
        horizon = start + timedelta(days=days)
        queue = [(c.due, i, c) for i, c in enumerate(studied) if c.due < horizon]
        heapq.heapify(queue)
        serial = len(studied)
        out: list[tuple[int, int, float]] = []
        for d in range(days):
            day_start = start + timedelta(days=d)
            day_end = day_start + timedelta(days=1)
            at = day_start + timedelta(hours=1)
            reviews, seconds = 0, 0.0
            learned: list[FsrsCard] = []
            while queue and queue[0][0] < day_end and reviews < self.settings.reviews_per_day:
                _, _, card = heapq.heappop(queue)
                card, cost = self.review(card, max(at, card.due), day_end)
                reviews += 1
                seconds += cost
                learned.append(card)
            introduced = min(self.settings.new_per_day, new)
            new -= introduced
            for _ in range(introduced):
                card, cost = self.learn(at, day_end)
                seconds += cost
                learned.append(card)
            for card in learned:
                # the day's left-overs and tomorrow's reviews alike wait for the next day
                due = max(card.due, day_end)
                if due < horizon:
                    serial += 1
                    heapq.heappush(queue, (due, serial, card))
            out.append((reviews, introduced, seconds))
        return out


def forecast_workload(
    cards: Sequence[CardView],
    settings: StudySettings,
    costs: StudyCosts,
    *,
    retention: float,
    start: datetime,
    days: int = FORECAST_DAYS,
    seed: int = 0,
    tz: tzinfo | None = None,
) -> Workload:
    """Simulate ``days`` days from ``start`` (the start of today, UTC) at ``retention``;
    the days are named by their dates in ``tz`` (None: the system's zone)."""
    active = [c for c in cards if not c.retired]
    studied = [s for s in (_studied(c, start) for c in active) if s is not None]
    new = len(active) - len(studied)
    scheduler = Scheduler(
        parameters=settings.parameters,
        desired_retention=retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=False,
    )
    runs = max(1, min(MAX_RUNS, SIMULATED_CARDS // max(1, len(active))))
    totals = [[0.0, 0.0, 0.0] for _ in range(days)]
    for run in range(runs):
        simulated = _Run(scheduler, costs, settings, seed + run).days(studied, new, start, days)
        for acc, (reviews, introduced, seconds) in zip(totals, simulated, strict=True):
            acc[0] += reviews
            acc[1] += introduced
            acc[2] += seconds
    first = start.astimezone(tz).date()
    return Workload(
        desired_retention=retention,
        days=tuple(
            WorkloadDay(first + timedelta(days=i), r / runs, n / runs, s / 60 / runs)
            for i, (r, n, s) in enumerate(totals)
        ),
        runs=runs,
    )
