"""A card with a huge answer: the app shows its beginning and says where the rest is."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets.markdown import MarkdownBlock

from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets.card_markdown import CardMarkdown
from tui.apptest import SIZE, AppFactory, run, screen_text, wait_for_phase

ITEMS = 3000


def test_a_three_thousand_item_answer_shows_its_beginning_and_a_note(
    new_app: AppFactory, tmp_path: Path
) -> None:
    deck = tmp_path / "big.md"
    items = "\n".join(f"- point number {i}" for i in range(ITEMS))
    deck.write_text(f"# Big\n\n## Every point?\n\n{items}\n", encoding="utf-8")
    app = new_app(deck_paths=[deck])

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
