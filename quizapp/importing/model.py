"""What an Anki collection holds, as plain values read once from the ``anki`` package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, NamedTuple

#: how a note becomes cards: a heading card, a two-way heading card, cloze cards, a
#: heading card with labelled fields, or nothing (image occlusion has no text form)
NoteKind = Literal["basic", "two-way", "cloze", "other", "occlusion"]
#: why Anki keeps a card out of study: suspended by the user, or buried for the day
Hold = Literal["suspended", "buried"]


class AnkiReview(NamedTuple):
    """One answer in Anki's review log (a tuple: a hundred thousand of them pass by)."""

    card: int
    #: when, in milliseconds since the epoch (the review log's own key)
    at_ms: int
    #: 1 Again, 2 Hard, 3 Good, 4 Easy
    rating: int
    duration_ms: int


@dataclass(frozen=True)
class AnkiSchedule:
    """Where Anki's scheduler left a card that has an FSRS memory state."""

    #: 1 learning, 2 review, 3 relearning (py-fsrs's numbers)
    state: int
    stability: float
    difficulty: float
    due: datetime
    #: learning steps Anki still had to show (0 outside learning)
    remaining_steps: int
    #: times the card was forgotten after it was learned
    lapses: int = 0


@dataclass(frozen=True)
class AnkiCard:
    """One card of a note."""

    id: int
    #: the card's template (or cloze number - 1)
    ord: int
    #: the deck it belongs to (its home deck while it sits in a filtered deck)
    deck: str
    #: FSRS state and due date, when Anki has them (FSRS on and the card reviewed)
    schedule: AnkiSchedule | None = None
    #: suspended, or buried today (a burial from an earlier day has lapsed)
    hold: Hold | None = None


@dataclass(frozen=True)
class AnkiNote:
    """One note: its fields as HTML, by name, in the note type's order."""

    id: int
    guid: str
    kind: NoteKind
    notetype: str
    fields: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]
    cards: tuple[AnkiCard, ...]
    #: fields that steer Anki and say nothing (``Add Reverse``), left out of the text
    hidden: frozenset[str] = frozenset()

    @property
    def deck(self) -> str:
        """The deck of the note's first card: where its deck file goes."""
        return min(self.cards, key=lambda c: c.ord).deck if self.cards else "Default"


@dataclass
class AnkiCollection:
    """Everything read from a package."""

    notes: list[AnkiNote]
    #: the answers of every card (ratings 1-4 only), oldest first
    reviews: list[AnkiReview]
    #: the folder holding the package's media files, and their names
    media_dir: Path
    media: frozenset[str]
    #: review-log entries left out: manual rescheduling, "set due date", card resets
    skipped_entries: int = 0
