"""The study service: the queue of cards, reviews, undo — what every interface calls.

Each review is one transaction (card state + review-log row), committed before the
caller moves on, so an acknowledged rating survives a crash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from fsrs import Rating
from sqlalchemy import and_, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from quizapp.store.convert import card_view, review_view
from quizapp.store.db import Database
from quizapp.store.schema import Card, Meta, Review
from quizapp.store.views import CardView, ReviewKind, ReviewView
from quizapp.study.scheduler import (
    SCHEDULING_FIELDS,
    StudySettings,
    from_fsrs,
    settings_from_meta,
    to_fsrs,
)

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3


# The queue's statements, built once; the clock is bound at each call.
_ACTIVE = and_(
    Card.retired.is_(False),
    or_(Card.buried_until.is_(None), Card.buried_until <= bindparam("now")),
)
# Plain rows (not ORM objects): a queue of thousands of cards loads several times faster.
_COLUMNS = tuple(Card.__table__.columns)
_LEARNING_DUE = (
    select(*_COLUMNS)
    .where(_ACTIVE, Card.state.in_((LEARNING, RELEARNING)), Card.due <= bindparam("now"))
    .order_by(Card.due)
)
_REVIEW_DUE = (
    select(*_COLUMNS)
    .where(_ACTIVE, Card.state == REVIEW, Card.due <= bindparam("now"))
    .order_by(Card.due)
)
_NEW_CARDS = select(*_COLUMNS).where(_ACTIVE, Card.state == NEW).order_by(Card.source, Card.ordinal)


class CardNotFoundError(LookupError):
    """No active card has that id."""


@dataclass(frozen=True)
class Counts:
    """Cards available to study now."""

    new: int
    learning: int
    due: int

    @property
    def total(self) -> int:
        """All cards waiting now."""
        return self.new + self.learning + self.due


@dataclass(frozen=True)
class TopicCounts:
    """Counts for one (deck, topic path) group of active cards."""

    deck: str
    topic: tuple[str, ...]
    new: int
    learning: int
    due: int
    total: int


def day_start(now: datetime) -> datetime:
    """Start of the user's local day containing ``now``, in UTC."""
    local = now.astimezone()
    start = datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)
    return start.astimezone(UTC)


