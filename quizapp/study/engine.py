"""The study engine: one headless walk through the cards for every front-end.

The app's study and interview screens and the line-mode commands (``study --plain``,
``interview --plain``) only read input and show output; everything between — which
card comes next, drawing a computational card's numbers, grading a typed answer,
suggesting a rating, recording it, undo, bury, skipping a card that cannot be drawn —
happens here, once.

- :func:`draw_card` turns a card into a :class:`Drawn` question (numbers drawn for a
  computational card; :class:`CannotDraw` when its ``quiz`` block cannot produce any).
- :func:`grade_drawn` grades a typed answer and suggests a rating (:class:`Graded`).
- :class:`StudySession` walks the study queue: :meth:`~StudySession.next` gives a
  :class:`Prompt` or a :class:`SessionEnd`, :meth:`~StudySession.rate` commits a rating
  (one transaction, before the next card is fetched), :meth:`~StudySession.undo` and
  :meth:`~StudySession.skip` go back and bury. A card that cannot be drawn is buried
  until tomorrow and the session goes on; the prompt after it carries a one-line note.
- An interview is the same walk in interview mode
  (:class:`quizapp.study.interview.session.InterviewSession`): a planned list of cards
  instead of the queue, a time budget, answers logged without rescheduling unless
  asked, and a report at the end. It draws and grades with the functions here.

Every call blocks on the database (and grading on torch): the app calls them from
worker threads. What they return are frozen values shown as they are.
"""

from __future__ import annotations

import contextlib
import random
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from quizapp.store.views import CardView, Counts, ReviewView
from quizapp.study.options import StudyOptions
from quizapp.study.reader import QueueReader, Recorder
from quizapp.study.sides import answer_text, question_text

if TYPE_CHECKING:
    from datetime import timedelta

    from quizapp.grading.grade import Grade

#: the rating a revealed (not graded) card suggests: Space/Enter takes it
GOOD = 3
#: new cards one press of "more today" adds (``+`` in the app)
EXTRA_NEW_STEP = 10
#: torch is warmed up when a computational card is among this many cards at the front
#: of the queue (the card on screen and the next three)
LOOKAHEAD = 4


class CannotDraw(Exception):
    """A computational card whose numbers cannot be drawn; the message says where
    (``FILE:LINE: reason``)."""


@dataclass(frozen=True)
class Drawn:
    """A card ready to ask: the question and answer markdown, the numbers drawn."""

    card: CardView
    #: markdown of the question (for a computational card: the drawn question)
    question: str
    #: markdown of the back (empty for a computational card: the grader answers)
    answer: str
    #: the drawn parameters of a computational card
    params: dict[str, object] | None = None

    @property
    def computational(self) -> bool:
        """Whether the answer is typed and graded by a reference model."""
        return self.params is not None


def draw_card(card: CardView, rng: random.Random) -> Drawn:
    """The question to ask for ``card``, with fresh numbers for a computational card.

    Raises :class:`CannotDraw` when the card's ``quiz`` block cannot produce a
    question (``quizapp lint`` reports such blocks).
    """
    if card.kind == "quiz" and card.quiz is not None:
        from quizapp.grading.draw import draw_params
        from quizapp.grading.grade import render_question

        try:
            params: dict[str, object] = dict(draw_params(card.quiz, rng))
            question = render_question(card.quiz, params)
        except (ValueError, LookupError, TypeError, ArithmeticError) as exc:
            # Whatever a deck's numbers do to drawing or to the question's template,
            # the session goes on without this card.
            raise CannotDraw(f"{card.source}:{card.line}: {exc}") from exc
        return Drawn(card, question, "", params)
    return Drawn(card, question_text(card), answer_text(card))


@dataclass(frozen=True)
class Undrawable:
    """A card left out because its numbers cannot be drawn."""

    card_id: str
    #: ``FILE:LINE: reason``
    problem: str

    @classmethod
    def of(cls, card: CardView, exc: CannotDraw) -> Undrawable:
        """The card ``exc`` was raised for."""
        return cls(card.id, str(exc))


@dataclass(frozen=True)
class Graded:
    """A typed answer, graded, with the rating it suggests."""

    grade: Grade
    typed: str
    seconds: float
    #: fast and right → Easy … wrong → Again
    suggested: int

    @property
    def status(self) -> str:
        """``correct``, ``partial``, ``wrong`` or ``invalid``."""
        return self.grade.verdict.status

    @property
    def needs_fix(self) -> bool:
        """Whether the typed text cannot be read as an answer (a ')' missing, a name):
        it is not a wrong answer. A front-end says what is wrong, keeps the text to
        fix, and shows no answer and records no rating. (Nothing typed is giving up:
        the answer is shown.)"""
        return self.status == "invalid" and bool(self.typed.strip())


