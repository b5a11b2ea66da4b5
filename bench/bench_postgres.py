"""The store budgets on PostgreSQL: a review and the next card with 100k cards / 1M
reviews, and the first sync of the 10k deck against SQLite's in the same run.

The server is ``$QUIZAPP_BENCH_POSTGRES_URL`` (a maintenance URL, e.g.
``postgresql://me@/postgres?host=/run/postgresql``; databases are created and dropped
on it), else a throwaway one started by ``.ci/pgserver start --durable`` for the run:
fsync on, as a real server. The 100k-card database is the generated SQLite one,
moved with ``quizapp db copy`` (its time is reported too), so both backends hold the
same data.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import Row, median, ratio_row, repeats, seconds, time_row, times
from bench.bench_store import study_times
from bench.generate import db_path, deck_path

URL_ENV = "QUIZAPP_BENCH_POSTGRES_URL"
SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "pgserver"


@contextmanager
def _server() -> Iterator[str]:
    """A PostgreSQL maintenance URL: the configured one, or a server of our own."""
    configured = os.environ.get(URL_ENV)
    if configured:
        yield configured
        return
    out = subprocess.run(
        ["bash", str(SCRIPT), "start", "--durable"], capture_output=True, text=True, check=True
    ).stdout
    env = dict(
        line.removeprefix("export ").replace("'", "").split("=", 1)
        for line in out.splitlines()
        if line.startswith("export ")
    )
    try:
        yield env["QUIZAPP_TEST_POSTGRES_URL"]
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", env["PGSERVER_DIR"]], check=False)


class _Databases:
    """Creates databases on the server and drops them all at the end."""

    def __init__(self, server: str) -> None:
        from sqlalchemy import create_engine

        self.server = server
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def new(self) -> str:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        name = f"quizapp_bench_{os.getpid()}_{len(self.names)}"
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return make_url(self.server).set(database=name).render_as_string(hide_password=False)

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def _sync_rows(databases: _Databases, tmp: Path) -> tuple[float, float]:
    """Median first-sync times of the 10k deck: PostgreSQL, SQLite (alternated)."""
    from quizapp.store.db import Database, open_db
    from quizapp.store.sync import sync_decks

    deck = deck_path()
    opened: list[Database] = []
    counter = iter(range(1000))

    def fresh(make_url: Callable[[], str]) -> Callable[[], None]:
        return lambda: opened.append(open_db(make_url()))

    def sync() -> None:
        sync_decks(opened[-1], [deck])

    pg_runs: list[float] = []
    sqlite_runs: list[float] = []
    for _ in range(repeats(5, 2)):
        # Alternated, so a change in the machine's load affects both alike.
        pg_runs += times(sync, 1, setup=fresh(databases.new))
        sqlite = fresh(lambda: f"sqlite:///{tmp / f'sync-{next(counter)}.db'}")
        sqlite_runs += times(sync, 1, setup=sqlite)
    for db in opened:
        db.close()
    return median(pg_runs), median(sqlite_runs)


def run() -> list[Row]:
    """Time the PostgreSQL rows."""
    from quizapp.store.copy import copy_collection
    from quizapp.store.db import open_db

    source = db_path()
    with _server() as server, tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        databases = _Databases(server)
        try:
            target = databases.new()
            lite = open_db(f"sqlite:///{source}")
            try:
                t0 = time.perf_counter()
                report = copy_collection(lite, target)
                copied = time.perf_counter() - t0
            finally:
                lite.close()
            pick, record = study_times(target)
            pg_sync, sqlite_sync = _sync_rows(databases, Path(tmp))
        finally:
            databases.drop()
    return [
        time_row("PostgreSQL: record one review, 100k cards / 1M logs", record, 0.005),
        time_row("PostgreSQL: next due card query, 100k cards", pick, 0.002),
        ratio_row(
            "PostgreSQL: first sync of the 10k deck", pg_sync, sqlite_sync, 2.0, "SQLite sync"
        ),
        Row(
            what="PostgreSQL: db copy of 100k cards / 1M reviews from SQLite",
            budget="—",
            measured=f"{seconds(copied)} ({report.total:,} rows)",
            ok=None,
        ),
    ]
