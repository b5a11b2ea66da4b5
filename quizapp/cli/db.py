"""``quizapp db copy --to URL``: move or back up the whole collection."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from quizapp import locations
from quizapp.cli.common import db_url, open_database
from quizapp.store.errors import StoreError

_DESCRIPTION = """\
Copy the whole collection of --db -- cards (retired ones too), the review history,
interviews and their answers, settings and fitted scheduler parameters, deck-file
hashes -- into an empty database: a new SQLite file, or a PostgreSQL database
(postgresql://user@host/dbname; create the database first, e.g. with createdb).

The target is written in one transaction and the copied counts are checked on it; a
target that already holds a collection is refused. The source is read as one
snapshot, so copying a database in use makes a consistent backup.
"""
_EXAMPLES = """\
examples:
  quizapp db copy --to postgresql://me@db.example.org/quiz    move to a shared server
  quizapp --db postgresql://me@db.example.org/quiz db copy --to ~/quiz.db
                                                              and back to a file
  quizapp db copy --to ~/backups/quiz-$(date +%F).db          a backup, while you study
"""


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``db`` (and ``db copy``) to the parser."""
    p = sub.add_parser(
        "db",
        parents=parents,
        help="copy the whole collection to another database (move, back up)",
        description="Work on the database as a whole.",
    )
    commands = p.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    c = commands.add_parser(
        "copy",
        parents=parents,
        help="copy the collection into a new, empty database",
        description=_DESCRIPTION,
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument(
        "--to",
        required=True,
        metavar="PATH|URL",
        help="the target: a new SQLite file or an empty database",
    )
    c.add_argument("--json", action="store_true", help="print the counts as one JSON document")
    c.set_defaults(func=run_copy)


class _Progress:
    """Progress on stderr for a long copy, when stderr is a terminal."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self._shown = 0.0
        self._open = False

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.live or total < 10_000:
            return
        now = time.monotonic()
        if done < total and now - self._shown < 0.2:
            return
        self._shown = now
        sys.stderr.write(f"\rcopying {label}: {done:,} of {total:,}\x1b[K")
        self._open = done < total
        if not self._open:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def end(self) -> None:
        if self._open:
            sys.stderr.write("\n")
            self._open = False


def run_copy(args: argparse.Namespace) -> int:
    """Copy the configured database into ``--to``; print and check the counts."""
    from quizapp.store.copy import copy_collection

    source_url = db_url(args)
    target_url = locations.db_url(args.to)
    if source_url.startswith("sqlite:///"):
        path = Path(source_url.removeprefix("sqlite:///"))
        if not path.exists():
            raise StoreError(f"{path}: no database there to copy")
    source = open_database(args)
    progress = _Progress()
    try:
        report = copy_collection(source, target_url, progress=progress)
    finally:
        progress.end()
    if args.json:
        json.dump({"to": args.to, "counts": report.counts, "retired": report.retired}, sys.stdout)
        print()
        return 0
    print(f"copied to {args.to}:")
    width = max(len(label) for label in report.counts)
    for label, n in report.counts.items():
        extra = f" ({report.retired:,} retired)" if label == "cards" and report.retired else ""
        print(f"  {label:<{width}}  {n:>9,}{extra}")
    print("checked: the target holds the same counts")
    return 0
