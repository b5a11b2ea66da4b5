"""``quizapp lint``: check deck files without touching the database."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from quizapp.cli.common import deck_paths
from quizapp.deckfile.collection import load_decks
from quizapp.deckfile.lint import lint_decks
from quizapp.deckfile.types import Diagnostic
from quizapp.present.safe import visible_line

DESCRIPTION = """\
Check deck files and print every problem as FILE:LINE: severity: message, then a
summary line on stderr. Errors are problems that keep a card from loading (invalid
UTF-8, an unclosed code fence, a heading without text, a duplicate question in one
topic, a duplicate id, a malformed quiz block, an unknown model or parameter, a bad
parameter range); warnings are worth a look but lose nothing (an empty file, a very
long line, a heading with no content, a card with an empty answer). The database is
not opened.
"""

EPILOG = """\
exit status: 0 when there are no errors (warnings allowed), 1 when there is at least
one error.
"""


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``lint`` to the parser."""
    p = sub.add_parser(
        "lint",
        parents=parents,
        help="check deck files for problems",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="deck files or folders (default: the configured decks, see --deck)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only, not warnings")
    p.set_defaults(func=run)


def _shown(source: str) -> str:
    """``source`` relative to the current directory when it lies below it."""
    try:
        relative = os.path.relpath(source)
    except ValueError:  # another drive on Windows
        return source
    return source if relative.startswith("..") else relative


def format_diagnostic(d: Diagnostic) -> str:
    """``FILE:LINE: severity: message``, with FILE relative to the current directory,
    on one line whatever the file name and message hold (control characters shown)."""
    return visible_line(f"{_shown(d.source)}:{d.line}: {d.severity}: {d.message}")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def run(args: argparse.Namespace) -> int:
    """Lint the decks; exit 1 when any error was found."""
    paths = args.paths or deck_paths(args)
    decks = load_decks(paths)
    found = lint_decks(decks)
    errors = sum(1 for d in found if d.severity == "error")
    warnings = len(found) - errors
    for d in found:
        if d.severity == "error" or not args.quiet:
            print(format_diagnostic(d))
    files = sum(1 for deck in decks if Path(deck.source).is_file())
    cards = sum(len(deck.cards) for deck in decks)
    print(
        f"{_count(files, 'file')}, {_count(cards, 'card')}: "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}",
        file=sys.stderr,
    )
    return 1 if errors else 0
