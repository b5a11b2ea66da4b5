"""The review history as statistics and the optimizer read it, and the one write the
optimizer makes: new scheduler parameters with every card's memory state recomputed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select, text, update

from quizapp.store.db import Database
from quizapp.store.schema import Card, Meta, Review


class LoggedReview(NamedTuple):
    """One row of the review log, as statistics read it."""

    card_id: str
    rating: int
    reviewed_at: datetime
    #: recall the scheduler predicted just before the review (None for a first review)
    predicted: float | None


class ScheduledReview(NamedTuple):
    """A review that moved its card's schedule: what the memory model learns from."""

    card_id: str
    rating: int
    reviewed_at: datetime


class TimedReview(NamedTuple):
    """A scheduled review with the time it took (what study costs are measured from)."""

    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None


#: a card's recomputed memory state: (stability, difficulty) by card id
MemoryStates = Mapping[str, tuple[float | None, float | None]]

_LOG = select(Review.card_id, Review.rating, Review.reviewed_at, Review.retrievability).order_by(
    Review.reviewed_at, Review.id
)
_SCHEDULED = (
    select(Review.card_id, Review.rating, Review.reviewed_at)
    .where(Review.scheduled.is_(True))
    .order_by(Review.reviewed_at, Review.id)
)


def review_log(db: Database) -> list[LoggedReview]:
    """The whole review log, oldest first, with the scheduler's predictions."""
    with db.session(write=False) as s:
        return [LoggedReview(*row) for row in s.execute(_LOG)]


def scheduled_reviews(db: Database) -> list[ScheduledReview]:
    """Every review that moved a card's schedule, oldest first.

    Interview answers logged without rescheduling are left out: the scheduler never saw
    them, so the memory model must not either.
    """
    with db.session(write=False) as s:
        return [ScheduledReview(*row) for row in s.execute(_SCHEDULED)]


def timed_reviews(db: Database) -> list[TimedReview]:
    """Every review that moved a card's schedule, with its duration, oldest first."""
    stmt = (
        select(Review.card_id, Review.rating, Review.reviewed_at, Review.duration_ms)
        .where(Review.scheduled.is_(True))
        .order_by(Review.reviewed_at, Review.id)
    )
    with db.session(write=False) as s:
        return [TimedReview(*row) for row in s.execute(stmt)]


def active_card_count(db: Database) -> int:
    """Cards of the collection that are not retired."""
    stmt = select(func.count()).select_from(Card).where(Card.retired.is_(False))
    with db.session(write=False) as s:
        return int(s.scalar(stmt) or 0)


def store_parameters(
    db: Database,
    meta: Mapping[str, Any],
    recompute: Callable[[Sequence[ScheduledReview]], MemoryStates],
) -> int:
    """In one transaction: read the scheduled history, let ``recompute`` turn it into
    memory states, write them to the cards and ``meta`` (the parameters) to settings.

    No review is made meanwhile (on PostgreSQL the cards table is locked against
    writers, on SQLite the write lock is held), so none is missed by the replay or
    overwritten by it. Returns the number of cards updated.
    """
    with db.session() as s:
        if not db.is_sqlite:
            s.execute(text("LOCK TABLE cards IN EXCLUSIVE MODE"))
        events = [ScheduledReview(*row) for row in s.execute(_SCHEDULED)]
        states = recompute(events)
        for key, value in meta.items():
            s.merge(Meta(key=key, value=value))
        if states:
            s.execute(
                update(Card),
                [
                    {"id": card_id, "stability": stability, "difficulty": difficulty}
                    for card_id, (stability, difficulty) in states.items()
                ],
            )
    return len(states)


def store_meta(db: Database, values: Mapping[str, Any]) -> None:
    """Write ``values`` (JSON) under their keys of the ``meta`` table, in one transaction."""
    with db.session() as s:
        for key, value in values.items():
            s.merge(Meta(key=key, value=value))


def read_meta(db: Database, key: str) -> Any:
    """The JSON value stored under ``key`` in the ``meta`` table, or None."""
    with db.session(write=False) as s:
        return s.scalar(select(Meta.value).where(Meta.key == key))
