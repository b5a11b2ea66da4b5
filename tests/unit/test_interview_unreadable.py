"""An interview answer that cannot be read is no wrong answer: it is asked again."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from quizapp.cli.interview import run_interview
from quizapp.cli.plain import LineIO
from quizapp.store.db import Database
from quizapp.store.sync import sync_decks
from quizapp.study.interview.session import InterviewSession, Unreadable
from quizapp.study.options import InterviewOptions
from quizapp.study.service import StudyService

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
DECK = """# Sizes

## GRU parameters {#gru}

Three gates' worth: 3(nm + n² + 2n).

```quiz
model: gru_params
ask: "How many parameters has nn.GRU({m}, {n})?"
params: {m: [32], n: [64]}
```
"""


def _session(db: Database, tmp_path: Path) -> InterviewSession:
    deck = tmp_path / "sizes.md"
    deck.write_text(DECK, encoding="utf-8")
    sync_decks(db, [deck])
    svc = StudyService(db, now=lambda: NOW)
    return InterviewSession.start(svc, InterviewOptions(questions=2, seed=1))


def test_a_missing_bracket_is_asked_again_and_the_fixed_answer_graded(
    db: Database, tmp_path: Path
) -> None:
    session = _session(db, tmp_path)
    kinds = [q.kind for q in session.questions]
    typed: list[str] = []
    for kind in kinds:
        # The computational question: a ')' missing first, then the fixed answer.
        typed += ["3*(32*64+64*64+2*64", "3*(32*64+64*64+2*64)"] if kind != "open" else ["", "2"]
    out = io.StringIO()
    report = run_interview(
        session, LineIO(io.StringIO("\n".join(typed) + "\n"), out), prewarm=False
    )
    text = out.getvalue()
    assert "? cannot read your answer" in text
    assert "you typed: 3*(32*64+64*64+2*64\n" in text
    assert report is not None
    computed = [a for a in report.answers if a.kind == "computational"]
    assert [a.verdict for a in computed] == ["correct"]
    assert [a.answer for a in computed] == ["3*(32*64+64*64+2*64)"]


def test_an_unreadable_answer_is_not_stored(db: Database, tmp_path: Path) -> None:
    session = _session(db, tmp_path)
    q = next(q for q in session.questions if q.kind == "computational")
    outcome = session.answer_computational(q, "4*64*64+", 3.0)
    assert isinstance(outcome, Unreadable) and outcome.problem
    assert session.answers == [] or all(a.card_id != q.card.id for a in session.answers)
