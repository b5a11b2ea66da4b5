"""Helpers of the app tests: the fixture deck's cards, a fixed clock, and waits on the app
instead of sleeps."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

import quizapp
from quizapp.store.db import open_db
from quizapp.store.schema import Review
from quizapp.tui.app import QuizApp

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SIZE = (120, 36)
#: the clock every app test runs at
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SEED = 7

#: builds an app on the fixture deck (the ``new_app`` fixture)
AppFactory = Callable[..., QuizApp]

# The fixture deck's cards, in study order (new cards come in file order).
GATE = "What does a GRU's update gate do?"
CONV = "Output size of a convolution"
MARKUP = "Markup stays text: [bold]x[/bold]"
CODE = "Layer normalization in PyTorch"
CJK = "注意力机制是什么？"
CLOZE = "Cloze: the LSTM output"
GRU = "GRU parameter count"
QUIZ = "nn.GRU(input_size="


def run(scenario: Coroutine[Any, Any, None]) -> None:
    """Run an async Pilot scenario from a plain test function."""
    asyncio.run(scenario)


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], *, timeout: float = 20.0, what: str = ""
) -> None:
    """Let the app run until ``condition()`` holds (workers finish in their own time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


async def settled(pilot: Pilot[Any]) -> None:
    """Let everything the last key started finish: its workers (and whatever they
    posted back) and the next refresh. What holds afterwards is what the key did —
    for a key that must do nothing, that nothing happened."""
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def burst(app: App[Any], *keys: str) -> None:
    """Send ``keys`` as a terminal delivers a fast burst (a paste, ``tmux send-keys``):
    all at once, none waiting for the one before to be handled (``Pilot.press`` waits)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def switched_to(app: App[Any], screen: type[Screen[Any]], *, timeout: float = 20.0) -> None:
    """Let the app run only until it has switched to a ``screen`` — not until that
    screen is built: a key sent now is one typed right after the key that opened it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not isinstance(app.screen, screen):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {screen.__name__}")
        await asyncio.sleep(0)


def screen_text(app: QuizApp) -> str:
    """What the terminal shows now, as plain text lines."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def region_lines(app: App[Any], widget: Widget, width: int | None = None) -> list[str]:
    """What the terminal shows in ``widget``'s region (its first ``width`` cells, and
    only the lines on screen), line by line; a wide character is one character there,
    of two cells."""
    region = widget.region.intersection(app.screen.region)
    right = region.right if width is None else region.x + width
    strips = app.screen._compositor.render_strips()
    return [strips[y].crop(region.x, right).text.rstrip() for y in range(region.y, region.bottom)]


async def footer_drawn(pilot: Pilot[Any]) -> None:
    """Wait until the screen's key footer shows its keys: on a screen the app opened
    on, the footer follows the first frame (``FooterSlot``)."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: not app.screen.query("FooterSlot") or bool(app.screen.query("FooterKey")),
        what="the key footer",
    )


async def wait_for_phase(pilot: Pilot[Any], *phases: str, timeout: float = 20.0) -> None:
    """Wait until the study screen is in one of ``phases``."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: getattr(app.screen, "phase", None) in phases,
        timeout=timeout,
        what=f"phase {phases}",
    )
    await pilot.pause()


def reviews(db_url: str) -> list[Review]:
    """The review log as the database has it now (a separate connection)."""
    db = open_db(db_url)
    try:
        with db.session(write=False) as s:
            return list(s.scalars(select(Review).order_by(Review.id)))
    finally:
        db.close()


def fresh_interpreter(
    code: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (indented as written in a test) in a new interpreter (in ``cwd``),
    on the quizapp under test whatever the working directory holds, with ``env``
    added."""
    root = str(Path(quizapp.__file__).resolve().parent.parent)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={
            **os.environ,
            **env,
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
        },
    )
