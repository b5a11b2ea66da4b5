"""A whole study session driven by real key presses; the database is checked after."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot

from quizapp.store.db import open_db
from quizapp.store.schema import Card
from quizapp.study.engine import Prompt
from quizapp.study.service import StudyService
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen
from tui.apptest import (
    CJK,
    CLOZE,
    CODE,
    CONV,
    GATE,
    GRU,
    MARKUP,
    NOW,
    QUIZ,
    SIZE,
    AppFactory,
    reviews,
    run,
    screen_text,
    settled,
    wait_for_phase,
    wait_until,
)

BACKSLASH_COMMAND = re.compile(r"\\[a-zA-Z]+")


def study_screen(pilot: Pilot[Any]) -> StudyScreen:
    screen = pilot.app.screen
    assert isinstance(screen, StudyScreen)
    return screen


async def on_card(pilot: Pilot[Any], question: str) -> str:
    """Wait for the card whose question starts with ``question``; return the screen."""
    await wait_for_phase(pilot, "question", "typing")
    text = screen_text(pilot.app)  # type: ignore[arg-type]
    assert question in text, text
    return text


async def reveal(pilot: Pilot[Any], key: str = "space") -> str:
    await pilot.press(key)
    await wait_for_phase(pilot, "answer")
    return screen_text(pilot.app)  # type: ignore[arg-type]


def test_a_whole_session_is_saved_rating_by_rating(new_app: AppFactory, db_url: str) -> None:
    app = new_app()
    committed_when_shown: list[int] = []
    drawn: list[dict[str, object]] = []

    seen: list[Message] = []  # kept alive, so no two messages share an id()

    def hook(message: Message) -> None:
        # Whenever a new card reaches the screen, every rating before it is in the DB.
        # (The hook sees the message at the screen, then again as it bubbles up.)
        if (
            isinstance(message, StudyScreen.StepReady)
            and isinstance(message.step, Prompt)
            and not any(m is message for m in seen)
        ):
            seen.append(message)
            committed_when_shown.append(len(reviews(db_url)))

    async def scenario() -> None:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            # 1. A rating before the answer is shown does nothing.
            text = await on_card(pilot, GATE)
            assert "TUI fixture [b]deck[/b] › Basics" in text
            await pilot.press("3")
            await settled(pilot)
            assert study_screen(pilot).phase == "question"
            text = await reveal(pilot)
            assert "zₜ near 1 keeps the old state hₜ₋₁" in text
            assert re.search(r"1 Again\s.*\n.*1m", text)
            await pilot.press("1")

            # 2. Display math, \hat and <t> come out as Unicode text.
            await on_card(pilot, CONV)
            text = await reveal(pilot, "enter")
            assert "o = ⌊(n + 2p - f)/s⌋ + 1" in text
            assert "ĉ^<t> stays readable" in text
            assert not BACKSLASH_COMMAND.search(text)
            await pilot.press("2")

            # 3. Deck text that looks like markup stays characters, and is inert.
            text = await on_card(pilot, MARKUP)
            text = await reveal(pilot)
            assert "[bold]not bold[/bold]" in text
            assert "[@click=app.quit]not a link[/]" in text
            await pilot.click("#answer")
            await settled(pilot)
            assert app.is_running
            await pilot.press("4")

            # 4. Code and a table.
            await on_card(pilot, CODE)
            text = await reveal(pilot)
            assert "ln = torch.nn.LayerNorm(512)" in text
            assert re.search(r"│ nn\.LayerNorm\(d\)\s+│ 2d\s+│", text)
            await pilot.press("space")  # Good, the default

            # 5. Chinese text and inline math on one line.
            await on_card(pilot, CJK)
            text = await reveal(pilot)
            assert "对值做加权求和：softmax(qᵀ k / √(dₖ))。" in text
            await pilot.press("enter")

            # 6. A cloze card hides its cloze until the answer.
            text = await on_card(pilot, CLOZE)
            assert "The LSTM output is […], not oₜ ⊙ cₜ." in text
            text = await reveal(pilot)
            assert "The LSTM output is hₜ = oₜ ⊙ tanh(cₜ), not oₜ ⊙ cₜ." in text
            await pilot.press("3")

            await on_card(pilot, GRU)
            await reveal(pilot)
            await pilot.press("3")

            # 8. The computational card: a wrong answer, then the suggestion is taken.
            await on_card(pilot, QUIZ)
            screen = study_screen(pilot)
            assert screen.phase == "typing"
            await pilot.press(*"12")
            await pilot.press("enter")
            await wait_for_phase(pilot, "graded")
            text = screen_text(app)
            assert "✗ wrong" in text
            assert "your answer: 12" in text
            assert "suggested: 1 Again" in text
            assert screen.prompt is not None and screen.prompt.params is not None
            drawn.append(dict(screen.prompt.params))
            await pilot.press("space")

            # The session goes on with the cards in learning (the learn-ahead window).
            await on_card(pilot, GATE)
            await pilot.press("ctrl+q")
        assert not app.is_running

    run(scenario())

    log = reviews(db_url)
    assert [r.card_id for r in log] == [
        "tui-gru-gate",
        "tui-conv-size",
        "tui-markup",
        "tui-code",
        "tui-cjk",
        "tui-cloze/c1",
        "tui-gru-params",
        "tui-gru-params/quiz-1",
    ]
    assert [r.rating for r in log] == [1, 2, 4, 3, 3, 3, 3, 1]
    assert [r.auto for r in log] == [False, False, False, True, True, False, False, True]
    assert all(r.kind == "study" and r.reviewed_at == NOW for r in log)
    quiz = log[-1]
    assert quiz.answer == "12"
    assert quiz.verdict == "wrong"
    assert [quiz.params] == drawn
    assert all(r.answer is None and r.verdict is None for r in log[:-1])
    # The first card was shown before any rating, each next one after the previous was saved.
    assert committed_when_shown == list(range(len(committed_when_shown)))
    assert len(committed_when_shown) == 9


def test_undo_brings_the_card_back_and_the_state_survives_a_restart(
    new_app: AppFactory, db_url: str
) -> None:
    async def session() -> None:
        app = new_app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await on_card(pilot, GATE)
            await reveal(pilot)
            await pilot.press("3")
            await on_card(pilot, CONV)
            await reveal(pilot)
            await pilot.press("4")
            await on_card(pilot, MARKUP)
            assert [r.card_id for r in reviews(db_url)] == ["tui-gru-gate", "tui-conv-size"]

            await pilot.press("u")
            text = await on_card(pilot, CONV)
            assert "1/8" in text
            assert [r.card_id for r in reviews(db_url)] == ["tui-gru-gate"]

            await pilot.press("u")
            await on_card(pilot, GATE)
            assert reviews(db_url) == []

            # Nothing of this session is left to undo: the key says so and does nothing.
            await pilot.press("u")
            await settled(pilot)
            assert any("Nothing to undo" in n.message for n in app._notifications)
            assert study_screen(pilot).phase == "question"

            await reveal(pilot)
            await pilot.press("2")
            await on_card(pilot, CONV)
            await pilot.press("ctrl+q")

    run(session())
    log = reviews(db_url)
    assert [(r.card_id, r.rating) for r in log] == [("tui-gru-gate", 2)]

    db = open_db(db_url)
    try:
        with db.session(write=False) as s:
            conv = s.get(Card, "tui-conv-size")
            gate = s.get(Card, "tui-gru-gate")
            assert conv is not None and conv.state == 0 and conv.reviews == 0
            assert gate is not None and gate.reviews == 1
    finally:
        db.close()

    async def reopen() -> None:
        app = new_app()
        async with app.run_test(size=SIZE) as pilot:
            text = await on_card(pilot, CONV)
            assert "7 new · 0 learning · 0 due" in text
            # A new run has no rating of its own to undo.
            assert study_screen(pilot).session is not None
            assert not study_screen(pilot).session.can_undo  # type: ignore[union-attr]
            await pilot.press("ctrl+q")

    run(reopen())
    assert len(reviews(db_url)) == 1


def test_skip_buries_the_card_until_tomorrow(new_app: AppFactory, db_url: str) -> None:
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_card(pilot, GATE)
            await pilot.press("s")
            await on_card(pilot, CONV)

    run(scenario())
    assert reviews(db_url) == []
    svc = StudyService(open_db(db_url), now=lambda: NOW)
    assert [c.id for c in svc.queue()][:1] == ["tui-conv-size"]
    card = svc.card("tui-gru-gate")
    assert card is not None and card.state == "new"


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


def test_a_right_answer_is_graded_and_the_rating_can_be_overridden(
    new_app: AppFactory, db_url: str, tmp_path: Path
) -> None:
    from quizapp.grading.models import compute

    deck = tmp_path / "quiz.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    app = new_app(deck_paths=[deck])
    truth: list[int] = []

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_card(pilot, "output size?")
            prompt = study_screen(pilot).prompt
            assert prompt is not None and prompt.params is not None
            answer = compute("conv_output", prompt.params)
            assert isinstance(answer, int)
            truth.append(answer)
            await pilot.press(*str(answer), "enter")
            await wait_for_phase(pilot, "graded")
            text = screen_text(app)
            assert "✓ correct" in text
            assert f"answer:      {answer}" in text
            assert "⌊" in text  # the derivation, with the numbers filled in
            await pilot.press("2")
            await wait_for_phase(pilot, "typing", "question", "done")

    run(scenario())
    (review,) = reviews(db_url)
    assert review.rating == 2
    assert review.auto is False
    assert review.verdict == "correct"
    assert review.answer == str(truth[0])


def test_an_empty_answer_asks_first_and_gives_up_on_the_second_enter(
    new_app: AppFactory, db_url: str, tmp_path: Path
) -> None:
    deck = tmp_path / "quiz.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    app = new_app(deck_paths=[deck])

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_card(pilot, "output size?")
            await pilot.press("enter")
            await settled(pilot)
            assert study_screen(pilot).phase == "typing"
            assert "Type a number or an expression first" in screen_text(app)
            await pilot.press("enter")
            await wait_for_phase(pilot, "graded")
            assert "✗ wrong" in screen_text(app)
            await pilot.press("enter")
            await wait_for_phase(pilot, "typing", "done")

    run(scenario())
    (review,) = reviews(db_url)
    assert (review.rating, review.auto, review.verdict) == (1, True, "invalid")


def test_limit_ends_the_session(new_app: AppFactory, db_url: str) -> None:
    app = new_app(limit=2)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            for question in (GATE, CONV):
                await on_card(pilot, question)
                await reveal(pilot)
                await pilot.press("3")
            await wait_for_phase(pilot, "done")
            assert "Session over: 2 cards reviewed." in screen_text(app)
            # Esc leads home (the app was opened straight on the study screen).
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

    run(scenario())
    assert len(reviews(db_url)) == 2


def test_nothing_to_study(new_app: AppFactory, tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("# Empty\n\nNo cards here.\n", encoding="utf-8")
    app = new_app(deck_paths=[empty])

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "done")
            assert "Nothing to study now." in screen_text(app)

    run(scenario())


def test_help_lists_every_key_and_ctrl_q_quits_from_it(new_app: AppFactory) -> None:
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_card(pilot, GATE)
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
            text = screen_text(app)
            for what in ("undo the last rating", "skip: hide the card", "edit the card in $EDITOR"):
                assert what in text
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("ctrl+q")
            await pilot.pause()
        assert not app.is_running

    run(scenario())


def test_edit_without_an_editor_says_how_to_set_one(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await on_card(pilot, GATE)
            await pilot.press("e")
            await settled(pilot)
            assert any("$EDITOR" in n.message for n in app._notifications)
            assert study_screen(pilot).phase == "question"

    run(scenario())


def test_torch_warms_up_once_a_computational_card_is_near(new_app: AppFactory) -> None:
    # In this process torch may already be imported by other tests: check the warm-up
    # is *started* once a computational card is within reach, and not before.
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            for question in (GATE, CONV, MARKUP, CODE):
                await on_card(pilot, question)
                await settled(pilot)
                assert app.warming is False, question
                await reveal(pilot)
                await pilot.press("3")
            # CODE was shown with the quiz card 4 cards away; from CJK it is 3 away.
            await on_card(pilot, CJK)
            await wait_until(pilot, lambda: app.warming, what="warm-up")

    run(scenario())


def test_an_unusable_database_ends_the_app_with_its_message(
    new_app: AppFactory, db_path: Path
) -> None:
    db_path.write_bytes(b"this is not a database, just text" * 10)
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.fatal is not None, what="the failure")

    run(scenario())
    assert app.return_code == 3
    assert app.fatal is not None and "not a valid quizapp database" in app.fatal
    assert db_path.read_bytes() == b"this is not a database, just text" * 10
