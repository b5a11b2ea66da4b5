"""Fixtures of the app tests: a copy of the fixture deck, a temp database, and a factory
for apps on them with a fixed clock and seed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from quizapp.study.options import InterviewOptions, StudyOptions
from quizapp.tui.app import QuizApp, StartScreen, make_app
from tui.apptest import FIXTURES, NOW, SEED, AppFactory


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    """A copy of the fixture deck (tests may edit it)."""
    target = tmp_path / "decks" / "study-deck.md"
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "study-deck.md", target)
    return target


@pytest.fixture
def db_url(db_path: Path) -> str:
    """URL of the test's SQLite file."""
    return f"sqlite:///{db_path}"


@pytest.fixture
def new_app(db_url: str, deck: Path) -> AppFactory:
    """Build the app on the fixture deck, the temp database and the fixed clock."""

    def build(
        start: StartScreen = "study",
        deck_paths: list[Path] | None = None,
        *,
        limit: int | None = None,
        interview: InterviewOptions | None = None,
        **options: Any,
    ) -> QuizApp:
        options.setdefault("now", lambda: NOW)
        interview = interview or InterviewOptions()
        return make_app(
            db_url=db_url,
            deck_paths=deck_paths or [deck],
            start=start,
            study=StudyOptions(limit=limit, seed=SEED),
            interview=interview if interview.seed is not None else replace(interview, seed=SEED),
            **options,
        )

    return build
