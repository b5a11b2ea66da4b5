"""The study queue's reads: cards due now, counts by state, settings and day totals.

The study service decides what the queue means (new-card caps, topic filters, the
learn-ahead window); this module only runs the statements. A topic filter is given as
a predicate on a card's deck and heading path, applied to the rows as they stream in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select

from quizapp.store.convert import card_view
from quizapp.store.db import Database
from quizapp.store.schema import Card, Meta, Review
from quizapp.store.views import CardView

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3

#: a topic filter: does a card of this deck under this heading path belong to it?
TopicFilter = Callable[[str, Sequence[str]], bool]

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
_LEARNING_AHEAD = (
    select(*_COLUMNS)
    .where(_ACTIVE, Card.state.in_((LEARNING, RELEARNING)), Card.due <= bindparam("ahead"))
    .order_by(Card.due)
)


def settings_values(db: Database) -> dict[str, Any]:
    """Every key of the ``meta`` table with its value."""
    with db.session(write=False) as s:
        return {m.key: m.value for m in s.scalars(select(Meta))}


def introduced_since(db: Database, since: datetime) -> int:
    """New cards seen for the first time (in a rescheduling review) since ``since``."""
    with db.session(write=False) as s:
        n = s.scalar(
            select(func.count())
            .select_from(Review)
            .where(Review.introduced.is_(True), Review.reviewed_at >= since)
        )
    return int(n or 0)


def study_reviews_since(db: Database, since: datetime) -> int:
    """Study reviews made since ``since``."""
    with db.session(write=False) as s:
        n = s.scalar(
            select(func.count())
            .select_from(Review)
            .where(Review.kind == "study", Review.reviewed_at >= since)
        )
    return int(n or 0)


def due_cards(
    db: Database,
    now: datetime,
    *,
    new_cap: int,
    limit: int | None = None,
    keep: TopicFilter | None = None,
) -> list[CardView]:
    """Learning cards due, reviews due, then at most ``new_cap`` new cards (deck order),
    up to ``limit`` cards, keeping only the cards ``keep`` accepts."""
    out: list[CardView] = []
    with db.session(write=False) as s:
        for stmt, cap in ((_LEARNING_DUE, None), (_REVIEW_DUE, None), (_NEW_CARDS, new_cap)):
            if cap == 0:
                continue
            taken = 0
            if keep is None:
                # Without a filter, SQL can stop at the rows actually wanted.
                wanted = [n for n in (cap, limit and limit - len(out)) if n]
                if wanted:
                    stmt = stmt.limit(min(wanted))  # noqa: PLW2901
            for card in s.execute(stmt, {"now": now}):
                if keep is not None and not keep(card.deck, card.topic):
                    continue
                out.append(card_view(card))
                taken += 1
                if (cap is not None and taken >= cap) or (limit and len(out) >= limit):
                    break
            if limit and len(out) >= limit:
                break
    return out


def learning_ahead(
    db: Database, now: datetime, until: datetime, *, keep: TopicFilter | None = None
) -> list[CardView]:
    """Active learning cards due by ``until`` (studied early when nothing else is left)."""
    with db.session(write=False) as s:
        rows = s.execute(_LEARNING_AHEAD, {"now": now, "ahead": until})
        return [card_view(c) for c in rows if keep is None or keep(c.deck, c.topic)]


def first_due(
    db: Database,
    now: datetime,
    *,
    new_allowed: bool,
    keep: TopicFilter | None = None,
    exclude: Collection[str] = (),
) -> CardView | None:
    """The first card of :func:`due_cards` (new cards only when ``new_allowed``) that
    is not in ``exclude``."""
    statements: list[Select[Any]] = [_LEARNING_DUE, _REVIEW_DUE]
    if new_allowed:
        statements.append(_NEW_CARDS)
    bind = {"now": now}
    with db.session(write=False) as s:
        for stmt in statements:
            if exclude:
                stmt = stmt.where(Card.id.not_in(list(exclude)))  # noqa: PLW2901
            if keep is None:
                card = s.execute(stmt.limit(1), bind).first()
                if card is not None:
                    return card_view(card)
                continue
            for card in s.execute(stmt, bind):
                if keep(card.deck, card.topic):
                    return card_view(card)
    return None


def counts_by_state(db: Database, now: datetime) -> dict[int, int]:
    """Active cards waiting now (new, or due by ``now``), counted by stored state."""
    active = and_(
        Card.retired.is_(False), or_(Card.buried_until.is_(None), Card.buried_until <= now)
    )
    with db.session(write=False) as s:
        rows = s.execute(
            select(Card.state, func.count())
            .where(active, or_(Card.state == NEW, Card.due <= now))
            .group_by(Card.state)
        ).all()
    return {int(st): int(n) for st, n in rows}


def active_card_states(
    db: Database, now: datetime
) -> Iterator[tuple[str, list[str], int, datetime]]:
    """``(deck, topic path, state, due)`` of every active card (for grouped counts)."""
    active = and_(
        Card.retired.is_(False), or_(Card.buried_until.is_(None), Card.buried_until <= now)
    )
    with db.session(write=False) as s:
        rows = s.execute(select(Card.deck, Card.topic, Card.state, Card.due).where(active)).all()
    for deck, path, st, due in rows:
        yield deck, path, int(st), due
