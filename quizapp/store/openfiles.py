"""The SQLite files this process has open through its own connections.

SQLite tells other processes that a connection still uses a database's write-ahead
log with POSIX locks, and closing *any* descriptor of a file drops every POSIX lock
the process holds on it. So once a database file is open here, nothing may open and
close it again outside SQLite -- not even to read its first bytes: another process,
finishing, would then see no other user of the log and delete it, and this process's
next writes would go to a deleted file that no other process reads.

:func:`quizapp.store.db.open_db` and the quick read check a file's header only when it
is not open here (it was checked when it was first opened). Kept free of SQLAlchemy:
the quick read imports it.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

_lock = threading.Lock()
_open: Counter[tuple[int, int]] = Counter()


def _key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def is_open(path: Path) -> bool:
    """Whether this process has ``path`` open as a database."""
    key = _key(path)
    with _lock:
        return key is not None and _open[key] > 0


def opened(path: Path) -> tuple[int, int] | None:
    """Note that a connection pool of this process has ``path`` open; returns the token
    to give :func:`closed`."""
    key = _key(path)
    if key is not None:
        with _lock:
            _open[key] += 1
    return key


def closed(key: tuple[int, int] | None) -> None:
    """The pool that :func:`opened` returned ``key`` for is closed."""
    if key is None:
        return
    with _lock:
        _open[key] -= 1
        if _open[key] <= 0:
            del _open[key]


__all__ = ["closed", "is_open", "opened"]
