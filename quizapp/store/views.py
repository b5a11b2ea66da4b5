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
    #: kept out of study until unsuspended
    suspended: bool = False
    #: kept out of study until then (skipped for the day, or buried in Anki); a time
    #: already past means nothing any more
    buried_until: datetime | None = None


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
    """Cards available to study now: new and review cards capped by what today's
    limits still allow (as Anki counts them), and the uncapped numbers beside them."""

    new: int
    learning: int
    due: int
    #: new cards waiting, today's limit aside (None: the same as ``new``)
    new_uncapped: int | None = None
    #: due reviews waiting, today's limit aside (None: the same as ``due``)
    due_uncapped: int | None = None
    #: today's limits: new cards (the setting plus today's extra), reviews
    new_limit: int | None = None
    due_limit: int | None = None

    @property
    def total(self) -> int:
        """All cards that may be studied now."""
        return self.new + self.learning + self.due

    @property
    def new_held_back(self) -> int:
        """New cards waiting beyond today's limit."""
        return max(0, (self.new if self.new_uncapped is None else self.new_uncapped) - self.new)

    @property
    def due_held_back(self) -> int:
        """Due reviews waiting beyond today's limit."""
        return max(0, (self.due if self.due_uncapped is None else self.due_uncapped) - self.due)


@dataclass(frozen=True)
class TopicCounts:
    """Counts for one (deck, topic path) group of active cards."""

    deck: str
    topic: tuple[str, ...]
    #: new cards and due reviews, each capped by what today's limits still allow
    new: int
    learning: int
    due: int
    total: int
    #: the same before the caps (None: the same as ``new`` / ``due``)
    new_uncapped: int | None = None
    due_uncapped: int | None = None
