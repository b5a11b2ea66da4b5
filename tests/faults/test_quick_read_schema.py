"""The app's first screen reads the database before the full stack loads; a file that
looks like a quizapp database but whose ``cards`` is an endless recursive view must be
refused as the full path refuses it, never read on the UI thread until the end of time.

The app runs as a user runs it: a real process on a pseudo-terminal, ``ctrl+q`` typed
on its keyboard.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from quizapp.store.db import open_db
from quizapp.store.queue import CARD_COLUMNS, COUNT_BY_STATE

#: a view with every column the queue reads, over an endless recursive query
_ENDLESS_CARDS = (
    "CREATE VIEW cards AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    "SELECT 'c' || n AS id, 'Deck' AS deck, '[]' AS topic, 'front' AS front, "
    "'back' AS back, 'basic' AS kind, 'deck.md' AS source, n AS line, 0 AS state, "
    "NULL AS due, 0 AS reviews, 0 AS lapses, NULL AS stability, NULL AS difficulty, "
    "NULL AS last_review, NULL AS cloze, NULL AS quiz, NULL AS parent, 0 AS retired, "
    "n AS ordinal, 0 AS suspended, NULL AS note, NULL AS buried_until FROM r"
)


def _trap(path: Path) -> None:
    """A quizapp database at the current revision whose ``cards`` is that view."""
    open_db(f"sqlite:///{path}").close()
    con = sqlite3.connect(path)
    try:
        con.execute("DROP TABLE cards")
        con.execute(_ENDLESS_CARDS)
        con.commit()
        # The view answers every column the queue reads (a real trap, not a typo): the
        # queue's own query would run, and run forever.
        con.execute(f"SELECT {', '.join(CARD_COLUMNS)} FROM cards LIMIT 1").fetchall()
        con.execute(f"EXPLAIN {COUNT_BY_STATE}", {"now": "2026-01-01", "siblings_since": "x"})
    finally:
        con.close()


def _run_on_terminal(argv: list[str], *, quit_after: float, wait: float) -> tuple[int | None, str]:
    """Run ``argv`` on an 80x24 pseudo-terminal; type ctrl+q after ``quit_after``
    seconds if it is still running; its exit status (None: still running after
    ``wait`` seconds, then killed) and everything it wrote."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    out = b""
    deadline = time.monotonic() + wait
    quit_at = time.monotonic() + quit_after
    try:
        while time.monotonic() < deadline:
            if quit_at and time.monotonic() > quit_at:
                os.write(master, b"\x11")  # ctrl+q
                quit_at = 0.0
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's other end is closed: the app is ending
                break
            if not chunk:
                break
            out += chunk
        try:
            code: int | None = proc.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            code = None
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    finally:
        os.close(master)
    return code, out.decode("utf-8", "replace")


def test_a_recursive_view_named_cards_is_refused_at_start(tmp_path: Path) -> None:
    db = tmp_path / "trap.db"
    _trap(db)
    deck = tmp_path / "decks"
    deck.mkdir()
    argv = [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck)]
    code, shown = _run_on_terminal(argv, quit_after=5, wait=20)
    assert code is not None, f"quizapp neither refused the file nor answered ctrl+q: {shown[-400:]}"
    assert code == 3, shown[-400:]
    assert "not a quizapp database" in shown


def test_cards_and_study_refuse_it_alike(tmp_path: Path) -> None:
    db = tmp_path / "trap.db"
    _trap(db)
    deck = tmp_path / "decks"
    deck.mkdir()
    for command in (["cards"], ["study"]):
        argv = [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck), *command]
        code, shown = _run_on_terminal(argv, quit_after=5, wait=20)
        assert code == 3, (command, shown[-400:])
        assert "not a quizapp database" in shown, command
