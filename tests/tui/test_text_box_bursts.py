"""The app's text boxes keep every key of a fast burst (a paste, ``tmux send-keys``, a
quick typist on a loaded machine) in the order typed: the answer graded and recorded,
the search run and the interview asked for are the ones the user typed."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.widgets import DataTable, Input

import quizapp.tui
from quizapp.study.options import InterviewOptions
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.interview_setup import InterviewSetupScreen
from quizapp.tui.screens.study import StudyScreen
from tui.apptest import (
    CLOZE,
    SIZE,
    AppFactory,
    burst,
    reviews,
    run,
    screen_text,
    settled,
    switched_to,
    wait_for_phase,
    wait_until,
)

QUIZ_DECK = """\
# Quiz only

## Counting

### Conv output

```quiz
model: conv_output
ask: "Input {n}×{n}, kernel {f}, padding {p}, stride {s}: output size?"
params: {n: [16, 64], f: [3, 5, 7], p: [0, 1, 2], s: [1, 2]}
```
"""

#: a fast burst that edits the answer: backspace twice, then more digits
EDITED = (*"4*64", "backspace", "backspace", *"128", "enter")


def _quiz_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "quiz.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    return deck


def test_the_study_answer_graded_and_recorded_is_the_one_typed(
    new_app: AppFactory, db_url: str, tmp_path: Path
) -> None:
    app = new_app(deck_paths=[_quiz_deck(tmp_path)])

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_phase(pilot, "typing")
            assert isinstance(app.screen, StudyScreen)
            # A key typed behind the Enter is not taken while the answer is graded: the
            # box keeps showing the answer graded.
            burst(app, *EDITED, "3")
            await wait_for_phase(pilot, "graded")
            assert app.screen.query_one("#typed", Input).value == "4*128"
            text = screen_text(app)
            assert "your answer: 4*128" in text, text
            assert "512 is not right" in text or "correct" in text
            await pilot.press("1")
            await wait_for_phase(pilot, "typing", "done")

    run(scenario())
    (review,) = reviews(db_url)
    assert review.answer == "4*128"
    assert review.rating == 1


def test_the_interview_answer_graded_and_recorded_is_the_one_typed(
    new_app: AppFactory, db_url: str, tmp_path: Path
) -> None:
    app = new_app(
        start="interview",
        deck_paths=[_quiz_deck(tmp_path)],
        interview=InterviewOptions(questions=1),
    )

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(
                pilot,
                lambda: getattr(app.screen, "phase", None) == "typing",
                what="the question",
            )
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            burst(app, *EDITED, "9")
            await wait_until(pilot, lambda: screen.phase == "graded", timeout=60, what="graded")
            assert screen.query_one("#typed", Input).value == "4*128"
            assert "512 is not right" in screen_text(app), screen_text(app)

    run(scenario())
    (review,) = reviews(db_url)
    assert review.kind == "interview"
    assert review.answer == "4*128"


def test_the_browse_search_finds_what_was_typed_in_a_burst(new_app: AppFactory) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "reviewed" in screen_text(app), what="home")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
            table = app.screen.query_one("#cards", DataTable)
            await wait_until(pilot, lambda: table.row_count == 8, what="8 rows")
            await settled(pilot)
            search = app.screen.query_one("#search", Input)
            # / and the search typed right behind it, mistyped and put right as it
            # goes, then on to the list of what it found.
            burst(app, "slash", *"lstn", "backspace", *"m outpux", "backspace", "t", "enter")
            await settled(pilot)
            await pilot.pause(0.5)
            assert search.value == "lstm output"
            assert table.row_count == 1
            assert "1 of 8 cards" in screen_text(app)
            assert CLOZE in screen_text(app)
            assert table.has_focus

    run(scenario())


def test_the_interview_asked_for_in_a_burst_is_the_one_typed(
    new_app: AppFactory, tmp_path: Path
) -> None:
    app = new_app(start="home", deck_paths=[_quiz_deck(tmp_path)])

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
            await settled(pilot)
            # Typed right behind the i, before the screen is built: the keys wait for
            # the first box. Three questions, seven minutes: each edit acts where it
            # was typed.
            burst(app, "i")
            await switched_to(app, InterviewSetupScreen)
            burst(app, "ctrl+u", *"39", "backspace", "tab", *"85", "home", "delete", "7")
            burst(app, "end", "backspace", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            assert (screen.options.questions, screen.options.minutes) == (3, 7.0)

    run(scenario())


def test_every_text_box_of_the_app_keeps_the_order_of_its_keys() -> None:
    """A text box added to a screen is a ``TypedInput`` too, never a plain ``Input``
    (whose editing keys act behind the characters typed after them)."""
    root = Path(quizapp.tui.__file__).parent
    plain = [
        f"{path.relative_to(root)}:{node.lineno}"
        for path in sorted(root.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "Input"
    ]
    assert plain == []
