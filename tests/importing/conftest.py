"""Shared pieces of the Anki import tests: a real collection, the command as run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quizapp.cli import main

from .ankibuild import AnkiBuilder


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[AnkiBuilder]:
    """An empty Anki collection (FSRS off, Anki's default)."""
    builder = AnkiBuilder(tmp_path / "anki")
    yield builder
    builder.close()


@pytest.fixture
def anki_fsrs(tmp_path: Path) -> Iterator[AnkiBuilder]:
    """An empty Anki collection with FSRS on."""
    builder = AnkiBuilder(tmp_path / "anki-fsrs", fsrs=True)
    yield builder
    builder.close()


class Quizapp:
    """``quizapp`` run on one database, as a user runs it."""

    def __init__(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        """Exit status, stdout and stderr of ``quizapp --db DB ARGS``."""
        self.capsys.readouterr()
        code = main(["--db", self.db, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def cards(self, deck: Path) -> dict[str, dict[str, Any]]:
        """``cards --all --json`` by card id."""
        code, out, err = self("--deck", str(deck), "cards", "--all", "--json")
        assert code == 0, err
        return {c["id"]: c for c in json.loads(out)}

    def stats(self, deck: Path) -> dict[str, Any]:
        code, out, err = self("--deck", str(deck), "stats", "--json")
        assert code == 0, err
        result: dict[str, Any] = json.loads(out)
        return result


@pytest.fixture
def quizapp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Quizapp:
    """The command line on a SQLite file of the test's own."""
    return Quizapp(f"sqlite:///{tmp_path / 'quiz.db'}", capsys)


@pytest.fixture
def quizapp_on(db_url: str, capsys: pytest.CaptureFixture[str]) -> Quizapp:
    """The command line on a fresh database of each backend (SQLite, PostgreSQL)."""
    return Quizapp(db_url, capsys)
