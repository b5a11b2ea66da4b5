"""The interview report as a markdown document (stored, and written by ``--report``)."""

from __future__ import annotations

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
from quizapp.study.interview.scoring import MAX_SCORE


def _one_line(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _md_cell(text: str) -> str:
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def _md_code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def report_markdown(report: InterviewReport) -> str:
    """The report as a markdown document (what ``--report FILE`` writes); control
    characters from deck text are made visible, so ``cat``-ing the file is safe."""
    r = report
    lines = [f"# Mock interview — {local_time(r.started_at)}", ""]
    answered = f"{len(r.answers)} of {r.planned} questions answered"
    if len(r.answers) == r.planned:
        answered = f"{r.planned} questions"
    lines.append(f"**Score: {r.score}/{r.max_score} ({r.percent}%)** · {answered}")
    lines.append("")
    budget = f" · budget {format_clock(r.budget_seconds)} per question" if r.budget_seconds else ""
    lines.append(f"Time: {format_clock(r.seconds)}{budget}")
    lines.append("")
    lines.append(
        "Schedule: answers rescheduled the cards (--reschedule)."
        if r.reschedule
        else "Schedule: unchanged (answers logged as interview reviews)."
    )
    lines += ["", "## Score per topic", "", "| topic | questions | score | % | time |"]
    lines.append("|---|---:|---:|---:|---:|")
    for t in r.per_topic():
        lines.append(
            f"| {_md_cell(t.topic)} | {t.questions} | {t.score}/{t.max_score} "
            f"| {round(100 * t.share)}% | {format_clock(t.seconds)} |"
        )
    lines += ["", "## Questions", "", "| # | question | topic | result | time | score |"]
    lines.append("|---:|---|---|---|---:|---:|")
    for a in r.answers:
        lines.append(
            f"| {a.position} | {_md_cell(question(a))} | {_md_cell(a.topic)} | {result(a)} "
            f"| {answer_time(r, a)} | {a.score}/{MAX_SCORE} |"
        )
    lines += ["", "## Weakest cards", ""]
    weakest = r.weakest()
    if not weakest:
        lines.append("None: every answer scored 3/3.")
    for a in weakest:
        lines.append(
            f"- **{_md_cell(question(a))}** — {a.score}/{MAX_SCORE}, {answer_time(r, a)} "
            f"({_md_cell(a.topic)}, {_md_code(where(a))})"
        )
        if a.kind == "computational" and a.truth is not None:
            typed = _md_code(a.answer.strip()) if a.answer and a.answer.strip() else "nothing"
            lines.append(f"  - typed {typed}; the answer is {_md_code(a.truth)}")
            note = tolerance(a)
            if note:
                lines.append(f"  - {note}")
    lines += ["", "## What to study next", ""]
    weak_topics = r.weak_topics()
    for t in weak_topics:
        lines.append(
            f"- {_md_cell(t.topic)} ({t.score}/{t.max_score}): {_md_code(study_command(t.topic))}"
        )
    if not weak_topics:
        lines.append(
            "Every topic scored at least 2/3 per question: keep up the daily "
            f"{_md_code('quizapp study')}."
        )
    return visible("\n".join(lines) + "\n")
