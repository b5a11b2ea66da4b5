"""A read-only look at a SQLite database through the standard library's ``sqlite3``.

The app draws its first screen from here while SQLAlchemy, Alembic and FSRS are still
unimported: the queries are those of :mod:`quizapp.store.queue`, the same text the
study service runs, so what this path shows is what the full path computes.

It is used only when it can be trusted as is: a SQLite file that exists, carries the
current schema revision, and whose tables are real tables, as the full path checks
(:data:`~quizapp.store.revision.QUICK_TABLES`; a view of the same name could compute
anything). Anything else — a PostgreSQL URL, a new file, a schema to migrate, a file
that is not a quizapp database, a lock held for a restart of the write-ahead log —
returns ``None`` and the caller takes the full path, which creates, migrates, refuses
or reports as usual. Every statement runs under one deadline
(:data:`READ_DEADLINE`): the first screen is drawn on the UI thread, so a read that
takes longer is interrupted and the full path, in a worker, takes over. Nothing here
ever writes to the file.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from quizapp.store import openfiles
from quizapp.store.queue import Fetch, sqlite_time
from quizapp.store.revision import QUICK_TABLES, SCHEMA_HEAD

#: how long a read waits for SQLite's own short-lived locks before giving up (seconds)
_TIMEOUT = 0.25
#: the longest the whole quick read may take (seconds), whatever the file holds
READ_DEADLINE = 0.5
#: SQLite virtual-machine steps between two looks at the clock
_CHECK_EVERY = 1000

_SCHEMA_CHECK = (
    "SELECT name FROM sqlite_master WHERE type = 'table' "
    f"AND name IN ({', '.join(repr(t) for t in QUICK_TABLES)})"
)


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
        _stop_at(conn, time.monotonic() + READ_DEADLINE)
        return _current(conn)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _stop_at(conn: sqlite3.Connection, deadline: float) -> None:
    """Interrupt any statement of ``conn`` still running at ``deadline``."""
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _CHECK_EVERY)


def _current(conn: sqlite3.Connection) -> bool:
    """Whether the database holds quizapp's tables, as tables, at the current revision."""
    tables = {name for (name,) in conn.execute(_SCHEMA_CHECK).fetchall()}
    if tables != set(QUICK_TABLES):
        return False
    return conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]


def _connect(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=_TIMEOUT, isolation_level=None)
    try:
        _stop_at(conn, time.monotonic() + READ_DEADLINE)
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _bind(value: Any) -> Any:
    return sqlite_time(value) if isinstance(value, datetime) else value


@contextmanager
def quick_read(url: str, *, bounded: bool = True) -> Iterator[Fetch | None]:
    """A :data:`~quizapp.store.queue.Fetch` on one read transaction of the database at
    ``url``, or ``None`` when the full path must be taken.

    Errors while reading inside the block propagate as ``sqlite3.Error`` (a statement
    past :data:`READ_DEADLINE` too: "interrupted"); the caller treats them as "take
    the full path". ``bounded=False`` (a command, not the UI thread) lets the reads
    after the schema check take as long as they take.
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
            current = _current(conn)
        except sqlite3.Error:
            yield None
            return
        if not current:
            yield None
            return
        if not bounded:
            conn.set_progress_handler(None, 0)

        def fetch(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
            return conn.execute(sql, {k: _bind(v) for k, v in params.items()}).fetchall()

        yield fetch
    finally:
        conn.close()
