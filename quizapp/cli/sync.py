"""``quizapp sync``: bring deck files into the database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from quizapp.cli.common import deck_paths, open_database, report_diagnostics
from quizapp.store.sync import sync_decks


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``sync`` to the parser."""
    p = sub.add_parser(
        "sync",
        parents=parents,
        help="read deck files into the database",
        description="Read deck files into the database and report what changed: cards "
        "added, updated (answer edited), renamed (question edited; history kept) and "
        "retired (removed from the file; history kept, restored if it returns). "
        "Unchanged files are skipped. study, interview, export and the app sync first "
        "by themselves.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="deck files or folders (default: the configured decks)",
    )
    p.add_argument("--force", action="store_true", help="re-read files even if unchanged")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Sync and print the counts."""
    paths = args.paths or deck_paths(args)
    db = open_database(args)
    report = sync_decks(db, paths, force=args.force)
    report_diagnostics(report, verbose=not args.quiet)
    for r in report.renames:
        print(f"renamed: {r.old_front!r} → {r.new_front!r}")
    print(report.summary())
    return 0
