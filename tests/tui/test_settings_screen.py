"""The settings screen: every setting of ``quizapp config``, changed from the app, checked
by the same rule, stored in the collection."""

from __future__ import annotations

import re

from textual.pilot import Pilot
from textual.widgets import Input

from quizapp.store.db import open_db
from quizapp.store.settings import Settings
from quizapp.store.settings_db import load_settings
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.settings import SettingsScreen
from tui.apptest import AppFactory, burst, run, screen_text, settled, switched_to, wait_until


def _stored(db_url: str) -> Settings:
    db = open_db(db_url)
    try:
        return load_settings(db)
    finally:
        db.close()


def _stored_new_per_day(db_url: str) -> int:
    return _stored(db_url).new_per_day


async def _at_home(app: QuizApp, pilot: Pilot[None]) -> None:
    """The home screen, its counts shown."""
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
        what="home",
    )


async def _open_settings(app: QuizApp, pilot: Pilot[None]) -> Input:
    """The settings screen opened from home, its stored values shown; its first box."""
    await _at_home(app, pilot)
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    box = app.screen.query_one("#set-new-per-day", Input)
    await wait_until(pilot, lambda: box.value == "20", what="stored value")
    await settled(pilot)
    return box


def test_a_setting_is_changed_refused_and_reset_from_the_app(
    new_app: AppFactory, db_url: str
) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            box = await _open_settings(app, pilot)
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


def test_every_key_of_a_fast_burst_lands_where_it_was_typed(
    new_app: AppFactory, db_url: str
) -> None:
    """Editing keys (backspace, ctrl+u, the arrows) act in their place among the
    characters, however fast they come: the value saved is the one typed."""
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            box = await _open_settings(app, pilot)
            burst(app, "backspace", "backspace", *"1234", "enter")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) != 20, what="saved")
            await settled(pilot)
            assert box.value == "1234"
            assert _stored_new_per_day(db_url) == 1234

            burst(app, "ctrl+u", *"48", "left", "7", "home", "backspace", "9", "enter")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) != 1234, what="saved")
            await settled(pilot)
            assert box.value == "9478"
            assert _stored_new_per_day(db_url) == 9478
            assert re.search(r"new-per-day +9478 ", screen_text(app))

            # Tab and on: the characters typed behind it go to the next box.
            burst(app, "tab", *"150", "enter")
            await wait_until(pilot, lambda: _stored(db_url).reviews_per_day == 150, what="saved")
            await settled(pilot)
            assert box.value == "9478"
            assert _stored_new_per_day(db_url) == 9478
            assert re.search(r"reviews-per-day +150 ", screen_text(app))

    run(scenario())


def test_the_last_of_two_quick_saves_is_the_one_kept(new_app: AppFactory, db_url: str) -> None:
    """A value saved while the one before is still being written: the box keeps what
    was typed after the first Enter, and the collection ends with the second value."""
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            box = await _open_settings(app, pilot)
            burst(app, "ctrl+u", *"55", "enter", "ctrl+u", *"1234", "enter")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) != 20, what="saved")
            await settled(pilot)
            assert box.value == "1234"
            assert _stored_new_per_day(db_url) == 1234
            assert app.service.settings.new_per_day == 1234

            # Typing goes on while a save is written: what was typed stays.
            burst(app, "ctrl+u", *"66", "enter", *"77")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) == 66, what="saved")
            await settled(pilot)
            assert box.value == "6677"

    run(scenario())


def test_keys_typed_as_the_settings_open_go_into_the_first_box(
    new_app: AppFactory, db_url: str
) -> None:
    """``c`` and the new value typed right behind it: in the same burst (sent to the
    home screen before the ``c`` took effect) or a moment later (sent while the
    settings were being built), the keys wait for the first box and land there, in
    order."""
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await _at_home(app, pilot)
            await settled(pilot)
            burst(app, "c", "ctrl+u", *"125", "backspace", "enter")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) == 12, what="saved")
            await settled(pilot)
            box = app.screen.query_one("#set-new-per-day", Input)
            assert box.has_focus
            assert box.value == "12"
            assert re.search(r"new-per-day +12 ", screen_text(app))

            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await settled(pilot)
            burst(app, "c")
            await switched_to(app, SettingsScreen)
            assert app.screen.focused is None  # still being built
            burst(app, "ctrl+u", *"34", "tab", *"45", "enter")
            await wait_until(pilot, lambda: _stored(db_url).reviews_per_day == 45, what="saved")
            await settled(pilot)
            assert _stored_new_per_day(db_url) == 12
            assert app.screen.query_one("#set-new-per-day", Input).value == "34"

    run(scenario())


def test_typing_in_the_box_the_screen_opens_on_replaces_its_value(
    new_app: AppFactory, db_url: str
) -> None:
    """The first box is selected once its stored value is shown, as a box is when it
    takes the focus: the value typed replaces it."""
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            box = await _open_settings(app, pilot)
            await pilot.press(*"12", "enter")
            await wait_until(pilot, lambda: _stored_new_per_day(db_url) != 20, what="saved")
            assert _stored_new_per_day(db_url) == 12
            assert box.value == "12"

    run(scenario())
