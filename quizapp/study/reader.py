"""What the study walk reads: a small protocol with two implementations.

:class:`~quizapp.study.service.StudyService` reads the queue through the store (and
records ratings); :class:`~quizapp.study.quick.QuickQueue` reads the same queue, with
the same SQL, through a read-only standard-library ``sqlite3`` transaction before the
database stack is imported, so the app's first screen is the engine's first prompt.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from quizapp.store.views import CardView, Counts, ReviewView, TopicCounts

if TYPE_CHECKING:
    from quizapp.store.reviews import UndoResult


class QueueReader(Protocol):
    """The study queue as the engine walks it."""

    def next_card(self, topic: str | None = None, exclude: Collection[str] = ()) -> CardView | None:
        """The next card to study (not one of ``exclude``), or None."""
        ...

    def counts(self, topic: str | None = None) -> Counts:
        """Cards waiting now."""
        ...

    def preview(self, card_id: str) -> dict[int, timedelta]:
        """Rating → the interval it would give (empty when not known)."""
        ...

    def bury(self, card_id: str) -> datetime | None:
        """Hide a card until the next day starts; returns when it was hidden until
        before (for an undo)."""
        ...


@runtime_checkable
class Recorder(Protocol):
    """What a session needs beyond reading: recording and undoing ratings."""

    def card(self, card_id: str) -> CardView | None:
        """One card by id."""
        ...

    def review(
        self,
        card_id: str,
        rating: int,
        *,
        duration_ms: int | None = None,
        answer: str | None = None,
        params: dict[str, object] | None = None,
        verdict: str | None = None,
        auto: bool = False,
    ) -> ReviewView:
        """Record a rating (one transaction)."""
        ...

    def undo(self, review_id: int) -> UndoResult:
        """Undo one rating recorded here (not when its card was reviewed since)."""
        ...

    def unbury(self, card_id: str, until: datetime | None = None) -> None:
        """Undo a bury: the card is hidden until ``until`` again (None: not)."""
        ...

    def add_extra_new(self, count: int) -> int:
        """Allow ``count`` more new cards today; returns today's new-card limit."""
        ...


class OverviewReader(Protocol):
    """What the home screen reads: counts per topic, waiting now, reviewed today."""

    def topic_tree(self) -> list[TopicCounts]:
        """Per (deck, topic path) counts of active cards."""
        ...

    def counts(self, topic: str | None = None) -> Counts:
        """Cards waiting now."""
        ...

    def reviewed_today(self) -> int:
        """Study reviews made since the day started."""
        ...
