"""SVG snapshots of every screen at the design size, 80x24, and at 120x36
(``--snapshot-update`` to accept a change).

The clock is fixed (intervals and counts), the draw of a computational card is seeded,
the graded card has a wrong answer (its suggested rating does not depend on how fast the
test runs), the interview's timer is stopped and notifications are cleared before the
screenshot. The deck is copied to a fixed path, which the browse screen shows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from quizapp.tui.app import InterviewOptions
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.settings import SettingsScreen
from quizapp.tui.screens.stats import StatsScreen
from tui.apptest import (
    FIXTURES,
    AppFactory,
    footer_drawn,
    screen_text,
    wait_for_phase,
    wait_until,
)

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
#: where the deck lives in every snapshot (the browse screen shows its path)
FIXED_DECK = Path(tempfile.gettempdir()) / "quizapp-snapshots" / "decks" / "study-deck.md"


@pytest.fixture
def fixed_deck() -> Path:
    """The fixture deck at :data:`FIXED_DECK` (written whole: tests run in parallel)."""
    FIXED_DECK.parent.mkdir(parents=True, exist_ok=True)
    source = (FIXTURES / "study-deck.md").read_bytes()
    if not FIXED_DECK.exists() or FIXED_DECK.read_bytes() != source:
        tmp = FIXED_DECK.with_name(f".{os.getpid()}.tmp")
        shutil.copyfile(FIXTURES / "study-deck.md", tmp)
        tmp.replace(FIXED_DECK)
    return FIXED_DECK


async def _settle(pilot: Pilot[Any]) -> None:
    # Let deferred layout (the hidden answer, scrolling to the verdict) finish, and drop
    # the "saved" toasts: whether one is still up depends on how fast the test ran.
    # The cursor of a focused box stops blinking: it is drawn, always.
    await footer_drawn(pilot)
    await pilot.pause(0.2)
    pilot.app.clear_notifications()
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause(0.1)


async def _home(pilot: Pilot[Any]) -> None:
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, HomeScreen) and "reviewed" in screen_text(pilot.app),  # type: ignore[arg-type]
        what="home",
    )
    await _settle(pilot)


async def _question(pilot: Pilot[Any]) -> None:
    await wait_for_phase(pilot, "question")
    await _settle(pilot)


async def _answer(pilot: Pilot[Any]) -> None:
    # The second card: display math and inline math.
    await wait_for_phase(pilot, "question")
    await pilot.press("space")
    await wait_for_phase(pilot, "answer")
    await pilot.press("3")
    await wait_for_phase(pilot, "question")
    await pilot.press("space")
    await wait_for_phase(pilot, "answer")
    await _settle(pilot)


async def _graded(pilot: Pilot[Any]) -> None:
    for _ in range(7):
        await wait_for_phase(pilot, "question")
        await pilot.press("space")
        await wait_for_phase(pilot, "answer")
        await pilot.press("3")
    await wait_for_phase(pilot, "typing")
    await pilot.press(*"1000", "enter")
    await wait_for_phase(pilot, "graded")
    await _settle(pilot)


async def _open_from_home(pilot: Pilot[Any], key: str, screen: type) -> None:
    await _home(pilot)
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen), what=key)


async def _browse(pilot: Pilot[Any]) -> None:
    await _open_from_home(pilot, "b", BrowseScreen)
    await wait_until(pilot, lambda: "8 of 8 cards" in screen_text(pilot.app), what="cards")  # type: ignore[arg-type]
    await _settle(pilot)


async def _stats(pilot: Pilot[Any]) -> None:
    await _open_from_home(pilot, "t", StatsScreen)
    await wait_until(pilot, lambda: pilot.app.screen.stats is not None, what="stats")  # type: ignore[attr-defined]
    await _settle(pilot)


async def _help(pilot: Pilot[Any]) -> None:
    await _open_from_home(pilot, "question_mark", HelpScreen)
    await _settle(pilot)


async def _settings(pilot: Pilot[Any]) -> None:
    await _open_from_home(pilot, "c", SettingsScreen)
    await wait_until(pilot, lambda: "reviews-per-day     200" in screen_text(pilot.app))  # type: ignore[arg-type]
    await _settle(pilot)


async def _interview_setup(pilot: Pilot[Any]) -> None:
    await _home(pilot)
    await pilot.press("i")
    await wait_until(pilot, lambda: "A new mock interview" in screen_text(pilot.app))  # type: ignore[arg-type]
    await _settle(pilot)


def _stop_the_clock(screen: InterviewScreen) -> None:
    screen.clock = lambda: screen.shown_at


async def _interview(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, InterviewScreen))
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen)
    await wait_until(pilot, lambda: screen.phase in ("question", "typing"), what="question")
    _stop_the_clock(screen)
    screen._tick()
    await _settle(pilot)


async def _report(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, InterviewScreen))
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen)
    while True:
        await wait_until(pilot, lambda: screen.phase in ("question", "typing", "report"))
        if screen.phase == "report":
            break
        _stop_the_clock(screen)
        if screen.phase == "typing":
            await pilot.press("1", "enter")
            await wait_until(pilot, lambda: screen.phase == "graded", what="graded")
            await pilot.press("enter")
        else:
            await pilot.press("space")
            await wait_until(pilot, lambda: screen.phase == "scoring", what="scoring")
            await pilot.press("2")
    await _settle(pilot)


SCREENS = {
    "home": ("home", _home),
    "question": ("study", _question),
    "answer": ("study", _answer),
    "graded": ("study", _graded),
    "browse": ("home", _browse),
    "stats": ("home", _stats),
    "help": ("home", _help),
    "settings": ("home", _settings),
    "interview-setup": ("home", _interview_setup),
    "interview": ("interview", _interview),
    "report": ("interview", _report),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(
    snap_compare: SnapCompare,
    new_app: AppFactory,
    fixed_deck: Path,
    name: str,
    size: tuple[int, int],
) -> None:
    start, run_before = SCREENS[name]
    app = new_app(start=start, deck_paths=[fixed_deck], interview=InterviewOptions(questions=2))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
