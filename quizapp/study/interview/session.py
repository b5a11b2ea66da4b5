"""A running interview: its questions and budget, each answer committed at once."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from quizapp.store.interviews import create_interview, finish_interview, forget_interview
from quizapp.store.reviews import InterviewAnswerRow
from quizapp.study.engine import CannotDraw, Drawn, Undrawable, draw_card, grade_drawn
from quizapp.study.interview.plan import NothingToAskError, Question, plan_interview
from quizapp.study.interview.report import AnswerRecord, InterviewReport
from quizapp.study.interview.scoring import RATING_FOR_SCORE, rating_for_score, score_for_verdict
from quizapp.study.options import InterviewOptions
from quizapp.study.service import StudyService

DEFAULT_MINUTES_PER_QUESTION = 2.0


@dataclass(frozen=True)
class Unreadable:
    """A typed answer that cannot be read as one: ``problem`` says why."""

    typed: str
    problem: str


class InterviewSession:
    """One interview in progress: its questions, budget and the answers so far.

    Not thread-safe: an interface calls it from one thread at a time (the app from its
    worker threads, one after another).
    """

    def __init__(
        self,
        service: StudyService,
        interview_id: int,
        questions: Sequence[Question],
        drawn: Mapping[int, Drawn],
        *,
        started_at: datetime,
        budget_seconds: float | None,
        topics: Sequence[str],
        reschedule: bool,
        requested: int | None = None,
        skipped: Sequence[Undrawable] = (),
    ) -> None:
        self.service = service
        self.interview_id = interview_id
        self.questions = tuple(questions)
        self._drawn = dict(drawn)
        self.started_at = started_at
        self.budget_seconds = budget_seconds
        self.topics = tuple(topics)
        self.reschedule = reschedule
        #: questions asked for (more than :attr:`questions` when too few cards match)
        self.requested = requested if requested is not None else len(self.questions)
        #: the planned cards left out because they cannot be drawn
        self.skipped = tuple(skipped)
        self.answers: list[AnswerRecord] = []
        self.report: InterviewReport | None = None

    @classmethod
    def start(cls, service: StudyService, options: InterviewOptions) -> InterviewSession:
        """Plan an interview, draw the parameters of its computational questions and
        store its ``interviews`` row. Raises :class:`NothingToAskError` when no card
        matches the options' topics."""
        questions, topics = options.questions, list(options.topics) or None
        rng = random.Random(options.seed)
        planned = plan_interview(service, questions=questions, topics=topics, rng=rng)
        kept: list[Question] = []
        drawn: dict[int, Drawn] = {}
        skipped: list[Undrawable] = []
        for q in planned:
            try:
                drawn[len(kept) + 1] = draw_card(q.card, rng)
            except CannotDraw as exc:
                # A block `quizapp lint` reports: say so and ask the other questions.
                skipped.append(Undrawable.of(q.card, exc))
                continue
            kept.append(Question(len(kept) + 1, q.card, q.topic, q.weight, q.weakness))
        if not kept:
            what = ", ".join(topics) if topics else "the configured decks"
            raise NothingToAskError(f"no cards to ask about in {what}")
        minutes = options.minutes
        if minutes is None:
            minutes = DEFAULT_MINUTES_PER_QUESTION * len(kept)
        chosen = list(topics) if topics else sorted({q.topic for q in kept})
        now = service.now()
        interview_id = create_interview(
            service.db,
            started_at=now,
            questions=len(kept),
            minutes=minutes,
            topics=chosen,
            reschedule=options.reschedule,
        )
        return cls(
            service,
            interview_id,
            kept,
            drawn,
            started_at=now,
            budget_seconds=minutes * 60 / len(kept),
            topics=chosen,
            reschedule=options.reschedule,
            requested=questions,
            skipped=skipped,
        )

    def prompt(self, q: Question) -> str:
        """The question as shown (computational ones with their drawn parameters)."""
        return self._drawn[q.position].question

    def answer(self, q: Question) -> str:
        """The reference answer of an open question (markdown)."""
        return self._drawn[q.position].answer

    def params(self, q: Question) -> dict[str, object] | None:
        """The drawn parameters of a computational question."""
        return self._drawn[q.position].params

    @property
    def remaining(self) -> list[Question]:
        """Questions not answered yet, in order."""
        done = {a.position for a in self.answers}
        return [q for q in self.questions if q.position not in done]

    def overtime(self, seconds: float) -> bool:
        """Whether ``seconds`` is over the per-question budget."""
        return self.budget_seconds is not None and seconds > self.budget_seconds

    def _store(self, q: Question, rec: AnswerRecord, rating: int, auto: bool) -> AnswerRecord:
        # Saved in the review's own transaction: a crash keeps both rows or neither.
        row = InterviewAnswerRow(
            interview_id=self.interview_id,
            position=rec.position,
            card_id=rec.card_id,
            prompt=rec.prompt,
            answer=rec.answer,
            params=rec.params,
            verdict=rec.verdict,
            score=rec.score,
            seconds=rec.seconds,
        )
        review = self.service.review(
            q.card.id,
            rating,
            duration_ms=int(rec.seconds * 1000),
            answer=rec.answer,
            params=rec.params,
            verdict=rec.verdict,
            auto=auto,
            kind="interview",
            reschedule=self.reschedule,
            attach=row,
        )
        stored = replace(rec, review_id=review.id)
        self.answers.append(stored)
        return stored

    def _record(self, q: Question, score: int, seconds: float) -> AnswerRecord:
        return AnswerRecord(
            position=q.position,
            card_id=q.card.id,
            topic=q.topic,
            kind=q.kind,
            prompt=self.prompt(q),
            score=score,
            seconds=seconds,
            source=q.card.source,
            line=q.card.line,
        )

    def answer_open(self, q: Question, score: int, seconds: float) -> AnswerRecord:
        """Store the self-score (0–3) of an open question; committed when it returns."""
        if score not in RATING_FOR_SCORE:
            raise ValueError(f"a self-score is 0-3, not {score!r}")
        return self._store(q, self._record(q, score, seconds), rating_for_score(score), False)

    def answer_computational(
        self, q: Question, typed: str, seconds: float
    ) -> AnswerRecord | Unreadable:
        """Grade what was typed for a computational question (runs the reference model:
        imports torch the first time) and store it; committed when it returns.

        Text that cannot be read as an answer (a ')' missing, a name) is no wrong
        answer: nothing is stored and :class:`Unreadable` says what is wrong, so the
        front-end can have it fixed."""
        drawn = self._drawn[q.position]
        if q.kind != "computational" or drawn.params is None:
            raise ValueError(f"question {q.position} is not computational")
        graded = grade_drawn(drawn, typed, seconds)
        if graded.needs_fix:
            return Unreadable(typed, graded.grade.verdict.message)
        verdict = graded.grade.verdict
        parts = len(verdict.details) or 1
        right = sum(1 for d in verdict.details if d.status == "correct")
        rec = replace(
            self._record(q, score_for_verdict(verdict.status, right, parts), seconds),
            answer=typed,
            params=dict(drawn.params),
            verdict=verdict.status,
            message=verdict.message,
            truth=graded.grade.truth_text,
            derivation=graded.grade.derivation,
        )
        return self._store(q, rec, graded.suggested, True)

    def finish(self, document: Callable[[InterviewReport], str]) -> InterviewReport | None:
        """Store the score and the report, written as ``document`` writes it (the
        markdown ``--report-of`` gives back later); None (and the interview forgotten)
        when no question was answered."""
        if self.report is not None:
            return self.report
        if not self.answers:
            forget_interview(self.service.db, self.interview_id)
            return None
        report = InterviewReport(
            interview_id=self.interview_id,
            started_at=self.started_at,
            finished_at=self.service.now(),
            planned=len(self.questions),
            budget_seconds=self.budget_seconds,
            topics=self.topics,
            reschedule=self.reschedule,
            answers=tuple(sorted(self.answers, key=lambda a: a.position)),
        )
        finish_interview(
            self.service.db,
            self.interview_id,
            finished_at=report.finished_at,
            score=report.score,
            max_score=report.max_score,
            report=document(report),
        )
        self.report = report
        return report