def matches_topic(topic: str, deck: str, path: Collection[str]) -> bool:
    """Whether a card of ``deck`` under heading ``path`` belongs to the ``topic`` filter.

    Matching ignores case: the filter matches the deck name or any ancestor heading it
    equals or begins ("rnn" matches the heading "RNN 基础 · Basics"); a filter written
    as a breadcrumb (``deck › topic``) matches any part of the card's breadcrumb.
    """
    want = topic.casefold().strip()
    if not want:
        return True
    parts = [p.casefold() for p in (deck, *path)]
    if "›" in want:
        return want in " › ".join(parts)
    return any(p == want or p.startswith(want) for p in parts)


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

    # -- queue --------------------------------------------------------------------

    def _active(self, now: datetime) -> Any:
        return and_(
            Card.retired.is_(False), or_(Card.buried_until.is_(None), Card.buried_until <= now)
        )

    def new_left_today(self, s: Session, now: datetime) -> int:
        """How many new cards may still be introduced today."""
        introduced = s.scalar(
            select(func.count())
            .select_from(Review)
            .where(Review.introduced.is_(True), Review.reviewed_at >= day_start(now))
        )
        return max(0, self.settings.new_per_day - int(introduced or 0))

    def queue(self, limit: int | None = None, topic: str | None = None) -> list[CardView]:
        """Cards to study now, in order: learning due, reviews due, then new cards.

        New cards are capped by the new-cards-per-day setting. When nothing else is
        left, learning cards due within the learn-ahead window are included.
        """
        now = self.now()
        out: list[CardView] = []
        with self.db.session(write=False) as s:
            caps = (
                (_LEARNING_DUE, None),
                (_REVIEW_DUE, None),
                (_NEW_CARDS, self.new_left_today(s, now)),
            )
            for stmt, cap in caps:
                if cap == 0:
                    continue
                taken = 0
                if topic is None:
                    # Without a topic filter, SQL can stop at the rows actually wanted.
                    wanted = [n for n in (cap, limit and limit - len(out)) if n]
                    if wanted:
                        stmt = stmt.limit(min(wanted))  # noqa: PLW2901
                for card in s.execute(stmt, {"now": now}):
                    if topic and not matches_topic(topic, card.deck, card.topic):
                        continue
                    out.append(card_view(card))
                    taken += 1
                    if (cap is not None and taken >= cap) or (limit and len(out) >= limit):
                        break
                if limit and len(out) >= limit:
                    return out
            if not out:
                ahead = (
                    select(*_COLUMNS)
                    .where(
                        self._active(now),
                        Card.state.in_((LEARNING, RELEARNING)),
                        Card.due <= now + self.settings.learn_ahead,
                    )
                    .order_by(Card.due)
                )
                for card in s.execute(ahead):
                    if not topic or matches_topic(topic, card.deck, card.topic):
                        out.append(card_view(card))
        return out[:limit] if limit else out

    def next_card(self, topic: str | None = None, exclude: Collection[str] = ()) -> CardView | None:
        """The next card to study, or None when the session is done."""
        now = self.now()
        bind = {"now": now}
        with self.db.session(write=False) as s:
            for stmt in (_LEARNING_DUE, _REVIEW_DUE, _NEW_CARDS):
                if stmt is _NEW_CARDS and self.new_left_today(s, now) == 0:
                    break
                if exclude:
                    stmt = stmt.where(Card.id.not_in(list(exclude)))  # noqa: PLW2901
                if topic is None:
                    card = s.execute(stmt.limit(1), bind).first()
                    if card is not None:
                        return card_view(card)
                    continue
                for card in s.execute(stmt, bind):
                    if matches_topic(topic, card.deck, card.topic):
                        return card_view(card)
        ahead = [c for c in self.queue(topic=topic) if c.id not in exclude]
        return ahead[0] if ahead else None

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
            # Under a row lock: another writer (another machine on a shared database)
            # rating the same card waits, then starts from the state this one leaves.
            card = s.get(Card, card_id, with_for_update=True)
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
                row = s.get(Review, self._undo.pop(), with_for_update=True)
            if row is None:
                row = s.scalars(
                    select(Review)
                    .where(Review.scheduled.is_(True), Review.kind == "study")
                    .order_by(Review.id.desc())
                    .limit(1)
                    .with_for_update()
                ).first()
            if row is None:
                return None
            card = s.get(Card, row.card_id, with_for_update=True)
            if card is None:
                return None
            newest = s.scalar(
                select(func.max(Review.id)).where(
                    Review.card_id == card.id, Review.scheduled.is_(True)
                )
            )
            if newest != row.id:
                # Another writer reviewed the card since: restoring the state before
                # this review would throw that later review away.
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
            card = s.get(Card, card_id, with_for_update=True)
            if card is None:
                raise CardNotFoundError(card_id)
            card.buried_until = day_start(now) + timedelta(days=1)

    # -- counts -------------------------------------------------------------------

    def counts(self, topic: str | None = None) -> Counts:
        """New (within today's limit), learning and review cards available now."""
        now = self.now()
        with self.db.session(write=False) as s:
            new_left = self.new_left_today(s, now)
            active = self._active(now)
            if topic is None:
                rows = s.execute(
                    select(Card.state, func.count())
                    .where(active, or_(Card.state == NEW, Card.due <= now))
                    .group_by(Card.state)
                ).all()
                by_state: dict[int, int] = {int(st): int(n) for st, n in rows}
            else:
                by_state = defaultdict(int)
                for st, deck, path, due in s.execute(
                    select(Card.state, Card.deck, Card.topic, Card.due).where(active)
                ):
                    if (st == NEW or due <= now) and matches_topic(topic, deck, path):
                        by_state[int(st)] += 1
        return Counts(
            new=min(new_left, by_state.get(NEW, 0)),
            learning=by_state.get(LEARNING, 0) + by_state.get(RELEARNING, 0),
            due=by_state.get(REVIEW, 0),
        )

    def topic_tree(self) -> list[TopicCounts]:
        """Per (deck, topic path) counts of active cards, sorted by deck then path."""
        now = self.now()
        groups: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        with self.db.session(write=False) as s:
            for deck, path, st, due in s.execute(
                select(Card.deck, Card.topic, Card.state, Card.due).where(self._active(now))
            ):
                g = groups[(deck, tuple(path))]
                g[3] += 1
                if st == NEW:
                    g[0] += 1
                elif due <= now:
                    g[1 if st != REVIEW else 2] += 1
        return [
            TopicCounts(deck, path, new, learning, due, total)
            for (deck, path), (new, learning, due, total) in sorted(groups.items())
        ]

    def reviewed_today(self) -> int:
        """Study reviews made since the start of the local day."""
        now = self.now()
        with self.db.session(write=False) as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(Review)
                    .where(Review.kind == "study", Review.reviewed_at >= day_start(now))
                )
                or 0
            )
