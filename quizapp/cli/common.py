"""What the commands share: opening the database, syncing first, launching the app.

The database stack (SQLAlchemy, the deck parser) is imported by the functions that use
it, never at the top: the app's first screen is drawn before it is loaded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp import locations
from quizapp.present.safe import visible_line
from quizapp.present.sentences import deck_problems

if TYPE_CHECKING:
    from quizapp.store.db import Database
    from quizapp.store.sync import SyncReport
    from quizapp.study.options import InterviewOptions, StudyOptions
    from quizapp.tui.app import StartScreen


def db_url(args: argparse.Namespace) -> str:
    """The database URL from ``--db`` / ``$QUIZAPP_DB`` / the default."""
    return locations.db_url(getattr(args, "db", None))


def deck_paths(args: argparse.Namespace) -> list[Path]:
    """The deck files/folders to read: ``--deck``, else ``$QUIZAPP_DECK``, else the
    ``decks`` setting of the collection, else the bundled deck."""
    given = getattr(args, "deck", None)
    if locations.decks_given(given):
        return locations.deck_paths(given)
    return locations.deck_paths(None, configured_decks(args))


def configured_decks(args: argparse.Namespace) -> list[Path]:
    """The ``decks`` setting, read without creating or migrating anything when the
    quick read can answer (an existing SQLite file at the current schema); a new file
    has no settings yet."""
    from quizapp.store.quickread import quick_read, sqlite_file
    from quizapp.store.settings import read_settings

    url = db_url(args)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return []
    with quick_read(url) as fetch:
        if fetch is not None:
            return read_settings(fetch).deck_paths()
    from quizapp.store.settings_db import load_settings

    db = _opened[-1] if _opened else open_database(args)
    return load_settings(db).deck_paths()


#: databases the running command opened; ``main`` closes them when the command ends
_opened: list[Database] = []


def open_database(args: argparse.Namespace) -> Database:
    """Open the configured database (errors surface as ``StoreError``; main reports them).

    It stays open until the command returns; ``main`` then closes it (a server
    connection is released at once, not whenever the interpreter gets to it).
    """
    from quizapp.store.db import open_db

    db = open_db(db_url(args))
    _opened.append(db)
    return db


def close_databases() -> None:
    """Close every database ``open_database`` opened."""
    while _opened:
        _opened.pop().close()


def report_diagnostics(report: SyncReport, *, verbose: bool) -> None:
    """Print deck problems found while syncing: all of them, or a one-line hint."""
    if not report.diagnostics:
        return
    errors = [d for d in report.diagnostics if d.severity == "error"]
    if verbose:
        for d in report.diagnostics:
            print(visible_line(str(d)), file=sys.stderr)
    elif errors:
        print(deck_problems(len(errors)), file=sys.stderr)


def sync_first(args: argparse.Namespace, db: Database) -> SyncReport:
    """Sync the configured decks before studying (cheap when nothing changed)."""
    from quizapp.store.sync import sync_decks

    report = sync_decks(db, deck_paths(args))
    report_diagnostics(report, verbose=False)
    return report


def open_app(
    args: argparse.Namespace,
    start: StartScreen,
    *,
    study: StudyOptions | None = None,
    interview: InterviewOptions | None = None,
) -> int:
    """Open the Textual app on ``start`` ("home", "study" or "interview"), with the
    options of that use. The garbage collector waits until its first screen is drawn
    (:mod:`quizapp.collector`)."""
    from quizapp import collector

    collector.pause()
    try:
        from quizapp.tui.app import make_app, run_app

        app = make_app(
            db_url=db_url(args),
            deck_paths=deck_paths(args),
            start=start,
            study=study,
            interview=interview,
        )
        return run_app(app)
    finally:
        collector.resume()
