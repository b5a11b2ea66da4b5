"""A read-only look at a SQLite database through the standard library's ``sqlite3``.

The app draws its first screen from here while SQLAlchemy, Alembic and FSRS are still
unimported: the queries are those of :mod:`quizapp.store.queue`, the same text the
study service runs, so what this path shows is what the full path computes.

It is used only when it can be trusted as is: a SQLite file that exists and carries
the current schema revision. Anything else — a PostgreSQL URL, a new file, a schema to
migrate, a file that is not a quizapp database, a lock held for a restart of the
write-ahead log — returns ``None`` and the caller takes the full path, which creates,
migrates, refuses or reports as usual. Nothing here ever writes to the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from quizapp.store import openfiles
from quizapp.store.queue import Fetch, sqlite_time
from quizapp.store.revision import SCHEMA_HEAD

#: how long a read waits for SQLite's own short-lived locks before giving up (seconds)
_TIMEOUT = 0.25


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///PATH`` URL without options; None for anything else."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    if not path or path == ":memory:":
        return None
    return Path(path)


def _is_ours(path: Path) -> bool:
    """Whether reading the file creates nothing beside it that is not quizapp's.

    A write-ahead-log database nobody has open has no ``-shm`` file, and even a
    read-only connection would create one (and a ``-wal``): such a file is first read
    as it is (``immutable``: no lock, nothing created) to see that it is a quizapp
    database at the current revision. Any other file is checked by the read itself.
    """
    if openfiles.is_open(path):
        # Open here already: it is quizapp's, and reading its header would drop the
        # locks that tell other processes it is in use.
        return True
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    in_wal_mode = header[18:20] == b"\x02\x02"
    if not in_wal_mode or path.with_name(path.name + "-shm").exists():
        return True
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return rows == [(SCHEMA_HEAD,)]


def _connect(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=_TIMEOUT, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _bind(value: Any) -> Any:
    return sqlite_time(value) if isinstance(value, datetime) else value


@contextmanager
def quick_read(url: str) -> Iterator[Fetch | None]:
    """A :data:`~quizapp.store.queue.Fetch` on one read transaction of the database at
    ``url``, or ``None`` when the full path must be taken.

    Errors while reading inside the block propagate as ``sqlite3.Error``; the caller
    treats them as "take the full path".
    """
    path = sqlite_file(url)
    if path is None or not path.is_file() or not _is_ours(path):
        yield None
        return
    try:
        conn = _connect(path)
    except sqlite3.Error:
        yield None
        return
    try:
        try:
            conn.execute("BEGIN")
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:
            yield None
            return
        if rows != [(SCHEMA_HEAD,)]:
            yield None
            return

        def fetch(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
            return conn.execute(sql, {k: _bind(v) for k, v in params.items()}).fetchall()

        yield fetch
    finally:
        conn.close()
