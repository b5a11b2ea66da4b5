"""Scoring interview answers and the report built from them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quizapp.present.interview_cells import study_command
from quizapp.present.interview_document import report_markdown
from quizapp.present.interview_text import report_text
from quizapp.present.sentences import format_clock
from quizapp.study.interview.report import AnswerRecord, InterviewReport
from quizapp.study.interview.scoring import rating_for_score, score_for_verdict


def test_computational_scores() -> None:
    assert score_for_verdict("correct") == 3
    assert score_for_verdict("wrong") == 0
    assert score_for_verdict("invalid") == 0
    # c right, h wrong: half the parts
    assert score_for_verdict("partial", parts_right=1, parts=2) == 2
    assert score_for_verdict("partial", parts_right=1, parts=3) == 1


def test_self_scores_map_to_fsrs_ratings() -> None:
    assert [rating_for_score(s) for s in (0, 1, 2, 3)] == [1, 2, 3, 4]
    with pytest.raises(KeyError):
        rating_for_score(4)


def test_clock() -> None:
    assert [format_clock(s) for s in (0, 9.9, 61, 600, 3725)] == [
        "0:00",
        "0:09",
        "1:01",
        "10:00",
        "1:02:05",
    ]


def answer(position: int, topic: str, score: int, seconds: float, **kw: object) -> AnswerRecord:
    fields: dict[str, object] = {
        "position": position,
        "card_id": f"card-{position}",
        "topic": topic,
        "kind": "open",
        "prompt": f"Question {position}?",
        "score": score,
        "seconds": seconds,
        "source": "/decks/nlp/rnn.md",
        "line": 10 * position,
    }
    fields.update(kw)
    return AnswerRecord(**fields)  # type: ignore[arg-type]


@pytest.fixture
def report() -> InterviewReport:
    return InterviewReport(
        interview_id=4,
        started_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        finished_at=datetime(2026, 3, 2, 9, 40, tzinfo=UTC),
        planned=5,
        budget_seconds=90.0,
        topics=("RNN", "CNN", "Attention"),
        reschedule=False,
        answers=(
            answer(1, "CNN", 3, 30),
            answer(
                2,
                "RNN",
                0,
                125,
                kind="computational",
                prompt="nn.GRU(8, 16) | how many parameters?",
                answer="1200",
                verdict="wrong",
                truth="1,248",
            ),
            answer(3, "RNN", 2, 40),
            answer(4, "CNN", 1, 100),
            answer(
                5,
                "RNN",
                3,
                12,
                kind="computational",
                prompt="conv output?",
                answer="32",
                verdict="correct",
                truth="32",
            ),
        ),
    )


def test_numbers(report: InterviewReport) -> None:
    assert (report.score, report.max_score, report.percent) == (9, 15, 60)
    assert report.seconds == 307
    topics = [(t.topic, t.questions, t.score, t.max_score) for t in report.per_topic()]
    # in the order of the interview's topics; Attention was not asked
    assert topics == [("RNN", 3, 5, 9), ("CNN", 2, 4, 6)]
    assert [a.position for a in report.weakest()] == [2, 4, 3]
    assert [a.position for a in report.weakest(limit=1)] == [2]
    # CNN 4/6 = 67% is not below two thirds; RNN 5/9 = 56% is
    assert [t.topic for t in report.weak_topics()] == ["RNN"]
    assert [report.overtime(a) for a in report.answers] == [False, True, False, True, False]


def test_markdown(report: InterviewReport) -> None:
    md = report_markdown(report)
    lines = md.splitlines()
    assert lines[0] == "# Mock interview — 2026-03-02 09:30"  # local time; the tests run in UTC
    assert "**Score: 9/15 (60%)** · 5 questions" in md
    assert "Time: 5:07 · budget 1:30 per question" in md
    assert "Schedule: unchanged (answers logged as interview reviews)." in md
    assert "| RNN | 3 | 5/9 | 56% | 2:57 |" in lines
    assert "| CNN | 2 | 4/6 | 67% | 2:10 |" in lines
    assert "Attention" not in md.split("## Questions")[0].split("## Score per topic")[1]
    # a | in the question is escaped so the table keeps its columns
    assert (
        "| 2 | nn.GRU(8, 16) \\| how many parameters? | RNN | ✗ wrong | 2:05 (over) | 0/3 |"
        in lines
    )
    assert "| 5 | conv output? | RNN | ✓ correct | 0:12 | 3/3 |" in lines
    assert "| 1 | Question 1? | CNN | self-scored | 0:30 | 3/3 |" in lines
    weakest = md.split("## Weakest cards")[1].split("## What to study next")[0]
    assert weakest.strip().splitlines() == [
        "- **nn.GRU(8, 16) \\| how many parameters?** — 0/3, 2:05 (over) (RNN, `rnn.md:20`)",
        "  - typed `1200`; the answer is `1,248`",
        "- **Question 4?** — 1/3, 1:40 (over) (CNN, `rnn.md:40`)",
        "- **Question 3?** — 2/3, 0:40 (RNN, `rnn.md:30`)",
    ]
    study = md.split("## What to study next")[1].strip().splitlines()
    assert study == ["- RNN (5/9): `quizapp study --topic RNN`"]
    assert md.endswith("\n")


def test_stopped_and_perfect_reports(report: InterviewReport) -> None:
    from dataclasses import replace

    perfect = replace(
        report,
        answers=(answer(1, "CNN", 3, 10), answer(2, "RNN", 3, 10)),
        reschedule=True,
        budget_seconds=None,
    )
    md = report_markdown(perfect)
    assert "**Score: 6/6 (100%)** · 2 of 5 questions answered" in md
    assert "Time: 0:20\n" in md
    assert "Schedule: answers rescheduled the cards (--reschedule)." in md
    assert "None: every answer scored 3/3." in md
    assert "Every topic scored at least 2/3 per question" in md
    text = report_text(perfect)
    assert "none: every answer scored 3/3" in text


def test_terminal_text(report: InterviewReport) -> None:
    text = report_text(report)
    lines = text.splitlines()
    assert lines[0] == "Mock interview — 2026-03-02 09:30"
    assert lines[1] == ("Score: 9/15 (60%) · 5 of 5 questions · 5:07 (budget 1:30 per question)")
    assert "  topic  questions  score  %    time" in lines
    assert "  RNN    3          5/9    56%  2:57" in lines
    assert any(
        line.startswith("  2  nn.GRU(8, 16) | how many") and "2:05 (over)" in line for line in lines
    )
    assert "        the answer is 1,248" in lines
    assert "  quizapp study --topic RNN    # 5/9" in lines


def test_study_command_quotes_for_the_shell() -> None:
    assert study_command("RNN") == "quizapp study --topic RNN"
    assert (
        study_command("CNN & TextCNN › Basics") == "quizapp study --topic 'CNN & TextCNN › Basics'"
    )
    assert study_command("it's") == "quizapp study --topic 'it'\"'\"'s'"


def test_the_tolerance_is_said_under_the_answer_not_in_the_question_cell(
    report: InterviewReport,
) -> None:
    from dataclasses import replace

    from quizapp.deckfile.quiz import QuizSpec
    from quizapp.grading.grade import render_question, tolerance_note

    quiz = QuizSpec("kv_cache_bytes", "KV cache of {seq} tokens: bytes?", (), None, None)
    asked = render_question(quiz, {"seq": 4096})
    note = tolerance_note(quiz)
    assert note.startswith("within ±1 %") and asked.endswith(f"({note})")
    kv = answer(
        2,
        "RNN",
        0,
        50,
        kind="computational",
        prompt=asked,
        answer="1",
        verdict="wrong",
        truth="536,870,912 bytes (512 MiB)",
    )
    r = replace(report, answers=(report.answers[0], kv))
    md = report_markdown(r)
    assert "| 2 | KV cache of 4096 tokens: bytes? | RNN | ✗ wrong | 0:50 | 0/3 |" in md
    weakest = md.split("## Weakest cards")[1].split("## What to study next")[0]
    assert weakest.strip().splitlines()[:3] == [
        "- **KV cache of 4096 tokens: bytes?** — 0/3, 0:50 (RNN, `rnn.md:20`)",
        "  - typed `1`; the answer is `536,870,912 bytes (512 MiB)`",
        f"  - {note}",
    ]
    lines = report_text(r).splitlines()
    [row] = [line for line in lines if line.startswith("  2  KV cache of 4096 tokens: bytes? ")]
    assert row.split() == ["2", "KV", "cache", "of", "4096", "tokens:", "bytes?", "✗", "wrong",
                           "0:50", "0/3"]  # fmt: skip
    assert f"        {note}" in lines
    assert sum(note in line for line in lines) == 1
