"""``quizapp import anki``: deck files and history from an Anki collection."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cli.common import db_url, open_database, report_diagnostics
from quizapp.present.safe import visible, visible_json

if TYPE_CHECKING:
    from quizapp.importing.run import ImportReport

EXIT_USAGE = 2
#: the import would overwrite deck files or duplicate cards
EXIT_REFUSED = 3

_DESCRIPTION = """\
Bring an Anki collection into quizapp, with its review history.

Notes become markdown deck files in DIR, one per Anki deck, sub-decks as folders:
Basic notes as heading cards, Basic-and-reversed as two-way cards ({.two-way}), Cloze
notes with their {{cN::...}} deletions, any other note type with its first field as
the question and the others, by name, as the answer. HTML becomes markdown, MathJax
becomes $...$ / $$...$$, and media files are copied into a media/ folder beside the
deck that shows them. DIR is then synced, and every card's review log is imported:
the card continues from Anki's FSRS state and due date when Anki has them, else from
its log replayed through quizapp's scheduler. A card suspended in Anki is suspended
here too (quizapp cards --unsuspend ID); one buried in Anki today is buried until
quizapp's next day starts. An import never unsuspends a card.

Cards that `quizapp export anki` made and that were studied in Anki (on the desktop or
a phone, then synced) come back to the cards they were made from: their reviews are
added, no deck file is written for them (--to is then not needed). Reviews of a
computational card's drawn instances count for that card.

Each card's id holds its Anki note's GUID, so importing the same collection again
updates instead of duplicating, and adds only reviews quizapp does not have yet. A deck
file that exists with other content is replaced only with --update (exit 3 otherwise,
and nothing is written).

Read with Anki's own library: install the extra with
pip install -c constraints.txt 'quizapp[anki]'.
"""
_EXAMPLES = """\
examples:
  quizapp import anki ~/Downloads/ML.apkg --to ~/notes/anki --dry-run
  quizapp import anki ~/Downloads/ML.apkg --to ~/notes/anki
  quizapp --deck ~/notes/anki study
  quizapp import anki collection.colpkg         after studying exported cards on the phone
