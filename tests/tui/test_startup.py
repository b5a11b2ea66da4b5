"""Start-up: the first screen comes from the quick read, before the database stack, and
is the screen the full stack computes; keys pressed meanwhile are handled on the card
they were pressed on, and dropped (saying so) when the full stack shows another.

A helper process holding the database's write lock keeps the app between the two (the
full path waits to record the deck file saved since the last sync), so each test sees
the quick screen, acts on it, then lets the full stack land.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

import quizapp
from quizapp.store.db import open_db
from quizapp.store.sync import sync_decks
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen
from tui.apptest import (
    GATE,
    SIZE,
    AppFactory,
    footer_drawn,
    fresh_interpreter,
    reviews,
    run,
    screen_text,
    wait_for_phase,
    wait_until,
)


@contextmanager
def write_lock(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database's write lock until the block ends."""
    code = f"""
        import sqlite3, sys
        con = sqlite3.connect({str(db_path)!r}, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        sys.stdin.read()
        con.execute("ROLLBACK")
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.communicate("", timeout=30)


async def settled_text(pilot: Pilot[None], app: QuizApp) -> str:
    """The whole screen: once its key footer is drawn (it follows the first frame) and
    two looks 0.1 s apart agree (a busy machine draws late)."""
    await footer_drawn(pilot)
    before = screen_text(app)
    while True:
        await pilot.pause(0.1)
        now = screen_text(app)
        if now == before:
            return now
        before = now


def _synced(db_url: str, deck: Path) -> None:
    db = open_db(db_url)
    try:
        sync_decks(db, [deck])
    finally:
        db.close()


@pytest.fixture
def synced(db_url: str, deck: Path) -> Path:
    """The fixture deck synced once, as by an earlier run, then saved again with a
    trailing blank line (no card changes): the next sync has a file to record, so it
    waits for a write lock another process holds. Returns the deck file."""
    _synced(db_url, deck)
    with deck.open("a", encoding="utf-8") as fh:
        fh.write("\n")
    return deck


def test_the_quick_first_card_is_the_sessions_first_card(
    new_app: AppFactory, synced: Path, db_path: Path
) -> None:
    app = new_app(start="study")

    async def scenario() -> None:
        with write_lock(db_path) as holder:
            async with app.run_test(size=SIZE) as pilot:
                await wait_for_phase(pilot, "question")
                quick = await settled_text(pilot, app)
                assert GATE in quick
                assert "8 new" in quick
                assert not app.ready
                holder.communicate("", timeout=30)
                await wait_until(pilot, lambda: app.ready, what="full stack")
                assert await settled_text(pilot, app) == quick

    run(scenario())


def test_a_key_pressed_while_loading_is_handled_once_ready(
    new_app: AppFactory, synced: Path, db_path: Path
) -> None:
    app = new_app(start="study")

    async def scenario() -> None:
        with write_lock(db_path) as holder:
            async with app.run_test(size=SIZE) as pilot:
                await wait_for_phase(pilot, "question")
                await pilot.press("space", "3")  # reveal, then Good
                await wait_until(pilot, lambda: app.held == 2, what="both keys held")
                screen = app.screen
                assert isinstance(screen, StudyScreen) and screen.phase == "question"
                holder.communicate("", timeout=30)
                await wait_until(pilot, lambda: len(reviews(app.db_url)) == 1, what="review")
                await wait_for_phase(pilot, "question")
                assert GATE not in screen_text(app)

    run(scenario())
    (review,) = reviews(app.db_url)
    assert review.card_id == "tui-gru-gate" and review.rating == 3


NEW_FIRST = "What does a GRU's reset gate do?"


def test_keys_pressed_on_a_card_the_sync_replaced_are_dropped(
    new_app: AppFactory, synced: Path, db_path: Path
) -> None:
    # A pull brought a card before the first one. Until the sync (held back by another
    # process's write lock) reads it, the screen shows the old first card; the keys
    # pressed on it must not rate the new one, which was never on screen.
    text = synced.read_text(encoding="utf-8")
    pulled = f"### {NEW_FIRST} {{#tui-gru-reset}}\n\nIt decides how much of the past to forget.\n\n"
    synced.write_text(text.replace(f"### {GATE}", pulled + f"### {GATE}"), encoding="utf-8")
    app = new_app(start="study")

    async def scenario() -> None:
        with write_lock(db_path) as holder:
            async with app.run_test(size=SIZE) as pilot:
                await wait_for_phase(pilot, "question")
                assert GATE in screen_text(app)  # what the database holds until the sync
                await pilot.press("space", "3")  # reveal, then Good: meant for GATE
                await wait_until(pilot, lambda: app.held == 2, what="both keys held")
                holder.communicate("", timeout=30)
                await wait_until(pilot, lambda: app.ready, what="full stack")
                await wait_until(pilot, lambda: NEW_FIRST in screen_text(app), what="new card")
                shown = screen_text(app)
                assert GATE not in shown
                assert "2 keys pressed while loading were not used" in shown
                screen = app.screen
                assert isinstance(screen, StudyScreen) and screen.phase == "question"

    run(scenario())
    assert reviews(app.db_url) == []


def test_an_edited_first_card_drops_the_keys_pressed_on_its_old_text(
    new_app: AppFactory, synced: Path, db_path: Path
) -> None:
    edited = synced.read_text(encoding="utf-8").replace(GATE, NEW_FIRST)
    synced.write_text(edited, encoding="utf-8")
    app = new_app(start="study")

    async def scenario() -> None:
        with write_lock(db_path) as holder:
            async with app.run_test(size=SIZE) as pilot:
                await wait_for_phase(pilot, "question")
                assert GATE in screen_text(app)
                await pilot.press("space")
                await wait_until(pilot, lambda: app.held == 1, what="the key held")
                holder.communicate("", timeout=30)
                await wait_until(pilot, lambda: app.ready, what="full stack")
                await wait_until(pilot, lambda: NEW_FIRST in screen_text(app), what="new text")
                assert "1 key pressed while loading was not used" in screen_text(app)
                screen = app.screen
                assert isinstance(screen, StudyScreen) and screen.phase == "question"

    run(scenario())
    assert reviews(app.db_url) == []


def test_the_home_screen_updates_when_the_sync_lands(
    new_app: AppFactory, synced: Path, db_path: Path
) -> None:
    text = synced.read_text(encoding="utf-8")
    synced.write_text(text + "\n## Extra\n\n### A ninth card\n\nIts answer.\n", encoding="utf-8")
    app = new_app(start="home")

    async def scenario() -> None:
        with write_lock(db_path) as holder:
            async with app.run_test(size=SIZE) as pilot:
                await wait_until(pilot, lambda: "waiting now" in screen_text(app))
                quick = screen_text(app)
                assert "0 reviewed · waiting now: 8 new · 0 learning · 0 due" in quick
                assert "Extra" not in quick
                await pilot.press("s")
                holder.communicate("", timeout=30)
                await wait_until(pilot, lambda: app.ready, what="full stack")
                await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))
                await wait_for_phase(pilot, "question")
                await pilot.press("escape")
                await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
                await wait_until(pilot, lambda: "9 new" in screen_text(app), what="new counts")
                assert "Extra" in screen_text(app)

    run(scenario())


def test_the_home_screen_quick_and_full(new_app: AppFactory, synced: Path, db_path: Path) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        with write_lock(db_path) as holder:
            async with app.run_test(size=SIZE) as pilot:
                await wait_until(pilot, lambda: "waiting now" in screen_text(app))
                quick = await settled_text(pilot, app)
                assert "press s to study the 8 cards waiting" in quick
                assert not app.ready
                holder.communicate("", timeout=30)
                await wait_until(pilot, lambda: app.ready, what="full stack")
                assert await settled_text(pilot, app) == quick

    run(scenario())


_ESCAPE = re.compile(rb"\x1b(\[[0-9;?$>]*[A-Za-z]|\][^\x07]*\x07)")


def _terminal_env() -> dict[str, str]:
    """The environment of a launch in a terminal of :data:`SIZE`, running the quizapp
    under test whatever the working directory holds."""
    root = str(Path(quizapp.__file__).resolve().parent.parent)
    return {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(SIZE[0]),
        "LINES": str(SIZE[1]),
        "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
    }


def _shown_by(argv: list[str], env: dict[str, str], text: str) -> str:
    """Everything ``argv`` writes to a terminal of :data:`SIZE` up to the moment
    ``text`` first appears on it (escapes removed, runs of spaces as one)."""
    master, slave = os.openpty()
    cols, rows = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    raw = b""
    try:
        deadline = time.monotonic() + 60
        while True:
            shown = " ".join(_ESCAPE.sub(b" ", raw).decode("utf-8", "replace").split())
            if text in shown:
                return shown[: shown.index(text) + len(text)]
            ready, _, _ = select.select([master], [], [], max(deadline - time.monotonic(), 0))
            assert ready, f"no {text!r} after 60 s: {shown[-800:]}"
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            assert chunk, f"the app ended before showing {text!r}: {shown[-800:]}"
            raw += chunk
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def test_the_home_screen_is_drawn_whole_in_a_terminal(
    synced: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # By the time a real terminal shows the decks, it shows the counts and the line
    # saying what to press: the first frame is the whole screen, not a tree that the
    # rest joins a frame later, while the full stack loads.
    monkeypatch.chdir(tmp_path)  # the quizapp under test, whatever the directory holds
    argv = [sys.executable, "-m", "quizapp", "--db", db_url, "--deck", str(synced)]
    shown = _shown_by(argv, _terminal_env(), "TUI fixture [b]deck[/b] 8 0 0")
    assert "0 reviewed · waiting now: 8 new · 0 learning · 0 due" in shown, shown
    assert "press s to study the 8 cards waiting" in shown, shown
    assert "deck / topic new learn due" in shown, shown


def test_a_new_database(new_app: AppFactory, db_path: Path) -> None:
    assert not db_path.exists()
    app = new_app(start="study")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space")  # before any card is on screen: meant for none
            await wait_until(pilot, lambda: app.ready, what="full stack")
            await wait_for_phase(pilot, "question")
            shown = screen_text(app)
            assert GATE in shown
            assert "1 key pressed while loading was not used: no card was shown" in shown

    run(scenario())
    assert db_path.is_file()


def test_a_lock_held_too_long_is_reported_and_nothing_is_written(
    new_app: AppFactory, synced: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_BUSY_TIMEOUT_MS", "200")
    app = new_app(start="study")

    async def scenario() -> None:
        with write_lock(db_path):
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                await wait_for_phase(pilot, "question")
                assert GATE in screen_text(app)
                await pilot.press("space", "3")
                await wait_until(pilot, lambda: app.ready, what="the sync to give up")
                await wait_for_phase(pilot, "done")
                assert any("busy" in n.message for n in app._notifications)
                assert "could not start" in screen_text(app)
                assert app.is_running

    run(scenario())
    assert reviews(f"sqlite:///{db_path}") == []


def _loaded_when_drawn(
    start: str, shown: str, heavy: tuple[str, ...], synced: Path, db_url: str, cwd: Path
) -> list[str]:
    """In a fresh interpreter, the app opening on ``start``: which modules of ``heavy``
    were imported when the first frame where ``shown`` (an expression on ``screen``)
    holds was handed to the terminal, and which once the start screen was ready."""
    code = f"""
        import asyncio, sys
        from pathlib import Path
        from quizapp.tui.app import make_app

        app = make_app(db_url={db_url!r}, deck_paths=[Path({str(synced)!r})], start={start!r})
        display, painted = app._display, []

        def spy(screen, update):
            display(screen, update)
            if not painted and {shown}:
                painted.append(sorted(m for m in {heavy!r} if m in sys.modules))

        app._display = spy

        async def main():
            async with app.run_test(size=(120, 36)) as pilot:
                while not app.ready:
                    await pilot.pause(0.02)
            print(painted[0])
            print(sorted(m for m in {heavy!r} if m in sys.modules))

        asyncio.run(main())
    """
    result = fresh_interpreter(code, cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_nothing_but_textual_and_the_first_screen_runs_before_it_is_drawn(
    synced: Path, db_url: str, tmp_path: Path
) -> None:
    # Which of the heavy packages were imported before the first frame showing the
    # card was handed to the terminal. The deck is unchanged since the last sync: the
    # parser has nothing to read.
    _synced(db_url, synced)
    heavy = ("sqlalchemy", "alembic", "fsrs", "torch", "quizapp.deckfile.parse", "pylatexenc")
    shown = 'getattr(screen, "prompt", None) is not None'
    before, ready = _loaded_when_drawn("study", shown, heavy, synced, db_url, tmp_path)
    assert before == "[]"
    # The card's answer has math: it is laid out (hidden) after the first frame.
    assert ready == "['fsrs', 'pylatexenc', 'sqlalchemy']"


def test_the_home_screen_is_drawn_without_the_card_renderer(
    synced: Path, db_url: str, tmp_path: Path
) -> None:
    # The home screen shows no card: its first frame waits neither for the database
    # stack nor for the markdown renderer of cards.
    _synced(db_url, synced)
    heavy = ("sqlalchemy", "fsrs", "torch", "markdown_it", "textual.widgets._markdown")
    shown = 'type(screen).__name__ == "HomeScreen"'
    before, _ = _loaded_when_drawn("home", shown, heavy, synced, db_url, tmp_path)
    assert before == "[]"


def test_the_card_comes_first_and_the_keys_follow_in_a_terminal(
    synced: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `quizapp study` in a real terminal: the footer's keys arrive once the card is
    # drawn, never before it, and they do arrive.
    monkeypatch.chdir(tmp_path)
    argv = [sys.executable, "-m", "quizapp", "--db", db_url, "--deck", str(synced), "study"]
    shown = _shown_by(argv, _terminal_env(), "space Show answer u Undo")
    assert GATE in shown, shown


def test_the_garbage_collector_waits_for_the_first_frame_only(
    synced: Path, db_url: str, tmp_path: Path
) -> None:
    # Through the command line, as a launch runs: the collector is off while the first
    # card is drawn (start-up makes nothing to free), and on again once the session is
    # open, with what start-up made set aside; the command leaves it on.
    _synced(db_url, synced)
    code = f"""
        import gc
        from quizapp.cli import main
        from quizapp.tui.app import QuizApp

        seen = {{}}
        display, ready = QuizApp._display, QuizApp.screen_ready

        def spy(app, screen, update):
            display(app, screen, update)
            if "first card" not in seen and getattr(screen, "prompt", None) is not None:
                seen["first card"] = gc.isenabled()

        def on_ready(app, **kwargs):
            seen["ready"] = gc.isenabled()
            seen["set aside"] = gc.get_freeze_count() > 0
            return ready(app, **kwargs)

        QuizApp._display, QuizApp.screen_ready = spy, on_ready
        code = main(["--db", {db_url!r}, "--deck", {str(synced)!r}, "study"])
        print("collecting:", seen, "after:", gc.isenabled(), "exit:", code)
    """
    result = fresh_interpreter(code, tmp_path, QUIZAPP_EXIT_AFTER_FIRST_CARD="1")
    assert result.returncode == 0, result.stderr
    expected = "{'first card': False, 'ready': True, 'set aside': True} after: True exit: 0"
    assert f"collecting: {expected}" in result.stdout, result.stdout
