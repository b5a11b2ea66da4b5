"""``quizapp deck init DIR``: a copy of the bundled deck that the user owns.

The bundled deck lives inside the installed package, where the next upgrade replaces
it: edits made there are lost. ``deck init`` copies it to a folder of the user's,
moves the history of its cards along, and makes that folder the ``decks`` setting.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from quizapp import locations
from quizapp.cli.common import open_database
from quizapp.present.safe import visible_line
from quizapp.words import plural


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``deck`` to the parser."""
    p = sub.add_parser(
        "deck",
        parents=parents,
        help="a copy of the bundled deck that you own (deck init DIR)",
        description="Manage deck folders. `deck init DIR` copies the bundled deck to DIR "
        "(a new or empty folder), keeps the history of its cards, and makes DIR the "
        "configured deck (`quizapp config get decks`): edit the files there; an upgrade "
        "of quizapp never touches them.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", parents=parents, help="copy the bundled deck to DIR and study from there"
    )
    init.add_argument("dir", metavar="DIR", type=Path, help="a new or empty folder")
    p.set_defaults(func=run)


def _problem(target: Path) -> str | None:
    if target.exists() and not target.is_dir():
        return f"{target} exists and is not a folder"
    if target.is_dir() and any(target.iterdir()):
        return f"{target} is not empty; name a new or empty folder"
    return None


def run(args: argparse.Namespace) -> int:
    """Copy the bundled deck and make the copy the configured deck."""
    from quizapp.deckfile.sources import deck_sources
    from quizapp.store.relocate import move_deck_files
    from quizapp.store.settings import SETTINGS
    from quizapp.store.settings_db import save_setting

    bundled = locations.bundled_deck()
    target = args.dir.expanduser().resolve()
    problem = _problem(target)
    if problem:
        print(visible_line(f"quizapp deck init: {problem}"), file=sys.stderr)
        return 1
    try:
        shutil.copytree(bundled, target, dirs_exist_ok=True)
    except OSError as exc:
        print(visible_line(f"quizapp deck init: cannot copy to {target}: {exc}"), file=sys.stderr)
        return 1
    old = {path.relative_to(bundled.resolve()): str(path) for path, _ in deck_sources([bundled])}
    new = {path.relative_to(target): str(path) for path, _ in deck_sources([target])}
    moves = {old[rel]: new[rel] for rel in old if rel in new}
    db = open_database(args)
    moved = move_deck_files(db, moves)
    save_setting(db, "decks", str(target))
    print(visible_line(f"Copied {plural(len(moves), 'deck file')} to {target}."))
    if moved:
        print(f"The history of {plural(moved, 'card')} comes along.")
    print(
        visible_line(
            f"quizapp now reads {target} ({SETTINGS['decks'].name} setting): edit the files "
            "there; the next study session reads your changes."
        )
    )
    if locations.decks_given(getattr(args, "deck", None)):
        print("Note: --deck or $QUIZAPP_DECK still names other decks and wins over the setting.")
    return 0
