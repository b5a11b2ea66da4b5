"""``quizapp import-reviews``: load a review history from a CSV file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from quizapp.cli.common import open_database
from quizapp.present.safe import visible
from quizapp.study.reviews_csv import (
    IMPORTED_DECK,
    ReviewFileError,
    import_reviews,
    read_reviews_csv,
)


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``import-reviews`` to the parser."""
    p = sub.add_parser(
        "import-reviews",
        parents=parents,
        help="load a review history from a CSV file",
        description="Load a review history (from another app, or an older database) "
        "from a CSV file with a header row and the columns card_id, review_rating (1-4: "
        "Again, Hard, Good, Easy), review_time (ISO 8601 with a UTC offset, e.g. "
        "2024-03-29T20:32:32.250+00:00) and review_duration (milliseconds, may be empty); "
        "the short names card_id, rating, time, duration work too. The file is checked "
        "first: a bad row is reported as FILE:LINE: message and nothing is imported. "
        "Reviews already in the database (same card, same time) are skipped, so running "
        "it twice is harmless. Card ids the database does not know become retired "
        f"placeholder cards of the {IMPORTED_DECK!r} deck: their history counts in "
        "stats and optimize, and a deck card with the same explicit id {#id} takes it "
        "over at the next sync. Every card that got reviews is rescheduled from its "
        "whole history.",
    )
    p.add_argument("file", type=Path, metavar="FILE.csv", help="the review history")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the file, import it in one transaction, print what was done."""
    try:
        reviews = read_reviews_csv(args.file)
    except ReviewFileError as exc:
        print(visible(str(exc)), file=sys.stderr)
        print("nothing was imported", file=sys.stderr)
        return 1
    db = open_database(args)
    report = import_reviews(db, reviews, source=str(args.file))
    if args.json:
        json.dump(
            {
                "rows": report.rows,
                "imported": report.imported,
                "duplicates": report.duplicates,
                "new_cards": report.new_cards,
                "cards": report.cards,
            },
            sys.stdout,
        )
        sys.stdout.write("\n")
    else:
        print(report.summary())
    return 0
