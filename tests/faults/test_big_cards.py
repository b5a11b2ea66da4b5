"""A card with a huge answer, in the app: it shows the card's beginning, drawn as a
bounded number of widgets, and says where the rest is."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets.markdown import MarkdownBlock
from tui.apptest import NOW, SEED, SIZE, run, screen_text, wait_for_phase

from quizapp.study.options import InterviewOptions, StudyOptions
from quizapp.tui.app import make_app
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets.card_markdown import CardMarkdown

ITEMS = 3000


def test_a_three_thousand_item_answer_shows_its_beginning_and_a_note(tmp_path: Path) -> None:
    deck = tmp_path / "big.md"
    items = "\n".join(f"- point number {i}" for i in range(ITEMS))
    deck.write_text(f"# Big\n\n## Every point?\n\n{items}\n", encoding="utf-8")
    app = make_app(
        db_url=f"sqlite:///{tmp_path / 'quiz.db'}",
        deck_paths=[deck],
        start="study",
        study=StudyOptions(seed=SEED),
        interview=InterviewOptions(seed=SEED),
        now=lambda: NOW,
    )

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "question")
            assert "Every point?" in screen_text(app)
            await pilot.press("space")
            await wait_for_phase(pilot, "answer", timeout=60)
            answer = app.screen.query_one("#answer", CardMarkdown)
            blocks = len(answer.query(MarkdownBlock))
            # The beginning, drawn as widgets; not three thousand of them.
            assert 40 <= blocks <= 400, blocks
            screen = app.screen
            assert isinstance(screen, StudyScreen)
            screen.query_one("#card", VerticalScroll).scroll_end(animate=False)
            await pilot.pause()
            text = screen_text(app)
            assert "Press e to read the whole card in its deck file" in text, text
            await pilot.press("ctrl+q")

    run(scenario())
