"""SVG snapshots of the screens people see most (``--snapshot-update`` to accept a change).

The clock is fixed (intervals and counts), the draw of a computational card is seeded,
the graded card has a wrong answer (its suggested rating does not depend on how fast the
test runs) and notifications are cleared before the screenshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from quizapp.tui.screens.home import HomeScreen
from tui.apptest import SIZE, AppFactory, screen_text, wait_for_phase, wait_until

SnapCompare = Callable[..., bool]


async def _home(pilot: Pilot[Any]) -> None:
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, HomeScreen) and "reviewed" in screen_text(pilot.app),  # type: ignore[arg-type]
        what="home",
    )
    await _settle(pilot)


async def _settle(pilot: Pilot[Any]) -> None:
    # Let deferred layout (the hidden answer, scrolling to the verdict) finish, and drop
    # the "saved" toasts: whether one is still up depends on how fast the test ran.
    await pilot.pause(0.2)
    pilot.app.clear_notifications()
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


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


def test_home(snap_compare: SnapCompare, new_app: AppFactory) -> None:
    assert snap_compare(new_app(start="home"), terminal_size=SIZE, run_before=_home)


def test_question(snap_compare: SnapCompare, new_app: AppFactory) -> None:
    assert snap_compare(new_app(), terminal_size=SIZE, run_before=_question)


def test_answer_with_math(snap_compare: SnapCompare, new_app: AppFactory) -> None:
    assert snap_compare(new_app(), terminal_size=SIZE, run_before=_answer)


def test_graded_computational_card(snap_compare: SnapCompare, new_app: AppFactory) -> None:
    assert snap_compare(new_app(), terminal_size=SIZE, run_before=_graded)
