"""The ``quizapp`` command line."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from quizapp import __version__

#: commands, in the order ``--help`` lists them, with their one-line summaries; each
#: lives in ``quizapp/cli/<name>.py`` (dashes become underscores) unless _MODULES names
#: another module
COMMANDS = {
    "study": "study the cards due now",
    "interview": "a timed mock interview with a report",
    "sync": "read deck files into the database",
    "lint": "check deck files; FILE:LINE: messages",
    "cards": "list cards and their schedule",
    "calc": "run a reference model (the conv / RNN parameter calculator)",
    "export": "export decks to an Anki package (.apkg)",
    "stats": "progress statistics",
    "optimize": "fit the scheduler to your review history",
    "import-reviews": "load a review history from a CSV file",
    "import": "import an Anki collection: deck files and review history",
    "db": "copy the whole collection to another database (move, back up)",
    "config": "show or change settings (daily limits, retention, steps, day start, decks)",
    "deck": "a copy of the bundled deck that you own (deck init DIR)",
}
_MODULES = {"import": "import_anki"}
_OPTIONS_WITH_VALUE = ("--db", "--deck")


def _global_options(suppress: bool) -> argparse.ArgumentParser:
    default = argparse.SUPPRESS if suppress else None
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help="database file or SQLAlchemy URL (env QUIZAPP_DB; default: a file in the "
        "user data directory)",
    )
    p.add_argument(
        "--deck",
        metavar="PATH",
        action="append",
        default=default,
        help="deck file or folder; repeat for several (env QUIZAPP_DECK; default: the "
        "bundled deck)",
    )
    return p


def _command_in(argv: Sequence[str]) -> str | None:
    """The command named in ``argv``, skipping the global options before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Only the command named in ``argv`` is imported and registered in
    full (start-up stays fast); the others are listed by their summaries. Without
    ``argv``, every command is registered in full."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Spaced-repetition quizzes and flashcards for ML/NLP interviews. "
        "Without a command, opens the app on its home screen.",
        parents=[_global_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parents = [_global_options(suppress=True)]
    wanted = None if argv is None else _command_in(argv)
    for name, summary in COMMANDS.items():
        if argv is None or name == wanted:
            module_name = _MODULES.get(name, name.replace("-", "_"))
            module = importlib.import_module(f"quizapp.cli.{module_name}")
            module.register(sub, parents)
        else:
            sub.add_parser(name, help=summary, add_help=False)
    return parser


def _home(args: argparse.Namespace) -> int:
    from quizapp.cli.common import open_app

    return open_app(args, "home")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``quizapp`` console script."""
    from quizapp import collector

    collector.pause()
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(argv).parse_args(argv)
    finally:
        collector.resume()
    if args.command is None:
        args.func = _home
    from quizapp.locations import DatabaseURLError
    from quizapp.present.safe import visible
    from quizapp.store.errors import EXIT_DB, StoreError

    try:
        code: int = args.func(args)
    except StoreError as exc:
        # A message may quote a card or a path from a deck.
        print(visible(f"quizapp: {exc}"), file=sys.stderr)
        return EXIT_DB
    except DatabaseURLError as exc:
        # --db (or $QUIZAPP_DB) names something that is not a database: a usage error.
        print(visible(f"quizapp: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``quizapp cards | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        common = sys.modules.get("quizapp.cli.common")
        if common is not None:
            common.close_databases()
    return code


if __name__ == "__main__":
    sys.exit(main())
