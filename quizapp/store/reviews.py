"""The review log's writes: append a review under the card's row lock, undo, bury.

One review is one transaction: the card's scheduling state is read under a row lock
(``SELECT … FOR UPDATE``; on SQLite the write transaction is already ``BEGIN
IMMEDIATE``), the caller's scheduler decides the new state from it, and the card, the
review row and any row attached to the review are written before the commit. Two
writers reviewing the same card therefore never lose an update.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from quizapp.store.convert import card_view, review_view
from quizapp.store.db import Database
from quizapp.store.schema import Card, InterviewAnswer, Review
from quizapp.store.views import CardView, ReviewKind, ReviewView

#: the columns FSRS reads and writes
SCHEDULING_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review")
_TIMES = ("due", "last_review", "buried_until")


class CardNotFoundError(LookupError):
    """No active card has that id."""


@dataclass(frozen=True)
class SchedulingState:
    """A card's stored scheduling fields (``state`` 0 new, 1 learning, 2 review,
    3 relearning)."""

    card_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reviews: int
    lapses: int

    def fields(self) -> dict[str, Any]:
        """The :data:`SCHEDULING_FIELDS` as keyword arguments."""
        return {f: getattr(self, f) for f in SCHEDULING_FIELDS}


@dataclass(frozen=True)
class ReviewEntry:
    """What the review log keeps about one answer, besides the schedule."""

    rating: int
    reviewed_at: datetime
    duration_ms: int | None = None
    kind: ReviewKind = "study"
    #: whether the suggested rating was taken as is
    auto: bool = False
    answer: str | None = None
    params: dict[str, object] | None = None
    verdict: str | None = None


@dataclass(frozen=True)
class Decision:
    """What the scheduler decided for a card, given its :class:`SchedulingState`."""

    #: the new :data:`SCHEDULING_FIELDS`; None leaves the schedule as it was
    schedule: dict[str, Any] | None
    #: predicted recall before the review (None for a new card)
    retrievability: float | None = None
    #: whether the review counts as a lapse (a failed review of a learned card)
    lapse: bool = False


@dataclass(frozen=True)
class InterviewAnswerRow:
    """An interview answer, saved in the same transaction as its review."""

    interview_id: int
    position: int
    card_id: str
    prompt: str
    score: int
    seconds: float
    answer: str | None = None
    params: dict[str, object] | None = None
    verdict: str | None = None


def _state(card: Card) -> SchedulingState:
    return SchedulingState(
        card_id=card.id,
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reviews=card.reviews,
        lapses=card.lapses,
    )


def _locked(s: Session, card_id: str) -> Card | None:
    return s.scalars(select(Card).where(Card.id == card_id).with_for_update()).first()


def scheduling_state(db: Database, card_id: str) -> SchedulingState | None:
    """A card's scheduling fields (read only), or None when no card has that id."""
    with db.session(write=False) as s:
        card = s.get(Card, card_id)
        return None if card is None else _state(card)


def _snapshot(card: Card) -> dict[str, Any]:
    snap: dict[str, Any] = {f: getattr(card, f) for f in SCHEDULING_FIELDS}
    snap.update(reviews=card.reviews, lapses=card.lapses, buried_until=card.buried_until)
    for key, value in snap.items():
        if isinstance(value, datetime):
            snap[key] = value.isoformat()
    return snap


def _restore(card: Card, snap: dict[str, Any]) -> None:
    for key, value in snap.items():
        is_time = key in _TIMES and value is not None
        setattr(card, key, datetime.fromisoformat(value) if is_time else value)


