"""Frozen values handed out by the store; ORM objects never leave it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from quizapp.deckfile.types import CardKind, QuizSpec

CardState = Literal["new", "learning", "review", "relearning"]
ReviewKind = Literal["study", "interview", "import"]


@dataclass(frozen=True)
class CardView:
    """A card with its scheduling state."""

    id: str
    deck: str
    topic: tuple[str, ...]
    front: str
    back: str
    kind: CardKind
    source: str
    line: int
    state: CardState
    due: datetime | None
    reviews: int
    lapses: int
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    cloze: int | None = None
    quiz: QuizSpec | None = None
    parent: str | None = None
    retired: bool = False
    #: position of the card in its deck file, for a stable "new card" order
    ordinal: int = 0


@dataclass(frozen=True)
class ReviewView:
    """One row of the review log."""

    id: int
    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None
    kind: ReviewKind
    auto: bool
    #: whether this review changed the card's schedule (interviews without --reschedule don't)
    scheduled: bool
    answer: str | None = None
    params: dict[str, object] | None = None
    verdict: str | None = None


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
