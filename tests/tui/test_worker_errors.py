"""One error path for the app's workers: an error in a worker is shown and the app keeps
running, on the screen the user was on, ready to try again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.store.db import open_db
from quizapp.store.sync import sync_decks
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from tui.apptest import (
    GATE,
    SIZE,
    AppFactory,
    reviews,
    run,
    screen_text,
    wait_for_phase,
    wait_until,
)


def test_a_row_another_program_broke_is_reported_and_the_app_stays_up(
    new_app: AppFactory, db_url: str, db_path: Path, deck: Path
) -> None:
    db = open_db(db_url)
    sync_decks(db, [deck])
    db.close()
    with sqlite3.connect(db_path) as conn:
        # a tool that is not quizapp wrote something that is not JSON into a card's topic
        conn.execute("UPDATE cards SET topic = '{oops' WHERE id = 'tui-gru-gate'")
    app = new_app(start="home", sync=False)

    async def scenario() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await wait_until(
                pilot,
                lambda: any("Something went wrong" in (n.title or "") for n in app._notifications),
                what="the error notification",
            )
            await pilot.pause()
            assert app.is_running
            assert isinstance(app.screen, HomeScreen)
            assert "JSONDecodeError" in screen_text(app)
            # the keys still work
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert app.is_running

    run(scenario())
    assert app.return_code in (None, 0)


def test_a_busy_database_while_rating_is_shown_and_the_rating_can_be_retried(
    new_app: AppFactory, db_url: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_BUSY_TIMEOUT_MS", "200")
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await wait_for_phase(pilot, "question")
            assert GATE in screen_text(app)
            await pilot.press("space")
            await wait_for_phase(pilot, "answer")
            # another process holds the write lock while the rating is saved
            other = sqlite3.connect(db_path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                await pilot.press("3")
                await wait_until(
                    pilot,
                    lambda: any(n.title == "Database" for n in app._notifications),
                    what="the database notification",
                )
                await wait_for_phase(pilot, "answer")
                assert "busy" in screen_text(app)
                assert reviews(db_url) == []
            finally:
                other.rollback()
                other.close()
            # the same key again, now that the lock is gone: saved, next card
            await pilot.press("3")
            await wait_for_phase(pilot, "question")
            assert [r.card_id for r in reviews(db_url)] == ["tui-gru-gate"]
            assert app.is_running

    run(scenario())