def append_review(
    db: Database,
    card_id: str,
    entry: ReviewEntry,
    decide: Callable[[SchedulingState], Decision],
    *,
    attach: InterviewAnswerRow | None = None,
) -> ReviewView:
    """Record one review in one transaction and return its log row.

    ``decide`` gets the card's state read under a row lock and returns the new
    schedule (or None to log the review without rescheduling). The card's previous
    state is kept in the row, so :func:`undo_review` can restore it. ``attach`` is
    saved with the review (its ``review_id`` set): a crash keeps both rows or neither.
    Raises :class:`CardNotFoundError` for an unknown or retired card.
    """
    with db.session() as s:
        card = _locked(s, card_id)
        if card is None or card.retired:
            raise CardNotFoundError(card_id)
        was_new = card.state == 0
        state_before = card.state
        decision = decide(_state(card))
        rescheduled = decision.schedule is not None
        prev = _snapshot(card) if rescheduled else None
        if decision.schedule is not None:
            if decision.lapse:
                card.lapses += 1
            for key, value in decision.schedule.items():
                setattr(card, key, value)
            card.reviews += 1
            card.buried_until = None
        row = Review(
            card_id=card_id,
            rating=entry.rating,
            reviewed_at=entry.reviewed_at,
            duration_ms=entry.duration_ms,
            kind=entry.kind,
            auto=entry.auto,
            scheduled=rescheduled,
            introduced=rescheduled and was_new,
            answer=entry.answer,
            params=dict(entry.params) if entry.params is not None else None,
            verdict=entry.verdict,
            retrievability=decision.retrievability,
            prev=prev,
            prev_state=state_before,
        )
        s.add(row)
        s.flush()
        if attach is not None:
            s.add(
                InterviewAnswer(
                    interview_id=attach.interview_id,
                    position=attach.position,
                    card_id=attach.card_id,
                    prompt=attach.prompt,
                    answer=attach.answer,
                    params=attach.params,
                    verdict=attach.verdict,
                    score=attach.score,
                    seconds=attach.seconds,
                    review_id=row.id,
                )
            )
        return review_view(row)


UndoStatus = Literal["undone", "reviewed_since", "gone"]


@dataclass(frozen=True)
class UndoResult:
    """What undoing one review did.

    ``undone``: the review is deleted and ``card`` is as it was before it.
    ``reviewed_since``: the card was reviewed again after it (on another machine, or in
    another session); both reviews stay, ``card`` is the card as it is now.
    ``gone``: the review (or its card) no longer exists; nothing changed.
    """

    status: UndoStatus
    card: CardView | None = None


def undo_review(db: Database, review_id: int) -> UndoResult:
    """Undo review ``review_id`` -- one the caller recorded itself: the card's previous
    scheduling state comes back and the row is deleted, in one transaction.

    Only the card's newest scheduled review can be undone: restoring the state from
    before an older one would throw the later review away.
    """
    with db.session() as s:
        row = s.get(Review, review_id)
        if row is None:
            return UndoResult("gone")
        card = _locked(s, row.card_id)
        if card is None:
            return UndoResult("gone")
        newest = s.scalar(
            select(func.max(Review.id)).where(Review.card_id == card.id, Review.scheduled.is_(True))
        )
        if newest != review_id:
            return UndoResult("reviewed_since", card_view(card))
        if row.prev:
            _restore(card, row.prev)
        s.execute(delete(Review).where(Review.id == review_id))
        s.flush()
        return UndoResult("undone", card_view(card))


def bury_card(db: Database, card_id: str, until: datetime | None) -> datetime | None:
    """Hide a card from the queue until ``until`` (None: no longer hidden); returns
    when it was hidden until before, so an undo can put that back."""
    with db.session() as s:
        card = _locked(s, card_id)
        if card is None:
            raise CardNotFoundError(card_id)
        before = card.buried_until
        card.buried_until = until
        return before


def suspend_cards(db: Database, card_ids: Sequence[str], suspended: bool) -> list[CardView]:
    """Suspend (``suspended=True``) or unsuspend cards, in one transaction: a suspended
    card stays out of study, on every machine, until unsuspended. Raises
    :class:`CardNotFoundError` (nothing changed) when an id is unknown."""
    with db.session() as s:
        cards = []
        for card_id in card_ids:
            card = _locked(s, card_id)
            if card is None:
                raise CardNotFoundError(card_id)
            card.suspended = suspended
            cards.append(card)
        s.flush()
        return [card_view(card) for card in cards]
