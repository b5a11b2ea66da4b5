"""The cells of an interview report that its two forms (a terminal's text and the
markdown document) write alike: when, where, what was asked, how long, what verdict,
what to study."""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path

from quizapp.present.labels import verdict_mark
from quizapp.present.sentences import format_clock
from quizapp.study.interview.report import AnswerRecord, InterviewReport


def study_command(topic: str) -> str:
    """The command that studies ``topic``, quoted for a shell."""
    return f"quizapp study --topic {shlex.quote(topic)}"


def local_time(when: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in the user's time zone."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def where(a: AnswerRecord) -> str:
    """``deck.md:LINE`` of the card an answer was about."""
    return f"{Path(a.source).name}:{a.line}"


def question(a: AnswerRecord) -> str:
    """The question an answer was about, for a table cell: a computational one without
    its closing note of how close an answer had to be (see :func:`tolerance`)."""
    return _question_and_note(a)[0]


def tolerance(a: AnswerRecord) -> str | None:
    """How close a computational answer had to be (``within ±1 % counts as right; …``),
    as the question said it; None for an open question."""
    return _question_and_note(a)[1]


def _question_and_note(a: AnswerRecord) -> tuple[str, str | None]:
    # a computational question is asked as "ask\n\n(note)" (grading.grade.render_question)
    if a.kind == "computational":
        ask, paragraph, note = a.prompt.rpartition("\n\n(")
        if paragraph and ask.strip() and note.endswith(")"):
            return ask, note[:-1]
    return a.prompt, None


def result(a: AnswerRecord) -> str:
    """``self-scored`` for an open answer, else the verdict mark."""
    return "self-scored" if a.kind == "open" else verdict_mark(a.verdict)


def answer_time(report: InterviewReport, a: AnswerRecord) -> str:
    """The time an answer took, marked when it went over the budget."""
    return format_clock(a.seconds) + (" (over)" if report.overtime(a) else "")
