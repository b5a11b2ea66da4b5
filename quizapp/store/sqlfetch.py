"""Running the store's SQL text (:mod:`quizapp.store.queue`) through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from quizapp.store.db import Database
from quizapp.store.queue import Fetch, sqlite_time


@lru_cache(maxsize=64)
def _clause(sql: str) -> TextClause:
    return text(sql)


def session_fetch(session: Session) -> Fetch:
    """A :data:`~quizapp.store.queue.Fetch` running on ``session``'s transaction.

    Datetime parameters are bound in the form the schema stores them: SQLAlchemy's
    SQLite text on SQLite, naive UTC elsewhere.
    """
    is_sqlite = session.get_bind().dialect.name == "sqlite"

    def bind(value: Any) -> Any:
        if not isinstance(value, datetime):
            return value
        return sqlite_time(value) if is_sqlite else value.astimezone(UTC).replace(tzinfo=None)

    def fetch(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        bound = {key: bind(value) for key, value in params.items()}
        return session.execute(_clause(sql), bound).all()

    return fetch


@contextmanager
def reading(db: Database) -> Iterator[Fetch]:
    """A :data:`~quizapp.store.queue.Fetch` on one read transaction of ``db``."""
    with db.session(write=False) as s:
        yield session_fetch(s)