"""


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``import`` (and ``import anki``) to the parser."""
    p = sub.add_parser(
        "import",
        parents=parents,
        help="import an Anki collection: deck files and review history",
        description="Bring cards and history in from another app.",
    )
    commands = p.add_subparsers(dest="import_command", metavar="SOURCE", required=True)
    a = commands.add_parser(
        "anki",
        parents=parents,
        help="an Anki .apkg (exported with scheduling) or .colpkg file",
        description=_DESCRIPTION,
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument("file", type=Path, metavar="FILE.apkg|FILE.colpkg", help="the Anki package")
    a.add_argument(
        "--to",
        type=Path,
        metavar="DIR",
        help="folder for the deck files (needed unless every note came from quizapp)",
    )
    a.add_argument(
        "--update", action="store_true", help="replace deck files that exist with other content"
    )
    a.add_argument(
        "--dry-run",
        action="store_true",
        help="say what would be written and imported; write nothing",
    )
    a.add_argument("--json", action="store_true", help="print one JSON document")
    a.set_defaults(func=run)


_STATUS = {"new": "written", "changed": "replaced", "unchanged": "unchanged"}
_WOULD = {"new": "new", "changed": "to replace", "unchanged": "unchanged"}


def _counted(word: str, n: int) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _print(report: ImportReport, args: argparse.Namespace) -> None:
    would = "would be " if report.dry_run else ""
    head = f"{args.file.name}: {_counted('note', report.notes)}"
    if report.returning_notes:
        head += f", {report.returning_notes:,} of them exported by quizapp"
    print(visible(head))
    if report.files:
        print(visible(f"deck files in {args.to}:"))
        root = args.to.expanduser().resolve()
        rows = [(str(f.path.relative_to(root)), f) for f in report.files]
        width = max(len(rel) for rel, _ in rows)
        for rel, f in rows:
            status = (_WOULD if report.dry_run else _STATUS)[f.status]
            print(visible(f"  {status:<10} {rel:<{width}}  {_counted('note', f.notes)}"))
    if report.media:
        print(f"media: {_counted('file', report.media)} {would}copied beside the decks")
    if report.missing_media:
        shown = ", ".join(report.missing_media[:5])
        print(visible(f"media missing from the package (links left as text): {shown}"))
    if report.skipped_notes:
        reasons = Counter(reason for _, reason in report.skipped_notes)
        for reason, n in reasons.most_common():
            print(f"left out: {_counted('note', n)}: {reason}")
    if report.sync is not None:
        print(f"sync: {report.sync.summary()}")
        report_diagnostics(report.sync, verbose=True)
    line = f"reviews: {report.new_reviews:,} {would}imported"
    if report.reviews > report.new_reviews:
        line += f" ({report.reviews - report.new_reviews:,} already present)"
    if not report.dry_run:
        line += f"; {_counted('card', report.cards)} rescheduled"
    print(line)
    held = []
    if report.suspended:
        held.append(f"{_counted('card', report.suspended)} {would}suspended")
    if report.buried:
        held.append(f"{_counted('card', report.buried)} {would}buried until tomorrow")
    if held:
        print(f"kept out of study as in Anki: {', '.join(held)}")
    if report.unmatched_reviews:
        print(
            f"{_counted('answer', report.unmatched_reviews)} of Anki cards without a quizapp "
            "card left out"
        )
    if report.dry_run:
        print("dry run: nothing was written")
    elif report.files:
        print(visible(f"study them: quizapp --deck {args.to} study"))


def _document(report: ImportReport) -> dict[str, Any]:
    return {
        "dry_run": report.dry_run,
        "notes": report.notes,
        "returning_notes": report.returning_notes,
        "files": [
            {"path": str(f.path), "deck": f.deck, "notes": f.notes, "status": f.status}
            for f in report.files
        ],
        "skipped_notes": [{"note": nid, "reason": why} for nid, why in report.skipped_notes],
        "media": report.media,
        "missing_media": report.missing_media,
        "sync": None
        if report.sync is None
        else {
            "added": report.sync.added,
            "updated": report.sync.updated,
            "retired": report.sync.retired,
            "restored": report.sync.restored,
        },
        "reviews": report.reviews,
        "new_reviews": report.new_reviews,
        "cards": report.cards,
        "unmatched_reviews": report.unmatched_reviews,
        "skipped_entries": report.skipped_entries,
        "suspended": report.suspended,
        "buried": report.buried,
    }


def _no_database_yet(args: argparse.Namespace) -> bool:
    """Whether ``--db`` names a SQLite file that does not exist (a dry run then leaves
    it uncreated)."""
    url = db_url(args)
    return url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()


def run(args: argparse.Namespace) -> int:
    """Import the package; print what was done."""
    from quizapp.cli.progress import ProgressBar
    from quizapp.importing.ankifile import AnkiFileError, require_extra

    try:
        require_extra()
    except AnkiFileError as exc:
        print(f"quizapp: {exc}", file=sys.stderr)
        return 1
    from quizapp.importing.run import ImportRefused, TargetMissing, import_anki

    bar = ProgressBar()
    try:
        report = import_anki(
            None if args.dry_run and _no_database_yet(args) else open_database(args),
            args.file,
            args.to,
            update=args.update,
            dry_run=args.dry_run,
            progress=bar,
        )
    except AnkiFileError as exc:
        bar.end()
        print(visible(f"quizapp: {exc}"), file=sys.stderr)
        return 1
    except TargetMissing as exc:
        bar.end()
        print(visible(f"quizapp: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except ImportRefused as exc:
        bar.end()
        print(visible(f"quizapp: {exc}"), file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return EXIT_REFUSED
    bar.end()
    if args.json:
        print(visible_json(json.dumps(_document(report), ensure_ascii=False)))
    else:
        _print(report, args)
    return 0
