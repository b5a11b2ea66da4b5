"""A hashcards deck studied in the app at 80×24: no HTML comment ever reaches the screen,
a callout is a titled block, and a deletion inside math is a blank inside the formula."""

from __future__ import annotations

import shutil
from pathlib import Path

from quizapp.store.db import open_db
from quizapp.store.settings_db import save_setting
from tui.apptest import SIZE, AppFactory, run, screen_text, wait_for_phase

LAYOUTS = Path(__file__).parent.parent / "fixtures" / "layouts"


def test_a_hashcards_deck_shows_as_its_tool_shows_it(
    new_app: AppFactory, tmp_path: Path, db_url: str
) -> None:
    deck = tmp_path / "hashcards" / "class.md"
    deck.parent.mkdir()
    shutil.copy(LAYOUTS / "hashcards-class.md", deck)
    # every card in one session: the deletions of one C: block are siblings
    db = open_db(db_url)
    save_setting(db, "bury-siblings", "off")
    db.close()
    app = new_app(deck_paths=[deck])
    questions: list[str] = []
    answers: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(6):  # the deck's six cards
                await wait_for_phase(pilot, "question", "typing")
                questions.append(screen_text(app))
                await pilot.press("space")
                await wait_for_phase(pilot, "answer")
                answers.append(screen_text(app))
                await pilot.press("3")

    run(scenario())
    shown = questions + answers
    assert all("Machine Learning" in screen for screen in questions)
    assert not any("Bite" in screen or "<!--" in screen for screen in shown)
    [callout] = [screen for screen in answers if "Shape check" in screen]
    assert "[!tip]" not in callout and "Tip" in callout
    # the blank of a deletion inside a formula is inside the rendered formula
    assert any("(m × […]) · (n × p) = (m × p)" in screen for screen in questions)
    assert any("‖v‖ = √(∑ᵢ vᵢ²)" in screen for screen in answers)
