"""Several processes on one database at once: no lost review, no crash.

quizapp does not add a retry loop of its own on top of SQLite's: every connection sets
a busy timeout (5 s, ``QUIZAPP_BUSY_TIMEOUT_MS`` overrides it), during which SQLite
itself keeps retrying the lock, and write transactions take the write lock up front
(``BEGIN IMMEDIATE``), so two writers queue instead of deadlocking. Reviews and syncs
hold the lock for milliseconds, so a second process only ever waits briefly; a lock
held for longer than the timeout means something else is wrong (a stuck process, a
long-running tool on the file), and then the user gets "the database is busy … try
again" with exit status 3 rather than an endless wait or a traceback.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

REVIEWS_EACH = 40
PROCESSES = 3


def test_parallel_sessions_lose_no_review(
    fault_db: Path | str, spawn: Any, probe: Any, fault_deck: Any, prepare: Any
) -> None:
    deck = fault_deck(200)
    db = fault_db
    prepare(db, deck)
    # Every process gets all of its input at once, so they rate as fast as they can
    # and their write transactions collide as often as possible.
    procs = [spawn(probe.argv(db, deck, "study", "--plain", "--limit", str(REVIEWS_EACH)))
             for _ in range(PROCESSES)]  # fmt: skip
    for i, proc in enumerate(procs):
        rating = str(i % 4 + 1)
        assert proc.proc.stdin is not None
        proc.proc.stdin.write(("\n" + rating + "\n").encode() * REVIEWS_EACH)
        proc.proc.stdin.flush()
    acked = {}
    for i, proc in enumerate(procs):
        assert proc.finish(120) == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        acked[str(i % 4 + 1)] = proc.stdout.count("saved: ")
        assert acked[str(i % 4 + 1)] == REVIEWS_EACH, proc.stdout[-2000:]

    if isinstance(db, Path):
        assert probe.integrity(db) == "ok"
    by_rating = dict(probe.rows(db, "SELECT rating, count(*) FROM reviews GROUP BY rating"))
    assert {str(k): v for k, v in by_rating.items()} == acked
    # Each card's state counts exactly the reviews logged for it: no update was lost
    # to another process's write of the same card.
    logged = dict(probe.rows(db, "SELECT card_id, count(*) FROM reviews GROUP BY card_id"))
    stored = dict(probe.rows(db, "SELECT id, reviews FROM cards WHERE reviews > 0"))
    assert stored == logged


def _hold_write_lock(db: Path, release: threading.Event, started: threading.Event) -> None:
    """Hold SQLite's write lock on ``db`` (as another writer would) until ``release``."""
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("BEGIN EXCLUSIVE")
        started.set()
        release.wait(60)
        con.execute("COMMIT")
    finally:
        con.close()


def _locked(db: Path) -> tuple[threading.Thread, threading.Event]:
    """Start holding the write lock; returns the holder and the event that ends it."""
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db, release, started))
    holder.start()
    assert started.wait(10)
    return holder, release


def test_a_short_lock_is_waited_out(
    tmp_path: Path, spawn: Any, probe: Any, fault_deck: Any, prepare: Any
) -> None:
    """Another process writing for a second: the review waits for it and goes through."""
    deck = fault_deck(10)
    db = tmp_path / "waits.db"
    prepare(db, deck)
    holder, release = _locked(db)
    t0 = time.monotonic()
    proc = spawn(probe.argv(db, deck, "study", "--plain", "--limit", "1"))
    proc.proc.stdin.write(b"\n3\n")
    proc.proc.stdin.flush()
    # Release the lock once the process is surely waiting for it: its first write (the
    # sync before the session) comes right after start-up.
    threading.Timer(1.0, release.set).start()
    code = proc.finish(60)
    holder.join()
    assert code == 0, proc.stderr
    assert "saved: Good" in proc.stdout
    assert time.monotonic() - t0 >= 0.9  # it really waited for the lock
    assert probe.rows(db, "SELECT count(*) FROM reviews") == [(1,)]


def test_reading_is_not_blocked_by_a_writer(
    tmp_path: Path, spawn: Any, probe: Any, fault_deck: Any, prepare: Any
) -> None:
    """WAL: listing cards works while another process holds the write lock."""
    deck = fault_deck(10)
    db = tmp_path / "reads.db"
    prepare(db, deck)
    holder, release = _locked(db)
    proc = spawn(
        probe.argv(db, deck, "cards", "--no-sync", "--json"),
        env={"QUIZAPP_BUSY_TIMEOUT_MS": "200"},
    )
    try:
        code = proc.finish(60)
    finally:
        release.set()
        holder.join()
    assert code == 0, proc.stderr
    assert proc.stdout.count('"front"') == 10


def test_a_lock_held_too_long_is_reported_not_a_traceback(
    tmp_path: Path, spawn: Any, probe: Any, fault_deck: Any, prepare: Any
) -> None:
    deck = fault_deck(10)
    db = tmp_path / "locked.db"
    prepare(db, deck)
    before = probe.rows(db, "SELECT count(*) FROM reviews")
    holder, release = _locked(db)
    t0 = time.monotonic()
    proc = spawn(probe.argv(db, deck, "study", "--plain"), env={"QUIZAPP_BUSY_TIMEOUT_MS": "300"})
    proc.proc.stdin.write(b"\n3\n")
    proc.proc.stdin.flush()
    try:
        code = proc.finish(60)
    finally:
        release.set()
        holder.join()
    waited = time.monotonic() - t0
    assert code == 3
    assert "the database is busy" in proc.stderr
    assert "try again" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert waited >= 0.3  # the busy timeout was honoured before giving up
    assert probe.integrity(db) == "ok"
    assert probe.rows(db, "SELECT count(*) FROM reviews") == before
