"""The study service: the queue of cards, reviews, undo — what every interface calls.

Each review is one transaction (card state + review-log row), committed before the
caller moves on, so an acknowledged rating survives a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fsrs import Rating

from quizapp.store import queue as store_queue
from quizapp.store.db import Database
from quizapp.store.queries import card_reviews, get_card, list_cards
from quizapp.store.queue import matches_topic
from quizapp.store.reviews import (
    CardNotFoundError,
    Decision,
    InterviewAnswerRow,
    ReviewEntry,
    SchedulingState,
    UndoResult,
    append_review,
    bury_card,
    scheduling_state,
    suspend_cards,
    undo_review,
)
from quizapp.store.settings import meta_values
from quizapp.store.sqlfetch import reading
from quizapp.store.views import CardView, Counts, ReviewKind, ReviewView, TopicCounts
from quizapp.study.scheduler import StudySettings, from_fsrs, settings_from_meta, to_fsrs

NEW, LEARNING, REVIEW, RELEARNING = (
    store_queue.NEW,
    store_queue.LEARNING,
    store_queue.REVIEW,
    store_queue.RELEARNING,
)

__all__ = [
    "CardNotFoundError",
    "Counts",
    "StudyService",
    "TopicCounts",
    "UndoResult",
    "matches_topic",
]


class StudyService:
    """Queue, review and undo on one database."""

    def __init__(
        self,
        db: Database,
        *,
        now: Callable[[], datetime] | None = None,
        settings: StudySettings | None = None,
    ) -> None:
        self.db = db
        self._clock = now or (lambda: datetime.now(UTC))
        self._settings = settings
        self._undo: list[int] = []

    # -- settings ---------------------------------------------------------------

    def now(self) -> datetime:
        """The service's clock (aware UTC)."""
        return self._clock().astimezone(UTC)

    @property
    def settings(self) -> StudySettings:
        """Scheduling settings: given, else read once from the collection (the user's
        settings through :func:`quizapp.store.settings.read_settings`'s reading)."""
        if self._settings is None:
            with reading(self.db) as fetch:
                self._settings = settings_from_meta(meta_values(fetch))
        return self._settings

    def reload_settings(self) -> None:
        """Read settings again (after ``config set`` or ``optimize`` changed them)."""
        self._settings = None

    # -- queue (its SQL and rules live in quizapp.store.queue, shared with the app's
    # first screen) -------------------------------------------------------------

    def new_left_today(self, now: datetime | None = None) -> int:
        """How many new cards may still be introduced today."""
        with reading(self.db) as fetch:
            return store_queue.new_left(fetch, now or self.now(), self.settings)

    def queue(self, limit: int | None = None, topic: str | None = None) -> list[CardView]:
        """Cards to study now, in order: learning due, reviews due, then new cards.

        New cards are capped by the new-cards-per-day setting. When nothing else is
        left, learning cards due within the learn-ahead window are included.
        """
        settings = self.settings
        with reading(self.db) as fetch:
            return store_queue.queue(
                fetch,
                self.now(),
                settings=settings,
                learn_ahead=settings.learn_ahead,
                limit=limit,
                topic=topic,
            )

    def next_card(self, topic: str | None = None, exclude: Collection[str] = ()) -> CardView | None:
        """The next card to study, or None when the session is done."""
        settings = self.settings
        with reading(self.db) as fetch:
            return store_queue.next_card(
                fetch,
                self.now(),
                settings=settings,
                learn_ahead=settings.learn_ahead,
                topic=topic,
                exclude=exclude,
            )

    # -- cards --------------------------------------------------------------------

    def card(self, card_id: str) -> CardView | None:
        """One card (active or retired) by id."""
        return get_card(self.db, card_id)

    def cards(
        self, *, include_retired: bool = False, due_before: datetime | None = None
    ) -> list[CardView]:
        """Cards in deck order; ``due_before`` keeps cards due by then (new ones too)."""
        return list_cards(self.db, include_retired=include_retired, due_before=due_before)

    def history(self, card_id: str) -> list[ReviewView]:
        """A card's review history, oldest first."""
        return card_reviews(self.db, card_id)

    # -- reviewing ----------------------------------------------------------------

    def preview(self, card_id: str) -> dict[int, timedelta]:
        """For each rating 1–4, the interval the card would get if rated so now."""
        now = self.now()
        state = scheduling_state(self.db, card_id)
        if state is None:
            raise CardNotFoundError(card_id)
        fields = state.fields()
        fields["state"] = fields["state"] or LEARNING
        sched = self.settings.scheduler(fuzz=False)
        out: dict[int, timedelta] = {}
        for rating in Rating:
            after, _ = sched.review_card(to_fsrs(**fields), rating, now)
            out[int(rating)] = after.due - now
        return out

    def retrievability(self, card: CardView, at: datetime | None = None) -> float:
        """Predicted probability of recalling ``card`` at ``at`` (default now); 0 if new."""
        if card.state == "new" or card.last_review is None or card.due is None:
            return 0.0
        fc = to_fsrs(
            state={"learning": 1, "review": 2, "relearning": 3}[card.state],
            step=None,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )
        return float(self.settings.scheduler().get_card_retrievability(fc, at or self.now()))

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
        kind: ReviewKind = "study",
        reschedule: bool = True,
        attach: InterviewAnswerRow | None = None,
    ) -> ReviewView:
        """Record a review in one transaction and return the log row.

        The card is read under a row lock, so concurrent writers never lose an update.
        With ``reschedule=False`` (interview answers by default) the review is logged
        but the card's schedule is left as it was. ``attach`` (an interview answer) is
        saved in the same transaction, with the review's id.
        """
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, not {rating!r}")
        now = self.now()
        sched = self.settings.scheduler()

        def decide(state: SchedulingState) -> Decision:
            fields = state.fields()
            was_new = state.state == NEW
            fields["state"] = fields["state"] or LEARNING
            fc = to_fsrs(**fields)
            recall = None if was_new else float(sched.get_card_retrievability(fc, now))
            if not reschedule:
                return Decision(schedule=None, retrievability=recall)
            after, _ = sched.review_card(fc, Rating(rating), now, duration_ms)
            return Decision(
                schedule=from_fsrs(after),
                retrievability=recall,
                lapse=rating == 1 and state.state == REVIEW,
            )

        entry = ReviewEntry(
            rating=rating,
            reviewed_at=now,
            duration_ms=duration_ms,
            kind=kind,
            auto=auto,
            answer=answer,
            params=params,
            verdict=verdict,
        )
        view = append_review(self.db, card_id, entry, decide, attach=attach)
        if reschedule:
            self._undo.append(view.id)
        return view

    def undo(self, review_id: int) -> UndoResult:
        """Undo review ``review_id``, one made through this service (ValueError for any
        other: a review recorded elsewhere is never undone here). It leaves the
        service's undo list whatever the outcome: a review that cannot be undone now
        (the card was reviewed since, or the review is gone) never can."""
        if review_id not in self._undo:
            raise ValueError(f"review {review_id} was not recorded by this service")
        self._undo.remove(review_id)
        return undo_review(self.db, review_id)

    def bury(self, card_id: str) -> datetime | None:
        """Hide a card until the next day starts (skip it for today); returns when it
        was hidden until before (for :meth:`unbury`)."""
        return bury_card(self.db, card_id, self.day_start() + timedelta(days=1))

    def unbury(self, card_id: str, until: datetime | None = None) -> None:
        """Undo a :meth:`bury`: the card is hidden until ``until`` again (None: not)."""
        bury_card(self.db, card_id, until)

    def suspend(self, card_ids: Collection[str], suspended: bool = True) -> list[CardView]:
        """Suspend cards (``suspended=False``: unsuspend them); a suspended card stays
        out of study and interviews until unsuspended. Raises ``CardNotFoundError``."""
        return suspend_cards(self.db, list(card_ids), suspended)

    def add_extra_new(self, count: int) -> int:
        """Allow ``count`` more new cards today; returns today's new-card limit now."""
        from quizapp.store.settings_db import add_extra_new

        now = self.now()
        stored = add_extra_new(self.db, now, count)
        self._settings = replace(self.settings, extra_new=stored.extra_new)
        return self._settings.new_limit(now)

    def day_start(self) -> datetime:
        """When the user's current day began (the ``day-starts-at`` hour), UTC."""
        return self.settings.day_start(self.now())

    # -- counts -------------------------------------------------------------------

    def counts(self, topic: str | None = None) -> Counts:
        """New (within today's limit), learning and review cards available now."""
        with reading(self.db) as fetch:
            return store_queue.counts(fetch, self.now(), settings=self.settings, topic=topic)

    def topic_tree(self) -> list[TopicCounts]:
        """Per (deck, topic path) counts of active cards, sorted by deck then path."""
        with reading(self.db) as fetch:
            return store_queue.topic_tree(fetch, self.now(), self.settings)

    def reviewed_today(self) -> int:
        """Study reviews made since the user's day began."""
        with reading(self.db) as fetch:
            return store_queue.studied_since(fetch, self.day_start())
