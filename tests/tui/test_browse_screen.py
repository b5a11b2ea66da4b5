"""Browse: every card, filters by text, state, topic and due, and a card's history."""

from __future__ import annotations

import re
from datetime import timedelta

from textual.widgets import Checkbox, DataTable, Input, Select

from quizapp.store.db import open_db
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService
from quizapp.tui.screens.browse import BrowseScreen
from tui.apptest import NOW, SIZE, AppFactory, run, screen_text, wait_until


def _review_two_cards(db_url: str, deck: object) -> None:
    db = open_db(db_url)
    try:
        sync_decks(db, [deck])  # type: ignore[list-item]
        svc = StudyService(db, now=lambda: NOW - timedelta(days=1))
        svc.review("tui-conv-size", 3, duration_ms=4000)
        svc.review(
            "tui-gru-params/quiz-1",
            1,
            duration_ms=12000,
            answer="3*(8*8)",
            params={"m": 8, "n": 8},
            verdict="wrong",
            auto=True,
        )
    finally:
        db.close()


def test_filters_and_a_cards_history(new_app: AppFactory, db_url: str, deck: object) -> None:
    _review_two_cards(db_url, deck)
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "reviewed" in screen_text(app), what="home")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            table = screen.query_one("#cards", DataTable)
            await wait_until(pilot, lambda: table.row_count == 8, what="8 rows")
            assert "8 of 8 cards" in screen_text(app)
            # Deck text in cells is text, not markup.
            assert "Markup stays text: [bold]x[/bold]" in screen_text(app)

            # Text search, once typing pauses.
            await pilot.press("slash")
            assert screen.query_one("#search", Input).has_focus
            await pilot.press(*"lstm output")
            await wait_until(pilot, lambda: table.row_count == 1, what="search")
            assert "1 of 8 cards" in screen_text(app)
            screen.query_one("#search", Input).value = ""
            await wait_until(pilot, lambda: table.row_count == 8, what="search cleared")

            # State filter: the two reviewed cards are in learning.
            screen.query_one("#state-filter", Select).value = "learning"
            await wait_until(pilot, lambda: table.row_count == 2, what="state filter")
            keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(2)]
            assert sorted(keys) == ["tui-conv-size", "tui-gru-params/quiz-1"]

            # Due now: both were reviewed yesterday with minute-long learning steps.
            screen.query_one("#due-filter", Checkbox).value = True
            await wait_until(pilot, lambda: table.row_count == 2, what="due filter")
            screen.query_one("#state-filter", Select).value = "new"
            await wait_until(pilot, lambda: table.row_count == 0, what="new and due")
            screen.query_one("#due-filter", Checkbox).value = False
            await wait_until(pilot, lambda: table.row_count == 6, what="new")

            # Topic filter by the deck's own path.
            screen.query_one("#state-filter", Select).clear()
            topic = screen.query_one("#topic-filter", Select)
            topic.value = "TUI fixture [b]deck[/b]\x1fBasics"
            await wait_until(pilot, lambda: table.row_count == 8, what="topic filter")

            # The computational card's detail: its review, with answer and verdict.
            row = next(
                i
                for i in range(table.row_count)
                if table.coordinate_to_cell_key((i, 0)).row_key.value == "tui-gru-params/quiz-1"
            )
            table.focus()
            table.move_cursor(row=row)
            row_shown = re.compile(r"2026-03-01 09:30\s+1 Again auto\s+12s\s+3\*\(8\*8\) → wrong")
            await wait_until(
                pilot, lambda: bool(row_shown.search(screen_text(app))), what="history row"
            )
            assert "review history (1)" in screen_text(app)

            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, BrowseScreen)

    run(scenario())
