"""Fixtures shared by every test tier."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.store.db import Database, open_db


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads or writes the user's real database or deck settings."""
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "default.db"))
    monkeypatch.delenv("QUIZAPP_DECK", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh SQLite database file."""
    return tmp_path / "quiz.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A freshly migrated database in a temporary file."""
    database = open_db(f"sqlite:///{db_path}")
    yield database
    database.close()


class Clock:
    """A settable clock for the study service (aware UTC)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A clock fixed at 2026-01-01 12:00 UTC."""
    return Clock(datetime(2026, 1, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a deck file under a temporary folder and return its path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / "decks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
