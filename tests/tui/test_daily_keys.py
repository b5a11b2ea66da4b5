"""Daily study in the app, pressed as a user would at 80×24: an answer that cannot be read
is kept to fix, skip works from the answer box and undo takes it back, a daily limit
is named and ``+`` lifts it, and editing the bundled deck warns first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizapp.store.db import open_db
from quizapp.store.settings_db import save_setting
from quizapp.study.service import StudyService
from quizapp.tui.screens.study import StudyScreen
from tui.apptest import CONV, GATE, NOW, AppFactory, reviews, run, screen_text, wait_for_phase

SIZE = (80, 24)

QUIZ_DECK = """\
# Quiz only

## Counting

### GRU parameters

```quiz
model: gru_params
ask: "How many parameters does nn.GRU({m}, {n}) have?"
params: {m: [8, 64], n: [8, 64]}
```

### What does the update gate do?

It mixes the old state and the candidate.
"""


def _screen(pilot: Pilot[Any]) -> StudyScreen:
    screen = pilot.app.screen
    assert isinstance(screen, StudyScreen)
    return screen


@pytest.fixture
def quiz_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "quiz" / "quiz.md"
    deck.parent.mkdir()
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    return deck


def test_an_answer_that_cannot_be_read_is_kept_to_fix_not_graded(
    new_app: AppFactory, db_url: str, quiz_deck: Path
) -> None:
    app = new_app(deck_paths=[quiz_deck])

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "typing")
            await pilot.press(*"4*64*64+", "enter")
            await pilot.pause(0.3)
            await wait_for_phase(pilot, "typing")
            text = screen_text(app)
            assert "Cannot read your answer" in text and "ends with '+'" in text
            assert "✗ wrong" not in text and "answer:" not in text
            screen = _screen(pilot)
            assert screen.query_one("#typed").value == "4*64*64+"  # type: ignore[attr-defined]
            # fixed, it is graded
            prompt = screen.prompt
            assert prompt is not None and prompt.params is not None
            m, n = int(str(prompt.params["m"])), int(str(prompt.params["n"]))
            await pilot.press("backspace", *f"+0*{m}*{n}", "enter")
            await wait_for_phase(pilot, "graded")
            assert "✗ wrong" in screen_text(app)

    run(scenario())
    assert reviews(db_url) == []


def test_the_textbook_gru_count_is_named_as_such(
    new_app: AppFactory, db_url: str, quiz_deck: Path
) -> None:
    app = new_app(deck_paths=[quiz_deck])

    async def scenario() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for_phase(pilot, "typing")
            prompt = _screen(pilot).prompt
            assert prompt is not None and prompt.params is not None
            m, n = int(str(prompt.params["m"])), int(str(prompt.params["n"]))
            await pilot.press(*f"3*({n}*{m}+{n}*{n}+{n})", "enter")
            await wait_for_phase(pilot, "graded")
            text = " ".join(screen_text(app).split())
            assert "is the textbook count with one bias per gate" in text
            assert f"{3 * (n * m + n * n + 2 * n):,}" in text

    run(scenario())


def test_skip_from_the_answer_box_and_undo_brings_the_card_back(
    new_app: AppFactory, db_url: str, quiz_deck: Path
) -> None:
    app = new_app(deck_paths=[quiz_deck])

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "typing")
            assert "^s Skip" in screen_text(app)
            await pilot.press("ctrl+s")
            await wait_for_phase(pilot, "question")
            assert "What does the update gate do?" in screen_text(app)
            await pilot.press("u")
            await wait_for_phase(pilot, "typing")
            assert "nn.GRU(" in screen_text(app)

    run(scenario())
    assert reviews(db_url) == []
    svc = StudyService(open_db(db_url), now=lambda: NOW)
    assert svc.next_card() is not None and svc.next_card().kind == "quiz"  # type: ignore[union-attr]


def test_undo_after_skip_undoes_the_skip_not_the_rating_before(
    new_app: AppFactory, db_url: str
) -> None:
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "question")
            assert GATE in screen_text(app)
            await pilot.press("space")
            await wait_for_phase(pilot, "answer")
            await pilot.press("3")
            await wait_for_phase(pilot, "question")
            assert CONV in screen_text(app)
            await pilot.press("s")
            await wait_for_phase(pilot, "question")
            assert CONV not in screen_text(app)
            await pilot.press("u")
            await wait_for_phase(pilot, "question")
            assert CONV in screen_text(app)

    run(scenario())
    (review,) = reviews(db_url)
    assert review.card_id == "tui-gru-gate"
    svc = StudyService(open_db(db_url), now=lambda: NOW)
    card = svc.card("tui-conv-size")
    assert card is not None and card.state == "new"
    assert "tui-conv-size" in [c.id for c in svc.queue()]


def test_a_daily_limit_is_named_and_plus_lifts_it(new_app: AppFactory, db_url: str) -> None:
    db = open_db(db_url)
    save_setting(db, "new-per-day", "1")
    save_setting(db, "learning-steps", "none")
    db.close()
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "question")
            await pilot.press("space")
            await wait_for_phase(pilot, "answer")
            await pilot.press("3")
            await wait_for_phase(pilot, "done")
            text = " ".join(screen_text(app).replace("│", " ").split())
            assert "Daily limit of 1 new card reached;" in text
            assert "Press + for 10 more today, or `quizapp config set new-per-day 11`" in text
            assert "+ 10 more new" in text  # the footer offers the key
            await pilot.press("plus")
            await wait_for_phase(pilot, "question", "typing")
            assert CONV in screen_text(app)

    run(scenario())


def test_editing_the_bundled_deck_warns_first(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp import locations

    monkeypatch.setenv("EDITOR", "true")
    bundled = locations.bundled_deck()
    app = new_app(deck_paths=[bundled])

    async def scenario() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await wait_for_phase(pilot, "question", "typing")
            if _screen(pilot).phase == "typing":
                await pilot.press("ctrl+s")
                await wait_for_phase(pilot, "question")
            await pilot.press("e")
            await pilot.pause(0.2)
            messages = [n.message for n in app._notifications]
            assert any(
                "next upgrade overwrites" in m and "quizapp deck init" in m for m in messages
            )
            assert _screen(pilot).phase == "question"  # not handed over to the editor

    run(scenario())


def test_r_on_the_home_screen_reports_what_changed(new_app: AppFactory, deck: Path) -> None:
    from quizapp.tui.screens.home import HomeScreen
    from tui.apptest import wait_until

    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
                what="home",
            )
            with deck.open("a", encoding="utf-8") as fh:
                fh.write("\n## Added later\n\n### What is a new card?\n\nOne never studied.\n")
            await pilot.press("r")
            await wait_until(
                pilot,
                lambda: any("1 added" in n.message for n in app._notifications),
                what="the re-read report",
            )
            note = next(n for n in app._notifications if "1 added" in n.message)
            assert "1 file read" in note.message

    run(scenario())
