"""The interview screen, driven with real key presses through Textual's Pilot."""

from __future__ import annotations

import asyncio
import html
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, SelectionList, Static

from quizapp.store.db import Database, open_db
from quizapp.study.options import InterviewOptions
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.interview_report import InterviewReportScreen
from quizapp.tui.screens.interview_setup import InterviewSetupScreen
from quizapp.tui.widgets.card_markdown import CardMarkdown

DECK = """\
# Screen fixture

## RNN

### How many parameters does a GRU have?

Three gates' worth: $3(nm + n^2 + 2n)$.

```quiz
model: gru_params
ask: "nn.GRU(input_size={m}, hidden_size={n}) has how many parameters?"
params: {m: 8, n: 16}
```

## CNN

### Markup stays text: [bold]x[/bold]

Press [@click=app.quit]not a link[/] or read [bold]not bold[/bold].

```quiz
model: conv_output
ask: "Input {n}x{n}, kernel {f}x{f}, padding {p}, stride {s}: output side?"
params: {n: 32, f: 3, p: 1, s: 1}
```
"""
TYPED = {"nn.GRU": "1248", "Input 32x32": "31"}


class FakeClock:
    """What the screen times questions with; the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Database, Path]:
    deck = tmp_path / "screen.md"
    deck.write_text(DECK, encoding="utf-8")
    return open_db(f"sqlite:///{tmp_path / 'q.db'}"), deck


async def until(pilot: Pilot[None], check: object, timeout: float = 60.0) -> None:
    """Let the app run until ``check()`` holds (workers, grading and torch included)."""
    assert callable(check)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.05)


def text_of(screen: InterviewScreen, selector: str) -> str:
    content = screen.query_one(selector, Static).content
    return content.plain if hasattr(content, "plain") else str(content)


def on_screen(app: QuizApp) -> str:
    """The text the terminal shows, from a screenshot."""
    svg = app.export_screenshot()
    runs = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape("".join(runs)).replace("\xa0", " ")


def schedules(db_file: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_file) as conn:
        return conn.execute(
            "SELECT id, state, due, stability, reviews FROM cards ORDER BY id"
        ).fetchall()


def test_a_whole_interview(setup: tuple[Database, Path], tmp_path: Path) -> None:
    asyncio.run(a_whole_interview(*setup, tmp_path))


async def a_whole_interview(db: Database, deck: Path, tmp_path: Path) -> None:
    report_file = tmp_path / "report.md"
    app = QuizApp(db, [deck])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        screen = InterviewScreen(
            InterviewOptions(questions=4, minutes=4, seed=3, report=report_file)
        )
        clock = screen.clock = FakeClock()
        await app.push_screen(screen)
        await until(pilot, lambda: screen.phase in ("question", "typing"))
        before = schedules(tmp_path / "q.db")
        assert len(before) == 4

        seen: list[str] = []
        overtime_checked = False
        while screen.phase != "report":
            await until(pilot, lambda: screen.phase in ("question", "typing", "report"))
            if screen.phase == "report":
                break
            position = len(seen) + 1
            progress = text_of(screen, "#iv-progress")
            assert progress.startswith(f"Question {position} of 4 · ")
            assert " · Screen fixture › " in progress
            question = screen.query_one("#question", CardMarkdown).source
            seen.append(question)
            assert text_of(screen, "#iv-timer") == "⏱ 0:00 of 1:00"
            if screen.phase == "typing":
                assert "of 4 · compute · Screen fixture › " in progress
                typed = next(v for k, v in TYPED.items() if question.startswith(k))
                await pilot.press(*typed, "enter")
                await until(pilot, lambda: screen.phase == "graded")
                verdict = text_of(screen, "#iv-verdict")
                if typed == "1248":
                    assert verdict.startswith("✓ correct — 1,248 is right")
                    assert "score: 3/3 (saved)" in verdict
                else:
                    assert verdict.startswith("✗ wrong — 31 is not right")
                    assert "answer:      32" in verdict
                    assert "score: 0/3 (saved)" in verdict
                await pilot.press("enter")
            else:
                assert "of 4 · open · Screen fixture › " in progress
                assert not screen.query_one("#answer").display
                # scores are not taken before the reference answer is shown
                await pilot.press("3")
                assert screen.phase == "question"
                if not overtime_checked:
                    clock.now += 75
                    await until(
                        pilot, lambda: text_of(screen, "#iv-timer") == "⏱ 1:15 of 1:00 — overtime"
                    )
                    overtime_checked = True
                await pilot.press("space")
                assert screen.phase == "scoring" and screen.query_one("#answer").display
                if question.startswith("Markup stays text"):
                    # deck text is never taken as markup: shown as typed, app still running
                    shown = on_screen(app)
                    assert "[@click=app.quit]not a link[/]" in shown
                    assert "[bold]not bold[/bold]" in shown
                await pilot.press("2")
        assert len(seen) == 4 and overtime_checked

        assert text_of(screen, "#iv-progress") == "Interview over · 7/12 (58%)"
        report = screen.query_one("#iv-report", CardMarkdown).source
        assert "**Score: 7/12 (58%)** · 4 questions" in report
        assert "| Screen fixture › RNN | 2 | 5/6 | 83% |" in report
        assert "| Screen fixture › CNN | 2 | 2/6 | 33% |" in report
        assert "`quizapp study --topic 'Screen fixture › CNN'`" in report
        assert "1:15 (over)" in report
        assert "Interview over" in on_screen(app)
        assert report_file.read_text(encoding="utf-8") == report

        # the schedule did not move; the answers are in the review log
        assert schedules(tmp_path / "q.db") == before
        with sqlite3.connect(tmp_path / "q.db") as conn:
            logged = conn.execute("SELECT kind, scheduled FROM reviews").fetchall()
            stored = conn.execute("SELECT score, finished_at FROM interviews").fetchall()
        assert logged == [("interview", 0)] * 4
        assert len(stored) == 1 and stored[0][0] == 7.0 and stored[0][1] is not None

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


def test_escape_twice_ends_early(setup: tuple[Database, Path]) -> None:
    asyncio.run(escape_twice_ends_early(*setup))


async def escape_twice_ends_early(db: Database, deck: Path) -> None:
    app = QuizApp(db, [deck])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = InterviewScreen(InterviewOptions(questions=4, topics=("RNN",), seed=1))
        await app.push_screen(screen)
        await until(pilot, lambda: screen.phase in ("question", "typing"))
        assert re.fullmatch(
            r"Question 1 of 2 · (open|compute) · RNN", text_of(screen, "#iv-progress")
        )
        assert text_of(screen, "#iv-timer").endswith(" of 2:00")  # two minutes a question
        if screen.phase == "typing":
            await pilot.press(*"1248", "enter")
            await until(pilot, lambda: screen.phase == "graded")
            await pilot.press("enter")
        else:
            await pilot.press("space", "1")
        await until(pilot, lambda: screen.phase in ("question", "typing"))
        assert re.fullmatch(
            r"Question 2 of 2 · (open|compute) · RNN", text_of(screen, "#iv-progress")
        )
        await pilot.press("escape")
        assert screen.phase in ("question", "typing")  # one Esc only asks
        await pilot.press("escape")
        await until(pilot, lambda: screen.phase == "report")
        report = screen.query_one("#iv-report", CardMarkdown).source
        assert "· 1 of 2 questions answered" in report


def test_nothing_to_ask(setup: tuple[Database, Path]) -> None:
    asyncio.run(nothing_to_ask(*setup))


async def nothing_to_ask(db: Database, deck: Path) -> None:
    app = QuizApp(db, [deck])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = InterviewScreen(InterviewOptions(topics=("Vision",)))
        await app.push_screen(screen)
        await until(pilot, lambda: screen.phase == "empty")
        assert "no cards to ask about in Vision" in text_of(screen, "#hint")
        assert not screen.query_one("#typed", Input).display
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def _answer_all(pilot: Any, app: QuizApp) -> InterviewScreen:
    """Answer every question of the interview on screen (a wrong number, or "good")."""
    await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    while True:
        await until(pilot, lambda: screen.phase in ("question", "typing", "report"))
        if screen.phase == "report":
            return screen
        if screen.phase == "typing":
            await pilot.press("1", "enter")
            await until(pilot, lambda: screen.phase == "graded")
            await pilot.press("enter")
        else:
            await pilot.press("space")
            await until(pilot, lambda: screen.phase == "scoring")
            await pilot.press("2")


def test_the_apps_interview_offers_the_choices_and_keeps_its_report(
    setup: tuple[Database, Path],
) -> None:
    asyncio.run(apps_interview_choices(*setup))


async def apps_interview_choices(db: Database, deck: Path) -> None:
    app = QuizApp(db, [deck])
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InterviewSetupScreen))
        setup_screen = app.screen
        topics = setup_screen.query_one("#iv-topics", SelectionList)
        await until(pilot, lambda: topics.option_count > 0)
        assert "None yet" in on_screen(app)
        # A number out of range is refused in the command line's words.
        box = setup_screen.query_one("#iv-questions", Input)
        box.value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "questions: a whole number from 1 to 500, not 0" in on_screen(app)
        assert isinstance(app.screen, InterviewSetupScreen)
        # Two questions, three minutes in all, on the RNN topic only.
        box.value = "2"
        setup_screen.query_one("#iv-minutes", Input).value = "3"
        topics.select("Screen fixture › RNN")
        await pilot.press("ctrl+s")
        screen = await _answer_all(pilot, app)
        options = screen.options
        assert (options.questions, options.minutes, options.topics) == (
            2,
            3.0,
            ("Screen fixture › RNN",),
        )
        report = screen.query_one("#iv-report", CardMarkdown).source
        assert "2 questions" in report and "Screen fixture › RNN" in report
        assert "Screen fixture › CNN" not in report
        assert "Saved as interview #1" in on_screen(app)
        # The report's tables read whole at 80 columns: page down through it.
        pages = [on_screen(app)]
        for _ in range(6):
            await pilot.press("pagedown")
            await pilot.pause(0.1)
            pages.append(on_screen(app))
        # (the screenshot's text keeps no runs of spaces)
        header = "│#│question│topic│result│time│score│"
        assert any(header in page.replace(" ", "") for page in pages), "\n".join(pages)

        # Closing the report: home; the interview is listed, its report opens again.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InterviewSetupScreen))
        past = app.screen.query_one("#iv-past", DataTable)
        await until(pilot, lambda: past.row_count == 1)
        past.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InterviewReportScreen))
        stored = app.screen.query_one("#iv-stored-report", CardMarkdown)
        await until(pilot, lambda: stored.source == report)
        assert "Interview #1" in on_screen(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InterviewSetupScreen))


def test_an_interview_started_from_the_shell_closes_back_to_it(
    setup: tuple[Database, Path],
) -> None:
    asyncio.run(closes_back_to_the_shell(*setup))


async def closes_back_to_the_shell(db: Database, deck: Path) -> None:
    app = QuizApp(db, [deck], start="interview", interview=InterviewOptions(questions=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await _answer_all(pilot, app)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert not app.is_running
