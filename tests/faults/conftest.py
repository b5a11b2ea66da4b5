"""Driving real ``quizapp`` processes for the fault tests: start, talk to, kill, inspect.

The tests run in pytest's importlib mode (no shared helper modules), so the helpers
reach them as fixtures: ``spawn`` starts a process (and kills any left running when
the test ends), ``probe`` inspects a database file the way a fresh reader sees it,
``fault_deck`` writes a deck and ``prepare_db`` creates and syncs a database.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from quizapp.store.db import open_db
from quizapp.store.schema import Meta
from quizapp.store.settings import SETTINGS
from quizapp.store.sync import sync_decks


def basic_deck(cards: int, *, title: str = "Fault deck", offset: int = 0) -> str:
    """A deck of ``cards`` basic cards with unique questions (so a question names its card)."""
    lines = [f"# {title}", ""]
    for topic in range(0, cards, 10):
        lines += [f"## Topic {topic // 10 + 1}", ""]
        for i in range(offset + topic, offset + min(cards, topic + 10)):
            lines += [f"### Question number {i + 1}?", "", f"- answer {i + 1}", "- more", ""]
    return "\n".join(lines)


def _url(db: Path | str) -> str:
    """A database given as a SQLite file path or as a URL (PostgreSQL runs)."""
    return db if isinstance(db, str) else f"sqlite:///{db}"


def prepare_db(db: Path | str, deck: Path, *, new_per_day: int = 9_999) -> None:
    """Create and sync the database, lifting the new-card limit so sessions never run dry."""
    database = open_db(_url(db))
    try:
        sync_decks(database, [deck])
        with database.session() as s:
            s.merge(Meta(key=SETTINGS["new-per-day"].meta_key, value=new_per_day))
    finally:
        database.close()


class Process:
    """A running ``quizapp`` whose stdout is collected by a thread as it arrives."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self._out = bytearray()
        self._read_pos = 0
        self.finished = False
        # Chunks may end inside a multi-byte character: decode incrementally.
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._err = bytearray()
        self._lock = threading.Condition()
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self._out), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self._err), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _pump(self, stream: object, into: bytearray) -> None:
        fd = stream.fileno()  # type: ignore[attr-defined]
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            with self._lock:
                if not chunk:
                    self._lock.notify_all()
                    return
                into.extend(chunk)
                self._lock.notify_all()

    @property
    def stdout(self) -> str:
        """Everything printed so far."""
        with self._lock:
            return self._out.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        """Everything printed on stderr so far."""
        with self._lock:
            return self._err.decode("utf-8", "replace")

    def read(self, timeout: float) -> str | None:
        """Text printed since the last ``read``, once there is some; None when nothing
        came within ``timeout`` or the process has exited and everything was read."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._out) <= self._read_pos:
                left = deadline - time.monotonic()
                if left <= 0 or not self._threads[0].is_alive():
                    return None
                self._lock.wait(min(left, 0.05))
            chunk = bytes(self._out[self._read_pos :])
            self._read_pos = len(self._out)
        return self._decoder.decode(chunk)

    def send(self, line: str) -> None:
        """Type ``line`` and Enter."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def kill(self) -> None:
        """SIGKILL: no handler, no cleanup, no flush."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.finish()

    def finish(self, timeout: float = 30) -> int:
        """Wait for the exit and the output threads; return the exit status."""
        code = self.proc.wait(timeout)
        self.finished = True
        for t in self._threads:
            t.join(timeout)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        return code


class Probe:
    """Reads a database on a fresh connection, as a new process would after a crash: a
    SQLite file (a path) or a PostgreSQL database (a URL)."""

    @staticmethod
    def integrity(db: Path) -> str:
        """``PRAGMA integrity_check`` of the file."""
        con = sqlite3.connect(db)
        try:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            con.close()

    @staticmethod
    def rows(db: Path | str, sql: str, *params: object) -> list[tuple[object, ...]]:
        """Rows of ``sql`` on a fresh connection to ``db`` (``?`` parameters on SQLite)."""
        if isinstance(db, str):
            from sqlalchemy import create_engine, text

            assert not params, "parameters are for SQLite files only"
            engine = create_engine(db)
            try:
                with engine.connect() as conn:
                    return [tuple(r) for r in conn.execute(text(sql))]
            finally:
                engine.dispose()
        con = sqlite3.connect(db)
        try:
            return list(con.execute(sql, params).fetchall())
        finally:
            con.close()

    @staticmethod
    def argv(db: Path | str, deck: Path, *args: str) -> list[str]:
        """The command line of a real ``quizapp`` process on ``db`` and ``deck``."""
        return [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck), *args]


@pytest.fixture
def probe() -> type[Probe]:
    """Database inspection and command lines (see :class:`Probe`)."""
    return Probe


@pytest.fixture
def spawn() -> Iterator[Callable[..., Process]]:
    """Start ``quizapp`` processes; any still running when the test ends is killed."""
    started: list[Process] = []

    def start(argv: Sequence[str], env: dict[str, str] | None = None) -> Process:
        proc = Process(argv, env)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if not proc.finished:
            proc.kill()


@pytest.fixture
def fault_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write a deck of N basic cards with unique questions; returns its path."""

    def write(cards: int, name: str = "deck.md", files: int = 1) -> Path:
        if files == 1:
            path = tmp_path / name
            path.write_text(basic_deck(cards), encoding="utf-8")
            return path
        folder = tmp_path / name
        folder.mkdir()
        per = cards // files
        for i in range(files):
            text = basic_deck(per, title=f"Deck {i + 1}", offset=i * per)
            (folder / f"part-{i + 1:02d}.md").write_text(text, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def fault_db(backend: str, new_db_url: Callable[[str], str], tmp_path: Path) -> Path | str:
    """The test's database, on each backend: a SQLite file path, or a PostgreSQL URL."""
    return tmp_path / "fault.db" if backend == "sqlite" else new_db_url("fault")


@pytest.fixture
def prepare() -> Callable[..., None]:
    """Create and sync a database (see :func:`prepare_db`)."""
    return prepare_db
