"""Fixtures shared by every test tier."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.store.db import Database, open_db

#: the server the PostgreSQL runs use (``bash .ci/run`` starts one and sets it), e.g.
#: ``postgresql+psycopg://quizapp@/postgres?host=/tmp/quizapp-pg.XXXX``
POSTGRES_URL_ENV = "QUIZAPP_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
_names = itertools.count(1)


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


def _postgres_server() -> str:
    """The test server's URL; skips the test without one (fails it when ``CI`` is set)."""
    url = os.environ.get(POSTGRES_URL_ENV, "")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {POSTGRES_URL_ENV} is not: the PostgreSQL tests must run")
    pytest.skip(f"no PostgreSQL server ({POSTGRES_URL_ENV} unset; `bash .ci/run` starts one)")


class DatabaseFactory:
    """Fresh, empty databases of one backend: a file per call on SQLite, a new
    ``CREATE DATABASE`` on the PostgreSQL test server (dropped when the test ends)."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self._folder = folder
        self._created: list[str] = []
        self._server = _postgres_server() if backend == "postgresql" else ""

    def __call__(self, name: str = "quiz") -> str:
        """The URL of a new empty database (``name`` names the SQLite file)."""
        if self.backend == "sqlite":
            return f"sqlite:///{self._folder / (name + '.db')}"
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        dbname = f"test_{worker}_{os.getpid()}_{next(_names)}"
        admin = create_engine(self._server, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{dbname}"'))
        finally:
            admin.dispose()
        self._created.append(dbname)
        return make_url(self._server).set(database=dbname).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """Drop every database this factory created (connections left open included)."""
        if not self._created:
            return
        from sqlalchemy import create_engine, text

        admin = create_engine(self._server, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                for dbname in self._created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        finally:
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this run of the test: ``sqlite`` or ``postgresql``."""
    return str(request.param)


@pytest.fixture
def new_db_url(backend: str, tmp_path: Path) -> Iterator[DatabaseFactory]:
    """Make further fresh databases of the test's backend (see :class:`DatabaseFactory`)."""
    factory = DatabaseFactory(backend, tmp_path)
    yield factory
    factory.drop_all()


@pytest.fixture
def db_url(new_db_url: DatabaseFactory, db_path: Path) -> str:
    """URL of the test's fresh, empty database, on SQLite (``db_path``) and on PostgreSQL."""
    if new_db_url.backend == "sqlite":
        return f"sqlite:///{db_path}"
    return new_db_url()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A freshly migrated database: a temporary SQLite file, and a PostgreSQL database."""
    database = open_db(db_url)
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
