"""``quizapp export anki``: write the decks as an Anki package (``.apkg``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizapp.cli.common import deck_paths, open_database, sync_first
from quizapp.cli.numbers import whole_number
from quizapp.export import (
    DEFAULT_INSTANCES,
    MAX_INSTANCES,
    ExportError,
    ExportOptions,
    ExportReport,
    export_anki,
)
from quizapp.present.safe import visible_line
from quizapp.store.errors import StoreError
from quizapp.words import plural

_EXAMPLE = """\
example:
  quizapp export anki -o interview.apkg
  quizapp export anki deck/ notes/rnn.md -o rnn.apkg --instances 5

Each deck file becomes an Anki deck, with a sub-deck per topic (Deck::Topic::Subtopic)
and tags from the topic path. Import the file in Anki (File → Import); exporting again
after editing the decks and re-importing updates the notes instead of duplicating them.

Cards suspended in quizapp are suspended in the package: Anki keeps that when you tick
"Import any learning progress" while importing it, for the cards it does not have yet
(it leaves the cards of notes it already has as they are).
"""


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``export`` (and its format ``anki``) to the parser."""
    p = sub.add_parser(
        "export",
        parents=parents,
        help="export the decks to Anki (.apkg)",
        description="Export the decks for another app. Formats: anki.",
    )
    formats = p.add_subparsers(dest="format", metavar="FORMAT", required=True)
    a = formats.add_parser(
        "anki",
        parents=parents,
        help="Anki package (.apkg)",
        description="Write the decks as an Anki package: basic cards as Basic notes,\n"
        "cloze cards as Cloze notes, and for every computational card a few drawn\n"
        "instances with the reference answer and its derivation.",
        epilog=_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="deck files or folders (default: the configured decks)",
    )
    a.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT.apkg",
        help="the package to write (replaced whole if it exists)",
    )
    a.add_argument(
        "--instances",
        type=whole_number(0, MAX_INSTANCES),
        default=DEFAULT_INSTANCES,
        metavar="K",
        help=f"drawn instances per computational card, 0-{MAX_INSTANCES} (default "
        f"{DEFAULT_INSTANCES}; 0 leaves them out; a card with fewer distinct questions "
        "gets those it has)",
    )
    a.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of the drawn parameters (default 0: the same export draws the same questions)",
    )
    a.set_defaults(func=run)


def _sync_configured(args: argparse.Namespace) -> frozenset[str]:
    """Bring the configured decks into the database first, as every command does;
    returns the ids of the suspended cards.

    The export itself reads the deck files, so a database that can't be opened is
    reported and the export goes on (with no card suspended).
    """
    from quizapp.store.identities import suspended_card_ids

    try:
        db = open_database(args)
        try:
            sync_first(args, db)
            return suspended_card_ids(db)
        finally:
            db.close()
    except StoreError as exc:
        print(f"quizapp: warning: decks not synced: {exc}", file=sys.stderr)
        return frozenset()


def summary(report: ExportReport) -> str:
    """What was written where, and why computational cards became several notes."""
    line = (
        f"exported {plural(report.decks, 'deck')}: {plural(report.notes, 'note')}, "
        f"{plural(report.cards, 'card')}, {plural(report.media, 'media file')} "
        f"→ {report.path}"
    )
    if report.quiz_cards:
        quiz = plural(report.quiz_cards, "computational card")
        line += (
            f"\nAnki cannot draw new numbers, so the {quiz} "
            f"became {plural(report.quiz_notes, 'fixed question')}, each with its answer "
            "and derivation (--instances sets how many per card)."
        )
    return line


def run(args: argparse.Namespace) -> int:
    """Export, print deck problems to stderr and the summary to stdout."""
    suspended = _sync_configured(args)
    paths: list[Path] = list(args.paths) or deck_paths(args)
    options = ExportOptions(instances=args.instances, seed=args.seed, suspended=suspended)
    try:
        report = export_anki(paths, args.output, options)
    except ExportError as exc:
        for d in exc.diagnostics:
            print(visible_line(str(d)), file=sys.stderr)
        print(visible_line(f"quizapp export: {exc}"), file=sys.stderr)
        return 1
    for d in report.diagnostics:
        print(visible_line(str(d)), file=sys.stderr)
    for line in summary(report).splitlines():
        print(visible_line(line))
    return 0
