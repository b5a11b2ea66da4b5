"""Where quizapp keeps things: the database and the bundled deck."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

APP_NAME = "quizapp"
DB_ENV = "QUIZAPP_DB"
DECK_ENV = "QUIZAPP_DECK"
#: the database backends quizapp can use: the scheme of a ``--db`` URL, before any
#: ``+driver`` (``postgresql+psycopg://``)
DB_BACKENDS = ("sqlite", "postgresql", "postgres")


class DatabaseURLError(ValueError):
    """``--db`` (or ``$QUIZAPP_DB``) is a URL of something that is not a database."""


def default_db_path() -> Path:
    """The SQLite file in the platform's user data directory."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "quizapp.db"


def db_url(value: str | None = None) -> str:
    """A SQLAlchemy URL from ``--db``, else ``$QUIZAPP_DB``, else the default file.

    A value containing ``://`` is taken as a URL; anything else is a file path. A URL
    of another kind (``http://…``) raises :class:`DatabaseURLError`.
    """
    raw = value or os.environ.get(DB_ENV) or str(default_db_path())
    if "://" in raw:
        scheme = raw.split("://", 1)[0]
        if scheme.split("+", 1)[0].lower() not in DB_BACKENDS:
            raise DatabaseURLError(
                f"--db: {scheme}:// is not a database quizapp can use; give a file path, "
                "sqlite:///PATH or postgresql://USER@HOST/NAME"
            )
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().resolve())


def bundled_deck() -> Path:
    """The deck that ships with quizapp (inside the wheel, or ``deck/`` in a checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "bundled_deck"
    if packaged.is_dir():
        return packaged
    return here.parent / "deck"


def deck_paths(values: list[str] | None = None, configured: Sequence[Path] = ()) -> list[Path]:
    """Deck files or folders from ``--deck``, else ``$QUIZAPP_DECK``, else the
    ``decks`` setting (``configured``), else the bundled deck.

    ``$QUIZAPP_DECK`` may hold several paths separated by ``os.pathsep``.
    """
    if values:
        return [Path(v).expanduser() for v in values]
    env = os.environ.get(DECK_ENV)
    if env:
        return [Path(v).expanduser() for v in env.split(os.pathsep) if v]
    return list(configured) or [bundled_deck()]


def decks_given(values: list[str] | None = None) -> bool:
    """Whether ``--deck`` or ``$QUIZAPP_DECK`` names the decks (the setting is not read)."""
    return bool(values or os.environ.get(DECK_ENV))
