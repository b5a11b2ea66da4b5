"""Cards and reviews built for tests, every field a test does not care about filled in:
``card_view`` (a card as the store hands it out), ``card_row`` and ``review_row`` (rows
for a real database, added with ``add_rows``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from quizapp.store.db import Database
from quizapp.store.schema import Card, Review
from quizapp.store.views import CardView

#: when rows are created and due unless a test says otherwise
CREATED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def card_view(card_id: str = "c", **fields: Any) -> CardView:
    """A new basic card ``card_id`` (front = its id) of deck ``D``; ``fields`` override."""
    values: dict[str, Any] = {
        "id": card_id,
        "deck": "D",
        "topic": (),
        "front": card_id,
        "back": "",
        "kind": "basic",
        "source": "d.md",
        "line": 1,
        "state": "new",
        "due": CREATED,
        "reviews": 0,
        "lapses": 0,
    }
    values.update(fields)
    return CardView(**values)


def card_row(card_id: str = "c", *, at: datetime = CREATED, **fields: Any) -> Card:
    """A ``cards`` row: a new basic card ``card_id`` (front = its id) of deck ``D``,
    created and due ``at``; ``fields`` override any column."""
    values: dict[str, Any] = {
        "id": card_id,
        "deck": "D",
        "topic": [],
        "front": card_id,
        "back": "",
        "kind": "basic",
        "source": "d.md",
        "line": 1,
        "ordinal": 0,
        "content_hash": "h",
        "retired": False,
        "created_at": at,
        "updated_at": at,
        "state": 0,
        "step": 0,
        "due": at,
        "reviews": 0,
        "lapses": 0,
    }
    values.update(fields)
    return Card(**values)


def review_row(card_id: str, rating: int = 3, *, at: datetime = CREATED, **fields: Any) -> Review:
    """A ``reviews`` row: a study review of ``card_id`` rated ``rating`` at ``at``;
    ``fields`` override any column."""
    values: dict[str, Any] = {
        "card_id": card_id,
        "rating": rating,
        "reviewed_at": at,
        "kind": "study",
    }
    values.update(fields)
    return Review(**values)


def add_rows(db: Database, *rows: Card | Review) -> None:
    """Add ``rows`` to ``db`` in one transaction."""
    with db.session() as s:
        s.add_all(rows)
