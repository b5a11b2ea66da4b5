"""What a user is told about ratings and verdicts: one set of words for every front-end."""

from __future__ import annotations

#: the four FSRS ratings, as every front-end names them
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
#: the rating a revealed (not graded) card suggests: Space/Enter takes it
GOOD = 3
#: said when the card on screen was renamed or retired by a sync elsewhere before its
#: rating was saved: the rating is dropped, never moved onto another card
NOT_SAVED = "not saved: a sync changed or removed this card since it was shown"

_MARKS = {"correct": "✓ correct", "partial": "~ partly correct"}


def verdict_mark(status: str | None) -> str:
    """``✓ correct``, ``~ partly correct`` or ``✗ wrong`` (a typed answer that is not
    a number counts as wrong)."""
    return _MARKS.get(status or "", "✗ wrong")
