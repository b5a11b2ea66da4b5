"""Read-only queries that hand out frozen views."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from quizapp.store.convert import card_view, review_view
from quizapp.store.db import Database
from quizapp.store.schema import Card, Review
from quizapp.store.views import CardView, ReviewView


def list_cards(
    db: Database,
    *,
    include_retired: bool = False,
    due_before: datetime | None = None,
) -> list[CardView]:
    """Cards in deck order (file, then position); ``due_before`` keeps cards due by then
    (new cards count as due)."""
    stmt = select(Card).order_by(Card.source, Card.ordinal, Card.id)
    if not include_retired:
        stmt = stmt.where(Card.retired.is_(False))
    if due_before is not None:
        stmt = stmt.where((Card.state == 0) | (Card.due <= due_before))
    with db.session(write=False) as s:
        return [card_view(c) for c in s.scalars(stmt)]


def get_card(db: Database, card_id: str) -> CardView | None:
    """One card by id, retired or not."""
    with db.session(write=False) as s:
        c = s.get(Card, card_id)
        return None if c is None else card_view(c)


def card_reviews(db: Database, card_id: str) -> list[ReviewView]:
    """A card's review history, oldest first."""
    with db.session(write=False) as s:
        rows = s.scalars(
            select(Review).where(Review.card_id == card_id).order_by(Review.reviewed_at, Review.id)
        )
        return [review_view(r) for r in rows]


def all_reviews(db: Database, *, scheduled_only: bool = False) -> list[ReviewView]:
    """Every review, oldest first."""
    stmt = select(Review).order_by(Review.reviewed_at, Review.id)
    if scheduled_only:
        stmt = stmt.where(Review.scheduled.is_(True))
    with db.session(write=False) as s:
        return [review_view(r) for r in s.scalars(stmt)]


def review_count(db: Database) -> int:
    """Number of rows in the review log."""
    with db.session(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(Review)) or 0)
