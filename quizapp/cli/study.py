"""``quizapp study``: a study session, in the app or in line mode."""

from __future__ import annotations

import argparse
from typing import Any

from quizapp.cli.common import open_app, open_database, sync_first
from quizapp.cli.numbers import whole_number


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``study`` to the parser."""
    p = sub.add_parser(
        "study",
        parents=parents,
        help="study the cards due now",
        description="Study the cards due now (learning, reviews, then new cards). Opens "
        "the app on its study screen; --plain runs a line-mode session for pipes and "
        "screen readers: Enter reveals an answer, type the answer of computational "
        "cards, rate 1-4 (Enter takes the suggested rating), q quits. Every rating is "
        "saved before the next card. New cards and reviews are capped by the daily "
        "limits (`quizapp config`); --extra-new lifts today's new-card limit.",
    )
    p.add_argument("--plain", action="store_true", help="line mode instead of the app")
    p.add_argument("--topic", metavar="T", help="only cards of this deck or topic")
    p.add_argument(
        "--limit", type=whole_number(1, 1_000_000), metavar="N", help="stop after N cards"
    )
    p.add_argument(
        "--extra-new",
        type=whole_number(1, 9999),
        metavar="N",
        help="allow N more new cards today, beyond the daily limit (the + key in the app)",
    )
    p.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the session."""
    from quizapp.study.options import StudyOptions

    if args.extra_new:
        _extra_new(args)

    options = StudyOptions(topic=args.topic, limit=args.limit, seed=args.seed)
    if not args.plain:
        return open_app(args, "study", study=options)
    # Line mode only: the app draws its first screen before the database stack loads.
    from quizapp.cli.plain import LineIO, run_study
    from quizapp.study.engine import StudySession
    from quizapp.study.service import StudyService

    db = open_database(args)
    sync_first(args, db)
    run_study(StudySession(StudyService(db), options), LineIO())
    return 0


def _extra_new(args: argparse.Namespace) -> None:
    """Raise today's new-card limit before the session starts."""
    from quizapp.study.service import StudyService
    from quizapp.words import plural

    limit = StudyService(open_database(args)).add_extra_new(args.extra_new)
    print(f"{plural(args.extra_new, 'more new card')} today: today's limit is {limit:,}.")
