"""Cards and reviews built for tests, with every field a test does not care about
filled in: ``card_view`` (what the store hands out), ``card_row`` and ``review_row``
(rows added to a real database)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from quizapp.store.views import CardView

#: the time rows are created at unless a test says otherwise
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
