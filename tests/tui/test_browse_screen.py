"""Browse: every card, filters by text, state, topic and due, and a card's history."""

from __future__ import annotations

import re
from datetime import timedelta

from textual.widgets import Checkbox, DataTable, Input, Select

from quizapp.store.db import open_db
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService
from quizapp.tui.screens.browse import BrowseScreen
from tui.apptest import NOW, SIZE, AppFactory, run, screen_text, wait_for_phase, wait_until


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
            assert "Markup stays text: [bold]x" in screen_text(app)
            fronts = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            assert "Markup stays text: [bold]x[/bold]" in fronts

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
            row_shown = re.compile(r"2026-03-01 09:30\s+1 Again auto\s+12s")
            await wait_until(
                pilot, lambda: bool(row_shown.search(screen_text(app))), what="history row"
            )
            history = screen.query_one("#history", DataTable)
            assert str(history.get_row_at(0)[3]) == "3*(8*8) → wrong"
            assert "review history (1)" in screen_text(app)

            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, BrowseScreen)

    run(scenario())


def test_search_reads_questions_and_answers_not_deck_names(
    new_app: AppFactory, db_url: str, deck: object
) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "reviewed" in screen_text(app), what="home")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            table = screen.query_one("#cards", DataTable)
            await wait_until(pilot, lambda: table.row_count == 8, what="8 rows")
            search = screen.query_one("#search", Input)

            # The deck's and the topic's names are not the cards' text.
            await pilot.press("slash", *"fixture")
            await wait_until(pilot, lambda: table.row_count == 0, what="deck name")
            search.value = ""
            await pilot.press(*"Basics")
            await wait_until(pilot, lambda: table.row_count == 0, what="topic name")
            # An answer's words find the card ("candidate" is only in the GRU gate's back).
            search.value = ""
            await pilot.press(*"candidate")
            await wait_until(pilot, lambda: table.row_count == 1, what="answer text")
            assert table.coordinate_to_cell_key((0, 0)).row_key.value == "tui-gru-gate"
            # The deck or topic is its own filter, with the text search on top.
            search.value = ""
            await pilot.press(*"gru")
            await wait_until(pilot, lambda: table.row_count == 3, what="gru")
            topic = screen.query_one("#topic-filter", Select)
            topic.value = "TUI fixture [b]deck[/b]\x1fBasics"
            await wait_until(pilot, lambda: table.row_count == 3, what="gru in Basics")
            assert "3 of 8 cards" in screen_text(app)

    run(scenario())


def test_columns_sorting_and_the_detail_at_80x24(
    new_app: AppFactory, db_url: str, deck: object
) -> None:
    _review_two_cards(db_url, deck)
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "reviewed" in screen_text(app), what="home")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            table = screen.query_one("#cards", DataTable)
            await wait_until(pilot, lambda: table.row_count == 8, what="8 rows")
            text = screen_text(app)
            assert re.search(r"question\s+due ▲\s+ivl\s+revs\s+lapses", text), text
            # The question column has the room the others leave, at 80 columns.
            assert "What does a GRU's update gate do?" in text
            # By due, ascending: the two studied cards (due in minutes) come first,
            # with their interval and counts; new cards have no interval.
            first = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(2)]
            assert sorted(first) == ["tui-conv-size", "tui-gru-params/quiz-1"]
            assert re.search(r"Output size of a convolution\s+\S+ ago\s+\d+m\s+1\s+0", text)
            assert re.search(r"update gate do\?\s+new\s+–\s+0\s+0", text), text

            # o: the next sort (due descending), then each column in turn.
            await pilot.press("o")
            await pilot.pause()
            assert "due ▼" in screen_text(app)
            last = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in (6, 7)]
            assert sorted(last) == ["tui-conv-size", "tui-gru-params/quiz-1"]
            await pilot.press("o", "o")
            await pilot.pause()
            assert "ivl ▼" in screen_text(app)
            assert table.coordinate_to_cell_key((0, 0)).row_key.value in first
            await pilot.press(*"ooooo")
            await pilot.pause()
            assert "question ▲" in screen_text(app)
            fronts = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            assert fronts == sorted(fronts, key=str.casefold)
            assert "by question, ascending" in screen_text(app)

            # Enter: the card's detail takes the table's place; esc: the table again.
            table.focus()
            table.move_cursor(row=0)
            await pilot.press("enter")
            await wait_until(pilot, lambda: "review history" in screen_text(app), what="detail")
            assert "question ▲" not in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert "question ▲" in screen_text(app)
            assert isinstance(app.screen, BrowseScreen)

    run(scenario())


def test_a_suspended_card_stays_out_of_study_until_unsuspended(
    new_app: AppFactory, db_url: str
) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "8 new" in screen_text(app), what="home")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            table = screen.query_one("#cards", DataTable)
            await wait_until(pilot, lambda: table.row_count == 8, what="8 rows")
            table.focus()
            table.move_cursor(row=0)
            first = table.coordinate_to_cell_key((0, 0)).row_key.value
            assert first == "tui-gru-gate"
            await wait_until(pilot, lambda: screen._detail_id == first, what="detail")
            # !: suspended, said in its row (sorted after the new cards) and stored.
            await pilot.press("exclamation_mark")
            await wait_until(
                pilot,
                lambda: table.coordinate_to_cell_key((7, 0)).row_key.value == first,
                what="suspended card last",
            )
            assert re.search(r"update gate do\?\s+suspended", screen_text(app))
            screen.query_one("#state-filter", Select).value = "suspended"
            await wait_until(pilot, lambda: table.row_count == 1, what="suspended filter")
            screen.query_one("#state-filter", Select).clear()
            await wait_until(pilot, lambda: table.row_count == 8, what="all again")

            # Study: the suspended card is not asked; the home screen counts 7 new.
            await pilot.press("escape")
            await wait_until(pilot, lambda: "7 new" in screen_text(app), what="7 new")
            await pilot.press("s")
            await wait_for_phase(pilot, "question")
            assert "What does a GRU's update gate do?" not in screen_text(app)
            await pilot.press("escape")

            # !: unsuspended, back in study.
            await wait_until(pilot, lambda: "7 new" in screen_text(app), what="home")
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
            screen = app.screen
            assert isinstance(screen, BrowseScreen)
            table = screen.query_one("#cards", DataTable)
            await wait_until(pilot, lambda: table.row_count == 8, what="8 rows")
            table.focus()
            table.move_cursor(row=7)
            await wait_until(pilot, lambda: screen._detail_id == first, what="detail")
            await pilot.press("exclamation_mark")
            await wait_until(
                pilot,
                lambda: table.coordinate_to_cell_key((0, 0)).row_key.value == first,
                what="back in place",
            )
            await pilot.press("escape")
            await wait_until(pilot, lambda: "8 new" in screen_text(app), what="8 new")

    run(scenario())
