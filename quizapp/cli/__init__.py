"""The ``quizapp`` command line."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from quizapp import __version__

#: command modules, in the order ``--help`` lists them
COMMANDS = (
    "study",
    "interview",
    "sync",
    "lint",
    "cards",
    "calc",
    "export",
    "stats",
    "optimize",
    "import_reviews",
)


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


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every command registered."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Spaced-repetition quizzes and flashcards for ML/NLP interviews. "
        "Without a command, opens the app on its home screen.",
        parents=[_global_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parents = [_global_options(suppress=True)]
    for name in COMMANDS:
        module = importlib.import_module(f"quizapp.cli.{name}")
        module.register(sub, parents)
    return parser


def _home(args: argparse.Namespace) -> int:
    from quizapp.cli.common import open_app

    return open_app(args, start="home")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``quizapp`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = _home
    from quizapp.store.errors import StoreError

    try:
        code: int = args.func(args)
    except StoreError as exc:
        print(f"quizapp: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``quizapp cards | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