def grade_drawn(drawn: Drawn, typed: str, seconds: float) -> Graded:
    """Grade what was typed for a computational card after ``seconds`` on it (runs the
    reference model: imports torch the first time)."""
    from quizapp.grading.grade import grade, suggest_rating

    card = drawn.card
    if card.quiz is None or drawn.params is None:
        raise ValueError(f"card {card.id} is not a computational card")
    result = grade(card.quiz, drawn.params, typed)
    return Graded(result, typed, seconds, suggest_rating(result.verdict, seconds))


def _warm_up() -> None:
    from quizapp.grading.models import warm_up

    # A failed warm-up only means a slower first grade, which then reports the error.
    with contextlib.suppress(Exception):
        warm_up()


class GraderWarmUp:
    """Imports torch once, in a background daemon thread, before a computational card
    needs it. Safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def started(self) -> bool:
        """Whether the warm-up has been started."""
        return self._thread is not None

    def start(self) -> None:
        """Start the warm-up (once)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=_warm_up, name="warm-grader", daemon=True)
                self._thread.start()

    def join(self) -> None:
        """Wait for it: an interpreter exiting while torch is half imported aborts."""
        if self._thread is not None:
            self._thread.join()


# -- the study walk -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Prompt(Drawn):
    """One card of a study session, ready to show, with the session around it."""

    #: rating 1–4 → the interval it gives (empty while it is not known)
    intervals: dict[int, timedelta]
    #: cards waiting now, this one included
    counts: Counts
    #: cards rated in this session before this one
    done: int
    #: the session's planned size (done + waiting, capped by the limit)
    total: int
    #: the cards skipped on the way here because they cannot be drawn
    skipped: tuple[Undrawable, ...] = ()

    def same_question(self, other: Step) -> bool:
        """Whether ``other`` asks what this prompt asks: the same card, text and
        numbers (what a key pressed on this prompt was meant for)."""
        return (
            isinstance(other, Prompt)
            and other.card.id == self.card.id
            and (other.question, other.answer, other.params)
            == (self.question, self.answer, self.params)
        )


EndReason = Literal["empty", "limit", "finished"]


@dataclass(frozen=True)
class SessionEnd:
    """Nothing more to show: why, and how many cards were rated."""

    reason: EndReason
    done: int
    counts: Counts
    skipped: tuple[Undrawable, ...] = ()


Step = Prompt | SessionEnd


UndoFailure = Literal["reviewed_since", "gone"]


@dataclass(frozen=True)
class UndoRefused:
    """An undo that changed nothing: the card was reviewed again since the rating
    (``reviewed_since``; both reviews stay) or the rating is gone (``gone``: undone
    elsewhere, or its card was retired). ``card`` is the card as it is now."""

    reason: UndoFailure
    card: CardView | None


