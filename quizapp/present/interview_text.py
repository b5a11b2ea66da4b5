"""The interview report and the history of interviews for a terminal: aligned columns
measured by display width (a CJK character takes two columns), no markdown."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizapp.present.interview_cells import (
    answer_time,
    local_time,
    question,
    result,
    study_command,
    tolerance,
    where,
)
from quizapp.present.safe import visible
from quizapp.present.sentences import format_clock
from quizapp.study.interview.report import InterviewReport

if TYPE_CHECKING:
    from quizapp.study.interview.history import InterviewSummary


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    if _width(flat) <= width:
        return flat
    out = ""
    for ch in flat:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def report_text(report: InterviewReport) -> str:
    """The report for a terminal: aligned columns, no markdown."""
    r = report
    lines = [f"Mock interview — {local_time(r.started_at)}"]
    lines.append(
        f"Score: {r.score}/{r.max_score} ({r.percent}%) · {len(r.answers)} of {r.planned} "
        f"questions · {format_clock(r.seconds)}"
        + (f" (budget {format_clock(r.budget_seconds)} per question)" if r.budget_seconds else "")
    )
    lines += ["", "Per topic:"]
    rows = [["topic", "questions", "score", "%", "time"]]
    rows += [
        [
            _clip(t.topic, 48),
            str(t.questions),
            f"{t.score}/{t.max_score}",
            f"{round(100 * t.share)}%",
            format_clock(t.seconds),
        ]
        for t in r.per_topic()
    ]
    lines += ["  " + row for row in _table(rows)]
    lines += ["", "Questions:"]
    rows = [["#", "question", "result", "time", "score"]]
    rows += [
        [str(a.position), _clip(question(a), 48), result(a), answer_time(r, a), f"{a.score}/3"]
        for a in r.answers
    ]
    lines += ["  " + row for row in _table(rows)]
    lines += ["", "Weakest cards:"]
    weakest = r.weakest()
    if not weakest:
        lines.append("  none: every answer scored 3/3")
    for a in weakest:
        lines.append(f"  {a.score}/3  {_clip(question(a), 60)}  ({where(a)})")
        if a.kind == "computational" and a.truth is not None:
            lines.append(f"        the answer is {a.truth}")
            note = tolerance(a)
            if note:
                lines.append(f"        {' '.join(note.split())}")
    lines += ["", "Study next:"]
    weak_topics = r.weak_topics()
    for t in weak_topics:
        lines.append(f"  {study_command(t.topic)}    # {t.score}/{t.max_score}")
    if not weak_topics:
        lines.append("  every topic scored at least 2/3 per question; keep up `quizapp study`")
    return visible("\n".join(lines))


def history_text(items: Sequence[InterviewSummary]) -> str:
    """Past interviews as aligned lines, with the trend of their scores."""
    if not items:
        return "No interviews yet. Start one with `quizapp interview`."
    rows = [["#", "date", "answered", "score", "%", "topics"]]
    for it in items:
        topics = ", ".join(it.topics)
        rows.append(
            [
                str(it.id),
                local_time(it.started_at) + ("" if it.finished_at else " (stopped)"),
                f"{it.answered}/{it.questions}",
                f"{it.score}/{it.max_score}",
                f"{it.percent}%",
                _clip(topics, 50),
            ]
        )
    lines = _table(rows)
    scored = [it.percent for it in items if it.answered]
    if len(scored) >= 2:
        lines += ["", "Scores over time: " + " → ".join(f"{p}%" for p in scored[-10:])]
    return visible("\n".join(lines))
