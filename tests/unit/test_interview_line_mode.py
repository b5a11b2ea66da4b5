"""``interview --plain`` shows a card the way ``study --plain`` does: math as Unicode."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

from quizapp.cli.interview import run_interview
from quizapp.cli.plain import LineIO
from quizapp.store.db import Database
from quizapp.store.sync import sync_decks
from quizapp.study.interview.session import InterviewSession
from quizapp.study.options import InterviewOptions
from quizapp.study.service import StudyService

DECK = Path(__file__).resolve().parents[1] / "tui" / "fixtures" / "study-deck.md"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_questions_and_reference_answers_show_math_as_unicode(db: Database) -> None:
    sync_decks(db, [DECK])
    svc = StudyService(db, now=lambda: NOW)
    session = InterviewSession.start(svc, InterviewOptions(questions=8, seed=3))
    assert {q.card.id for q in session.questions} >= {"tui-conv-size", "tui-cloze/c1"}
    typed: list[str] = []
    for q in session.questions:
        typed += ["1"] if q.kind == "computational" else ["", "2"]
    out = io.StringIO()
    report = run_interview(
        session, LineIO(io.StringIO("\n".join(typed) + "\n"), out), prewarm=False
    )
    assert report is not None and len(report.answers) == 8
    text = out.getvalue()
    # the reference answer of the convolution card, and the cloze question
    assert "o = ⌊(n + 2p - f)/s⌋ + 1" in text
    assert "The LSTM output is […], not oₜ ⊙ cₜ." in text
    assert not re.search(r"\\(frac|lfloor|odot|tanh)\b", text), text
