"""The cells of an interview report that its two forms (a terminal's text and the
markdown document) write alike: when, where, how long, what verdict, what to study."""

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


def result(a: AnswerRecord) -> str:
    """``self-scored`` for an open answer, else the verdict mark."""
    return "self-scored" if a.kind == "open" else verdict_mark(a.verdict)


def answer_time(report: InterviewReport, a: AnswerRecord) -> str:
    """The time an answer took, marked when it went over the budget."""
    return format_clock(a.seconds) + (" (over)" if report.overtime(a) else "")
