"""One study session of the app: what the study screen asks of the database.

Every method here blocks on the database (and, for grading, on torch), so the screen
calls them from worker threads only; what they return are frozen values the screen
shows as they are. The session counts the cards rated in it, stops at ``limit``, and
undoes only its own ratings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from quizapp.present.card import answer_text, format_interval, question_text
from quizapp.store.views import CardView, ReviewView

if TYPE_CHECKING:
    from quizapp.grading.grade import Grade
    from quizapp.study.service import Counts, StudyService

#: torch is warmed up when a computational card is among this many cards at the front
#: of the queue (the card on screen and the next three)
LOOKAHEAD = 4


@dataclass(frozen=True)
class Prompt:
    """One card, ready to show: question and answer markdown, next intervals, counts."""

    card: CardView
    #: markdown of the question (for a computational card: the drawn question)
    question: str
    #: markdown of the back (empty for a computational card: the grader answers)
    answer: str
    #: rating 1–4 → next interval as shown under the rating (``10m``, ``3d``)
    intervals: dict[int, str]
    #: cards waiting now, this one included
    counts: Counts
    #: cards rated in this session before this one
    done: int
    #: the session's planned size (done + waiting, capped by the limit)
    total: int
    #: the drawn parameters of a computational card
    params: dict[str, object] | None = None
    #: cards passed over on the way to this one, each ``FILE:LINE: why`` (cannot be drawn)
    skipped: tuple[str, ...] = ()


EndReason = Literal["empty", "limit", "finished"]


@dataclass(frozen=True)
class SessionEnd:
    """Nothing more to show: why, and how many cards were rated."""

    reason: EndReason
    done: int
    counts: Counts
    #: cards passed over at the end, each ``FILE:LINE: why`` (cannot be drawn)
    skipped: tuple[str, ...] = ()


Step = Prompt | SessionEnd


@dataclass(frozen=True)
class Choice:
    """A rating the user gave, with what the review log keeps about it."""

    card_id: str
    rating: int
    duration_ms: int | None = None
    #: typed answer, drawn parameters and verdict of a computational card
    answer: str | None = None
    params: dict[str, object] | None = None
    verdict: str | None = None
    #: whether the suggested rating was taken as is
    auto: bool = False


class StudySession:
    """The queue walk of one session on a :class:`StudyService`."""

    def __init__(
        self,
        service: StudyService,
        *,
        topic: str | None = None,
        limit: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.service = service
        self.topic = topic
        self.limit = limit
        self.rng = rng or random.Random()
        self.done = 0
        self._rated: list[int] = []

    def _total(self, counts: Counts) -> int:
        total = self.done + counts.total
        return min(total, self.limit) if self.limit is not None else total

    def prompt_for(self, card: CardView) -> Prompt:
        """Build what the screen shows for ``card`` (draws a computational card's values)."""
        svc = self.service
        intervals = {r: format_interval(d.total_seconds()) for r, d in svc.preview(card.id).items()}
        counts = svc.counts(self.topic)
        params: dict[str, object] | None = None
        if card.kind == "quiz" and card.quiz is not None:
            from quizapp.grading.draw import draw_params
            from quizapp.grading.grade import render_question

            params = dict(draw_params(card.quiz, self.rng))
            question, answer = render_question(card.quiz, params), ""
        else:
            question, answer = question_text(card), answer_text(card)
        return Prompt(
            card=card,
            question=question,
            answer=answer,
            intervals=intervals,
            counts=counts,
            done=self.done,
            total=max(self._total(counts), self.done + 1),
            params=params,
        )

    def quiz_ahead(self, card: CardView) -> bool:
        """Whether ``card`` or one of the next cards after it is computational."""
        seen = [card.id]
        if card.kind == "quiz":
            return True
        for _ in range(LOOKAHEAD - 1):
            upcoming = self.service.next_card(topic=self.topic, exclude=seen)
            if upcoming is None:
                return False
            if upcoming.kind == "quiz":
                return True
            seen.append(upcoming.id)
        return False

    def next(self) -> Step:
        """The next card to study, or the end of the session."""
        if self.limit is not None and self.done >= self.limit:
            return SessionEnd("limit", self.done, self.service.counts(self.topic))
        return self._from(self.service.next_card(topic=self.topic))

    def _from(self, card: CardView | None) -> Step:
        """``card`` ready to show; a computational card whose numbers cannot be drawn is
        buried until tomorrow and the next card taken, the skip reported on the step."""
        from quizapp.grading.draw import DrawError

        skipped: list[str] = []
        while card is not None:
            try:
                return replace(self.prompt_for(card), skipped=tuple(skipped))
            except DrawError as exc:
                skipped.append(f"{card.source}:{card.line}: {exc}")
                self.service.bury(card.id)
            card = self.service.next_card(topic=self.topic)
        reason: EndReason = "finished" if self.done else "empty"
        return SessionEnd(reason, self.done, self.service.counts(self.topic), tuple(skipped))

    def rate(self, choice: Choice) -> ReviewView:
        """Commit one rating (one transaction) and count it."""
        review = self.service.review(
            choice.card_id,
            choice.rating,
            duration_ms=choice.duration_ms,
            answer=choice.answer,
            params=choice.params,
            verdict=choice.verdict,
            auto=choice.auto,
        )
        self._rated.append(review.id)
        self.done += 1
        return review

    def rate_and_next(self, choice: Choice) -> Step:
        """Commit a rating, then fetch the next card: the rating is saved before the
        next card can be shown."""
        self.rate(choice)
        return self.next()

    @property
    def can_undo(self) -> bool:
        """Whether this session has a rating left to undo."""
        return bool(self._rated)

    def undo(self) -> Step | None:
        """Undo the session's last rating; the card comes back as it was before it."""
        if not self._rated:
            return None
        card = self.service.undo_last()
        self._rated.pop()
        self.done = max(0, self.done - 1)
        if card is None:
            return None
        return self._from(card)

    def skip(self, card_id: str) -> Step:
        """Bury the card until tomorrow and move on."""
        self.service.bury(card_id)
        return self.next()

    def reload(self, card_id: str) -> Step:
        """The same card again (after its deck file was edited), or the next one if it
        is gone."""
        card = self.service.card(card_id)
        if card is None or card.retired:
            return self.next()
        return self._from(card)


def grade_answer(prompt: Prompt, typed: str) -> Grade:
    """Grade a typed answer to a computational card (imports torch on first use)."""
    from quizapp.grading.grade import grade

    card = prompt.card
    if card.quiz is None or prompt.params is None:
        raise ValueError(f"card {card.id} is not a computational card")
    return grade(card.quiz, prompt.params, typed)
