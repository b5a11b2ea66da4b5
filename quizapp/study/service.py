"""The study service: the queue of cards, reviews, undo — what every interface calls.

Each review is one transaction (card state + review-log row), committed before the
caller moves on, so an acknowledged rating survives a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Rating
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quizapp.store import queue as q
from quizapp.store.convert import card_view, review_view
from quizapp.store.db import Database
from quizapp.store.queue import day_start, matches_topic
from quizapp.store.schema import Card, Meta, Review
from quizapp.store.sqlfetch import session_fetch
from quizapp.store.views import CardView, Counts, ReviewKind, ReviewView, TopicCounts
from quizapp.study.scheduler import (
    SCHEDULING_FIELDS,
    StudySettings,
    from_fsrs,
    settings_from_meta,
    to_fsrs,
)

NEW, LEARNING, REVIEW, RELEARNING = q.NEW, q.LEARNING, q.REVIEW, q.RELEARNING

__all__ = [
    "CardNotFoundError",
    "Counts",
    "StudyService",
    "TopicCounts",
    "day_start",
    "matches_topic",
]


class CardNotFoundError(LookupError):
    """No active card has that id."""


def _snapshot(card: Card) -> dict[str, Any]:
    snap: dict[str, Any] = {f: getattr(card, f) for f in SCHEDULING_FIELDS}
    snap.update(reviews=card.reviews, lapses=card.lapses, buried_until=card.buried_until)
    for key, value in snap.items():
        if isinstance(value, datetime):
            snap[key] = value.isoformat()
    return snap


def _restore(card: Card, snap: dict[str, Any]) -> None:
    for key, value in snap.items():
        is_time = key in ("due", "last_review", "buried_until") and value is not None
        setattr(card, key, datetime.fromisoformat(value) if is_time else value)


class StudyService:
    """Queue, review and undo on one database."""

    def __init__(
        self,
        db: Database,
        *,
        now: Callable[[], datetime] | None = None,
        settings: StudySettings | None = None,
    ) -> None:
        self.db = db
        self._clock = now or (lambda: datetime.now(UTC))
        self._settings = settings
        self._undo: list[int] = []

    # -- settings ---------------------------------------------------------------

    def now(self) -> datetime:
        """The service's clock (aware UTC)."""
        return self._clock().astimezone(UTC)

    @property
    def settings(self) -> StudySettings:
        """Scheduling settings: given, else read once from the ``meta`` table."""
        if self._settings is None:
            with self.db.session(write=False) as s:
                values = {m.key: m.value for m in s.scalars(select(Meta))}
            self._settings = settings_from_meta(values)
        return self._settings

    def reload_settings(self) -> None:
        """Read settings again (after ``optimize`` stored new parameters)."""
        self._settings = None

    # -- queue (the queue's SQL and rules live in quizapp.store.queue) ----------

    def new_left_today(self, s: Session, now: datetime) -> int:
        """How many new cards may still be introduced today."""
        return q.new_left(session_fetch(s), now, self.settings.new_per_day)

    def queue(self, limit: int | None = None, topic: str | None = None) -> list[CardView]:
        """Cards to study now, in order: learning due, reviews due, then new cards.

        New cards are capped by the new-cards-per-day setting. When nothing else is
        left, learning cards due within the learn-ahead window are included.
        """
        settings = self.settings
        with self.db.session(write=False) as s:
            return q.queue(
                session_fetch(s),
                self.now(),
                per_day=settings.new_per_day,
                learn_ahead=settings.learn_ahead,
                limit=limit,
                topic=topic,
            )

    def next_card(self, topic: str | None = None, exclude: Collection[str] = ()) -> CardView | None:
        """The next card to study, or None when the session is done."""
        settings = self.settings
        with self.db.session(write=False) as s:
            return q.next_card(
                session_fetch(s),
                self.now(),
                per_day=settings.new_per_day,
                learn_ahead=settings.learn_ahead,
                topic=topic,
                exclude=exclude,
            )

    # -- reviewing ----------------------------------------------------------------

    def card(self, card_id: str) -> CardView | None:
        """One card (active or retired) by id."""
        with self.db.session(write=False) as s:
            c = s.get(Card, card_id)
            return None if c is None else card_view(c)

    def preview(self, card_id: str) -> dict[int, timedelta]:
        """For each rating 1–4, the interval the card would get if rated so now."""
        now = self.now()
        with self.db.session(write=False) as s:
            c = s.get(Card, card_id)
            if c is None:
                raise CardNotFoundError(card_id)
            fields = {f: getattr(c, f) for f in SCHEDULING_FIELDS}
        fields["state"] = fields["state"] or LEARNING
        sched = self.settings.scheduler(fuzz=False)
        out: dict[int, timedelta] = {}
        for rating in Rating:
            after, _ = sched.review_card(to_fsrs(**fields), rating, now)
            out[int(rating)] = after.due - now
        return out

    def retrievability(self, card: CardView, at: datetime | None = None) -> float:
        """Predicted probability of recalling ``card`` at ``at`` (default now); 0 if new."""
        if card.state == "new" or card.last_review is None or card.due is None:
            return 0.0
        fc = to_fsrs(
            state={"learning": 1, "review": 2, "relearning": 3}[card.state],
            step=None,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )
        return float(self.settings.scheduler().get_card_retrievability(fc, at or self.now()))

    def review(
        self,
        card_id: str,
        rating: int,
        *,
        duration_ms: int | None = None,
        answer: str | None = None,
        params: dict[str, object] | None = None,
        verdict: str | None = None,
        auto: bool = False,
        kind: ReviewKind = "study",
        reschedule: bool = True,
        attach: Callable[[Session, int], None] | None = None,
    ) -> ReviewView:
        """Record a review in one transaction and return the log row.

        With ``reschedule=False`` (interview answers by default) the review is logged
        but the card's schedule is left as it was. ``attach(session, review_id)`` runs
        inside the same transaction, for rows that must be saved with the review.
        """
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, not {rating!r}")
        now = self.now()
        sched = self.settings.scheduler()
        with self.db.session() as s:
            card = s.get(Card, card_id)
            if card is None or card.retired:
                raise CardNotFoundError(card_id)
            fields = {f: getattr(card, f) for f in SCHEDULING_FIELDS}
            was_new = card.state == NEW
            fields["state"] = fields["state"] or LEARNING
            fc = to_fsrs(**fields)
            recall = None if was_new else float(sched.get_card_retrievability(fc, now))
            prev = _snapshot(card)
            if reschedule:
                after, _ = sched.review_card(fc, Rating(rating), now, duration_ms)
                if rating == 1 and card.state == REVIEW:
                    card.lapses += 1
                for key, value in from_fsrs(after).items():
                    setattr(card, key, value)
                card.reviews += 1
                card.buried_until = None
            row = Review(
                card_id=card_id,
                rating=rating,
                reviewed_at=now,
                duration_ms=duration_ms,
                kind=kind,
                auto=auto,
                scheduled=reschedule,
                introduced=reschedule and was_new,
                answer=answer,
                params=dict(params) if params is not None else None,
                verdict=verdict,
                retrievability=recall,
                prev=prev if reschedule else None,
            )
            s.add(row)
            s.flush()
            if attach is not None:
                attach(s, row.id)
            view = review_view(row)
        if reschedule:
            self._undo.append(view.id)
        return view

    def undo_last(self) -> CardView | None:
        """Undo the last scheduled review made through this service (else the newest
        scheduled study review in the database); returns the card as it is again."""
        with self.db.session() as s:
            row: Review | None = None
            while self._undo and row is None:
                row = s.get(Review, self._undo.pop())
            if row is None:
                row = s.scalars(
                    select(Review)
                    .where(Review.scheduled.is_(True), Review.kind == "study")
                    .order_by(Review.id.desc())
                    .limit(1)
                ).first()
            if row is None:
                return None
            card = s.get(Card, row.card_id)
            if card is None:
                return None
            if row.prev:
                _restore(card, row.prev)
            s.execute(delete(Review).where(Review.id == row.id))
            s.flush()
            return card_view(card)

    def bury(self, card_id: str) -> None:
        """Hide a card until tomorrow (skip it for today)."""
        now = self.now()
        with self.db.session() as s:
            card = s.get(Card, card_id)
            if card is None:
                raise CardNotFoundError(card_id)
            card.buried_until = day_start(now) + timedelta(days=1)

    # -- counts -------------------------------------------------------------------

    def counts(self, topic: str | None = None) -> Counts:
        """New (within today's limit), learning and review cards available now."""
        per_day = self.settings.new_per_day
        with self.db.session(write=False) as s:
            return q.counts(session_fetch(s), self.now(), per_day=per_day, topic=topic)

    def topic_tree(self) -> list[TopicCounts]:
        """Per (deck, topic path) counts of active cards, sorted by deck then path."""
        with self.db.session(write=False) as s:
            return q.topic_tree(session_fetch(s), self.now())

    def reviewed_today(self) -> int:
        """Study reviews made since the start of the local day."""
        with self.db.session(write=False) as s:
            return q.studied_since(session_fetch(s), day_start(self.now()))