class StudySession:
    """One study session over a :class:`~quizapp.study.reader.QueueReader`: it counts
    the cards rated in it, stops at the options' limit and undoes only its own ratings.

    Rating, undo and reload need a reader that also records
    (:class:`~quizapp.study.reader.Recorder`, as the study service does); the app's
    first screen walks a read-only one to its first prompt.
    """

    def __init__(
        self,
        queue: QueueReader,
        options: StudyOptions | None = None,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.queue = queue
        self.options = options or StudyOptions()
        self.rng = rng or random.Random(self.options.seed)
        self.done = 0
        #: what undo takes back, newest last: ("rate", review id) or ("skip", card
        #: id, when it was buried until before)
        self._actions: list[tuple[str, str | int, datetime | None]] = []

    @property
    def topic(self) -> str | None:
        """The deck or topic studied (None: every deck)."""
        return self.options.topic

    @property
    def limit(self) -> int | None:
        """How many ratings end the session (None: no limit)."""
        return self.options.limit

    def _recorder(self) -> Recorder:
        if not isinstance(self.queue, Recorder):
            raise TypeError("this session only reads the queue: it cannot record ratings")
        return self.queue

    def _total(self, counts: Counts) -> int:
        total = self.done + counts.total
        return min(total, self.limit) if self.limit is not None else total

    def counts(self) -> Counts:
        """Cards of the session's topic waiting now."""
        return self.queue.counts(self.topic)

    def prompt_for(self, card: CardView, skipped: tuple[Undrawable, ...] = ()) -> Prompt:
        """What to show for ``card`` (draws a computational card's numbers; raises
        :class:`CannotDraw` when they cannot be drawn)."""
        drawn = draw_card(card, self.rng)
        counts = self.counts()
        return Prompt(
            card=drawn.card,
            question=drawn.question,
            answer=drawn.answer,
            params=drawn.params,
            intervals=self.queue.preview(card.id),
            counts=counts,
            done=self.done,
            total=max(self._total(counts), self.done + 1),
            skipped=skipped,
        )

    def next(self) -> Step:
        """The next card to study, or the end of the session. Cards that cannot be
        drawn are buried until tomorrow on the way (and named in ``skipped``)."""
        skipped: list[Undrawable] = []
        while True:
            if self.limit is not None and self.done >= self.limit:
                return SessionEnd("limit", self.done, self.counts(), tuple(skipped))
            card = self.queue.next_card(topic=self.topic)
            if card is None:
                reason: EndReason = "finished" if self.done or skipped else "empty"
                return SessionEnd(reason, self.done, self.counts(), tuple(skipped))
            try:
                return self.prompt_for(card, tuple(skipped))
            except CannotDraw as exc:
                self.queue.bury(card.id)
                skipped.append(Undrawable.of(card, exc))

    def quiz_ahead(self, card: CardView) -> bool:
        """Whether ``card`` or one of the next cards after it is computational."""
        seen = [card.id]
        if card.kind == "quiz":
            return True
        for _ in range(LOOKAHEAD - 1):
            upcoming = self.queue.next_card(topic=self.topic, exclude=seen)
            if upcoming is None:
                return False
            if upcoming.kind == "quiz":
                return True
            seen.append(upcoming.id)
        return False

    def grade(self, prompt: Prompt, typed: str, seconds: float) -> Graded:
        """Grade a typed answer to a computational card (imports torch on first use)."""
        return grade_drawn(prompt, typed, seconds)

    @staticmethod
    def suggested(graded: Graded | None) -> int:
        """The rating Enter takes: the grader's suggestion, else Good."""
        return graded.suggested if graded is not None else GOOD

    def rate(
        self,
        prompt: Prompt,
        rating: int,
        *,
        seconds: float,
        graded: Graded | None = None,
        auto: bool = False,
    ) -> ReviewView:
        """Commit one rating (one transaction) and count it. ``auto`` says the
        suggested rating was taken as is; ``graded`` keeps the typed answer, the drawn
        numbers and the verdict in the review log."""
        review = self._recorder().review(
            prompt.card.id,
            rating,
            duration_ms=int(seconds * 1000),
            answer=graded.typed if graded is not None else None,
            params=prompt.params if graded is not None else None,
            verdict=graded.status if graded is not None else None,
            auto=auto,
        )
        self._actions.append(("rate", review.id, None))
        self.done += 1
        return review

    def rate_and_next(
        self,
        prompt: Prompt,
        rating: int,
        *,
        seconds: float,
        graded: Graded | None = None,
        auto: bool = False,
    ) -> Step:
        """Commit a rating, then fetch the next card: the rating is saved before the
        next card can be shown."""
        self.rate(prompt, rating, seconds=seconds, graded=graded, auto=auto)
        return self.next()

    @property
    def can_undo(self) -> bool:
        """Whether this session has a rating or a skip left to undo."""
        return bool(self._actions)

    def undo(self) -> Step | UndoRefused | None:
        """Undo the session's last action, rating or skip, newest first: the card comes
        back as it was before it.

        A skip is undone by showing the card again. Only ratings recorded in this
        session are undone. When that card was reviewed since (on another machine, or
        in another session), nothing changes and :class:`UndoRefused` says so; the
        rating leaves the session's undo list, so the next undo goes to the action
        before it. None when there is nothing to undo.
        """
        if not self._actions:
            return None
        action, target, before = self._actions.pop()
        recorder = self._recorder()
        if action == "skip":
            card_id = str(target)
            recorder.unbury(card_id, before)
            card = recorder.card(card_id)
            return None if card is None or card.retired else self._again(card)
        outcome = recorder.undo(int(target))
        if outcome.status == "undone" and outcome.card is not None:
            self.done = max(0, self.done - 1)
            return self._again(outcome.card)
        reason: UndoFailure = "reviewed_since" if outcome.status == "reviewed_since" else "gone"
        return UndoRefused(reason, outcome.card)

    def skip(self, card_id: str) -> Step:
        """Bury the card until the next day starts and move on (undo brings it back)."""
        before = self.queue.bury(card_id)
        self._actions.append(("skip", card_id, before))
        return self.next()

    def extra_new(self, count: int = EXTRA_NEW_STEP) -> Step:
        """Allow ``count`` more new cards today (Anki's "increase today's limit") and
        go on with the next card."""
        self._recorder().add_extra_new(count)
        return self.next()

    def reload(self, card_id: str) -> Step:
        """The same card again (after its deck file was edited), or the next one if it
        is gone or can no longer be drawn."""
        card = self._recorder().card(card_id)
        if card is None or card.retired:
            return self.next()
        return self._again(card)

    def _again(self, card: CardView) -> Step:
        """``card`` shown again, or — when it can no longer be drawn — buried and the
        next step, with a note saying so."""
        try:
            return self.prompt_for(card)
        except CannotDraw as exc:
            self.queue.bury(card.id)
            step = self.next()
            return replace(step, skipped=(Undrawable.of(card, exc), *step.skipped))
