"""Card identities for imports and exports: every card's id, kind and file, read in one
query; the suspended cards."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from quizapp.store.db import Database
from quizapp.store.schema import Card, Review

_CHUNK = 500


class CardIdentity(NamedTuple):
    """What an importer needs to know about a card already in the database."""

    id: str
    kind: str
    cloze: int | None
    #: the deck file that defines it (or the file a review import named)
    source: str
    retired: bool


def card_identities(db: Database) -> list[CardIdentity]:
    """Every card, retired ones included."""
    stmt = select(Card.id, Card.kind, Card.cloze, Card.source, Card.retired)
    with db.session(write=False) as s:
        return [CardIdentity(*row) for row in s.execute(stmt)]


def suspended_card_ids(db: Database) -> frozenset[str]:
    """The ids of the suspended cards."""
    with db.session(write=False) as s:
        return frozenset(s.scalars(select(Card.id).where(Card.suspended.is_(True))))


def review_times(db: Database, card_ids: Collection[str]) -> set[tuple[str, datetime]]:
    """(card id, time) of every review of the cards ``card_ids``."""
    ids = sorted(card_ids)
    found: set[tuple[str, datetime]] = set()
    with db.session(write=False) as s:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            stmt = select(Review.card_id, Review.reviewed_at).where(Review.card_id.in_(chunk))
            found.update((cid, at) for cid, at in s.execute(stmt))
    return found
