"""What a user is told about ratings and verdicts: one set of words for every front-end."""

from __future__ import annotations

#: the four FSRS ratings, as every front-end names them
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}

_MARKS = {"correct": "✓ correct", "partial": "~ partly correct"}


def verdict_mark(status: str | None) -> str:
    """``✓ correct``, ``~ partly correct`` or ``✗ wrong`` (a typed answer that is not
    a number counts as wrong)."""
    return _MARKS.get(status or "", "✗ wrong")
