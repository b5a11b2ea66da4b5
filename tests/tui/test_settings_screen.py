"""The settings screen: every setting of ``quizapp config``, changed from the app, checked
by the same rule, stored in the collection."""

from __future__ import annotations

from textual.widgets import Input

from quizapp.store.db import open_db
from quizapp.store.settings_db import load_settings
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.settings import SettingsScreen
from tui.apptest import AppFactory, run, screen_text, wait_until


def _stored_new_per_day(db_url: str) -> int:
    db = open_db(db_url)
    try:
        return load_settings(db).new_per_day
    finally:
        db.close()


def test_a_setting_is_changed_refused_and_reset_from_the_app(
    new_app: AppFactory, db_url: str
) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
                what="home",
            )
            await pilot.press("c")
            await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
            screen = app.screen
            box = screen.query_one("#set-new-per-day", Input)
            await wait_until(pilot, lambda: box.value == "20", what="stored value")
            text = screen_text(app)
            assert "new cards introduced per day; a whole number from 0 to 9,999" in text
            assert "reviews-per-day     200" in text
            assert box.has_focus

            # Not allowed: said under the box in the rule's words; the text stays, and
            # nothing is stored.
            box.value = ""
            await pilot.press(*"99999", "enter")
            await wait_until(
                pilot, lambda: "from 0 to 9,999" in screen_text(app) and "not" in screen_text(app)
            )
            assert "must be a whole number from 0 to 9,999" in screen_text(app)
            assert box.value == "99999"
            assert _stored_new_per_day(db_url) == 20

            # Allowed: stored in the collection, the message gone.
            box.value = ""
            await pilot.press(*"30", "enter")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) == 30, what="stored")
            await pilot.pause(0.1)
            assert "must be" not in screen_text(app)
            assert app.service.settings.new_per_day == 30

            # ctrl+r: the default again.
            await pilot.press("ctrl+r")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) == 20, what="default")
            await wait_until(pilot, lambda: box.value == "20", what="default shown")

            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

    run(scenario())
