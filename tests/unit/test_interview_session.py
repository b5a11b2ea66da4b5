"""A running interview on a real SQLite file: answers, the review log, the schedule,
the stored interview and the history; and the line mode driven through text streams."""

from __future__ import annotations

import io
import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_rows, card_row
from sqlalchemy import select

from quizapp.cli.interview import run_interview
from quizapp.cli.plain import LineIO
from quizapp.deckfile.types import QuizSpec
from quizapp.present.interview_document import report_markdown
from quizapp.present.interview_text import history_text
from quizapp.store.convert import quiz_to_json
from quizapp.store.db import Database
from quizapp.store.schema import Card, Interview, InterviewAnswer, Review
from quizapp.study.interview.history import list_interviews
from quizapp.study.interview.plan import NothingToAskError
from quizapp.study.interview.session import InterviewSession
from quizapp.study.options import InterviewOptions
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
GRU = QuizSpec(
    "gru_params",
    "nn.GRU(input_size={m}, hidden_size={n}) has how many parameters?",
    {"m": ("fixed", 8), "n": ("fixed", 16)},
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def add(db: Database, card_id: str, topic: str, *, quiz: QuizSpec | None = None) -> None:
    add_rows(
        db,
        card_row(
            card_id,
            at=NOW,
            deck="Deck",
            topic=[topic],
            front=f"Explain {card_id}",
            back=f"The answer about {card_id}.",
            kind="quiz" if quiz else "basic",
            quiz=quiz_to_json(quiz),
            parent="gru" if quiz else None,
            source="/decks/deck.md",
            line=7,
        ),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(db: Database, clock: Clock) -> StudyService:
    add(db, "gru", "RNN")
    add(db, "gru/quiz-1", "RNN", quiz=GRU)
    add(db, "conv", "CNN")
    return StudyService(db, now=clock, settings=StudySettings(enable_fuzzing=False))


def schedule(db: Database) -> dict[str, tuple[object, ...]]:
    with db.session(write=False) as s:
        return {
            c.id: (c.state, c.due, c.stability, c.difficulty, c.last_review, c.reviews)
            for c in s.scalars(select(Card))
        }


def by_card(session: InterviewSession) -> dict[str, object]:
    return {q.card.id: q for q in session.questions}


def test_answers_are_logged_without_touching_the_schedule(
    db: Database, svc: StudyService, clock: Clock
) -> None:
    before = schedule(db)
    session = InterviewSession.start(svc, InterviewOptions(questions=3, minutes=6, seed=1))
    assert len(session.questions) == 3 and session.budget_seconds == 120
    assert set(session.topics) == {"Deck › RNN", "Deck › CNN"}
    q = {q.card.id: q for q in session.questions}
    assert session.prompt(q["gru/quiz-1"]) == (
        "nn.GRU(input_size=8, hidden_size=16) has how many parameters?\n\n(exact answer)"
    )
    assert session.params(q["gru/quiz-1"]) == {
        "m": 8,
        "n": 16,
        "layers": 1,
        "bidirectional": 0,
        "bias": 1,
    }

    right = session.answer_computational(q["gru/quiz-1"], "3*(16*8 + 16*16 + 2*16)", 8.0)
    assert (right.score, right.verdict, right.truth) == (3, "correct", "1,248")
    assert right.derivation
    clock.now += timedelta(minutes=3)
    open_answer = session.answer_open(q["conv"], 1, 150.0)
    assert session.overtime(150.0) and not session.overtime(8.0)
    assert [q.card.id for q in session.remaining] == ["gru"]

    # committed as they were given: reviews of kind "interview", schedule untouched
    assert schedule(db) == before
    with db.session(write=False) as s:
        reviews = {r.card_id: r for r in s.scalars(select(Review))}
        answers = {a.card_id: a for a in s.scalars(select(InterviewAnswer))}
    assert set(reviews) == {"gru/quiz-1", "conv"}
    assert all(
        r.kind == "interview" and not r.scheduled and r.prev is None for r in reviews.values()
    )
    # correct in 8 s: the grader's "Easy"; self-score 1: "Hard"
    assert (reviews["gru/quiz-1"].rating, reviews["gru/quiz-1"].auto) == (4, True)
    assert (reviews["conv"].rating, reviews["conv"].auto) == (2, False)
    assert reviews["gru/quiz-1"].answer == "3*(16*8 + 16*16 + 2*16)"
    assert reviews["gru/quiz-1"].verdict == "correct"
    assert reviews["conv"].duration_ms == 150_000
    assert answers["gru/quiz-1"].review_id == right.review_id == reviews["gru/quiz-1"].id
    assert answers["conv"].review_id == open_answer.review_id
    assert (answers["conv"].score, answers["conv"].seconds) == (1, 150.0)
    assert answers["gru/quiz-1"].params == {
        "m": 8,
        "n": 16,
        "layers": 1,
        "bidirectional": 0,
        "bias": 1,
    }

    # an interview not finished yet is listed with what was answered
    (listed,) = list_interviews(db)
    assert (listed.answered, listed.questions, listed.score, listed.finished_at) == (2, 3, 4, None)

    clock.now += timedelta(minutes=1)
    session.answer_open(q["gru"], 3, 30.0)
    report = session.finish(report_markdown)
    assert report is not None
    assert (report.score, report.max_score, report.percent) == (7, 9, 78)
    assert session.finish(report_markdown) is report
    with db.session(write=False) as s:
        row = s.scalars(select(Interview)).one()
        assert (row.score, row.max_score, row.questions, row.minutes) == (7.0, 9.0, 3, 6.0)
        assert row.finished_at == NOW + timedelta(minutes=4)
        assert row.report is not None and "**Score: 7/9 (78%)** · 3 questions" in row.report
        assert row.reschedule is False
    assert schedule(db) == before


def test_reschedule_moves_the_cards(db: Database, svc: StudyService) -> None:
    before = schedule(db)
    session = InterviewSession.start(
        svc, InterviewOptions(questions=1, topics=("cnn",), reschedule=True)
    )
    (q,) = session.questions
    assert (q.card.id, q.topic, session.topics) == ("conv", "cnn", ("cnn",))
    assert session.budget_seconds == 120  # the default: two minutes a question
    session.answer_open(q, 2, 20.0)
    after = schedule(db)
    assert after["conv"] != before["conv"]
    assert after["conv"][0] == 1 and after["conv"][-1] == 1  # learning, one review
    assert {k: v for k, v in after.items() if k != "conv"} == {
        k: v for k, v in before.items() if k != "conv"
    }
    with db.session(write=False) as s:
        (review,) = s.scalars(select(Review))
    assert (review.kind, review.scheduled, review.rating) == ("interview", True, 3)


def test_stopping_before_any_answer_forgets_the_interview(db: Database, svc: StudyService) -> None:
    session = InterviewSession.start(svc, InterviewOptions(questions=2))
    assert len(list_interviews(db)) == 1
    assert session.finish(report_markdown) is None
    assert list_interviews(db) == []


def test_nothing_to_ask(svc: StudyService) -> None:
    with pytest.raises(NothingToAskError, match="no cards to ask about in Vision"):
        InterviewSession.start(svc, InterviewOptions(topics=("Vision",)))


def test_history_lists_scores_over_time(db: Database, svc: StudyService, clock: Clock) -> None:
    assert history_text([]) == "No interviews yet. Start one with `quizapp interview`."
    for scores in ((1, 2), (3, 2), (3,)):
        session = InterviewSession.start(
            svc, InterviewOptions(questions=2, topics=("RNN", "CNN"), seed=4)
        )
        opens = [q for q in session.questions if q.kind == "open"]
        for q, score in zip(opens, scores, strict=False):
            session.answer_open(q, score, 10.0)
        if len(scores) == 2:
            session.finish(report_markdown)
        clock.now += timedelta(days=1)
    items = list_interviews(db)
    assert [(i.score, i.max_score, i.percent) for i in items] == [
        (3, 6, 50),
        (5, 6, 83),
        (3, 3, 100),
    ]
    lines = history_text(items).splitlines()
    assert lines[0].split() == ["#", "date", "answered", "score", "%", "topics"]
    assert lines[1].split() == ["1", "2026-01-01", "12:00", "2/2", "3/6", "50%", "RNN,", "CNN"]
    assert lines[3].split()[:5] == ["3", "2026-01-03", "12:00", "(stopped)", "1/2"]
    assert lines[-1] == "Scores over time: 50% → 83% → 100%"


def ticking(step: float) -> itertools.count[float]:
    return itertools.count(0.0, step)


def test_line_mode_marks_overtime_and_stops_on_q(db: Database, svc: StudyService) -> None:
    session = InterviewSession.start(
        svc, InterviewOptions(questions=3, minutes=3, topics=("CNN", "RNN"), seed=2)
    )
    order = [q.card.id for q in session.questions]
    replies = {"gru/quiz-1": ["1,000"], "conv": ["", "0"], "gru": ["", "2"]}
    typed = [line for card in order[:2] for line in replies[card]] + ["q"]
    out = io.StringIO()
    steps = ticking(45.0)  # every clock reading is 45 s after the last
    report = run_interview(
        session,
        LineIO(io.StringIO("\n".join(typed) + "\n"), out),
        clock=lambda: next(steps),
        prewarm=False,
    )
    text = out.getvalue()
    assert text.startswith("Mock interview: 3 questions, 1:00 per question. Type q at any prompt")
    assert "time: 0:45 of 1:00\n" in text
    headers = [line for line in text.splitlines() if re.match(r"\[\d/3\] ", line)]
    assert [line.split(" · ")[0] for line in headers] == [
        f"[{i}/3] {q.topic}" for i, q in enumerate(session.questions, start=1)
    ]
    assert "Interview stopped after 2 of 3 questions." in text
    assert report is not None and [a.card_id for a in report.answers] == order[:2]
    shown = {
        "gru/quiz-1": ["✗ wrong — 1,000 is not right", "answer: 1,248"],
        "conv": ["The answer about conv."],
        "gru": ["The answer about gru."],
    }
    for card in order[:2]:
        assert all(line in text for line in shown[card])
    # the third question was asked, not answered
    assert session.prompt(session.questions[2]) in text
    assert not any(line in text for line in shown[order[2]])
    scores = {"gru/quiz-1": 0, "conv": 0, "gru": 2}
    assert re.findall(r"saved: \d/3", text) == [f"saved: {scores[card]}/3" for card in order[:2]]


def test_line_mode_overtime(db: Database, svc: StudyService) -> None:
    session = InterviewSession.start(svc, InterviewOptions(questions=1, minutes=1, topics=("CNN",)))
    out = io.StringIO()
    steps = ticking(75.0)
    run_interview(
        session, LineIO(io.StringIO("\n7\n3\n"), out), clock=lambda: next(steps), prewarm=False
    )
    text = out.getvalue()
    assert "time: 1:15 of 1:00 — overtime" in text
    assert "type 0, 1, 2 or 3 (or q to stop)" in text
    assert "saved: 3/3" in text


def test_a_partly_right_answer(db: Database, svc: StudyService) -> None:
    weights = dict.fromkeys(("wi", "wf", "wg", "wo", "ui", "uf", "ug", "uo"), ("fixed", 0.5))
    biases = dict.fromkeys(("bi", "bf", "bg", "bo"), ("fixed", 0.0))
    lstm = QuizSpec(
        "lstm_step",
        "One LSTM step from x={x}, h={h}, c={c}: c and h?",
        {"x": ("fixed", 1.0), "h": ("fixed", 0.0), "c": ("fixed", 0.0), **weights, **biases},
    )
    add(db, "lstm/quiz-1", "LSTM", quiz=lstm)
    session = InterviewSession.start(svc, InterviewOptions(questions=1, topics=("LSTM",)))
    (q,) = session.questions
    # i = o = σ(0.5) = 0.6225, g = tanh(0.5) = 0.4621: c = i·g = 0.2876, h = o·tanh(c) = 0.1743
    record = session.answer_computational(q, "c=0.29, h=0.5", 30.0)
    assert (record.verdict, record.score, record.truth) == ("partial", 2, "c = 0.2876, h = 0.1743")
    with db.session(write=False) as s:
        (review,) = s.scalars(select(Review))
    assert (review.rating, review.verdict) == (2, "partial")  # Hard


def test_too_few_cards_for_the_questions_asked(db: Database, svc: StudyService) -> None:
    session = InterviewSession.start(svc, InterviewOptions(questions=10, minutes=12))
    assert (len(session.questions), session.requested) == (3, 10)
    assert session.budget_seconds == 240  # the time is shared by the questions there are
    out = io.StringIO()
    run_interview(session, LineIO(io.StringIO("q\n"), out), prewarm=False)
    assert "(only 3 cards to ask about, not 10)" in out.getvalue()
