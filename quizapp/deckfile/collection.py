"""Deck files and folders → parsed decks.

A file is one deck. A folder is a collection: every ``*.md`` below it (see
:func:`quizapp.deckfile.sources.deck_sources`), sub-folders becoming sub-decks
(``Folder::Deck``). Card ids must be unique across the whole collection, since the
database keys cards by id alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from quizapp.deckfile.controls import clean_name
from quizapp.deckfile.parse import parse_deck
from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.sources import deck_sources, read_deck_file
from quizapp.deckfile.types import CardSpec, Diagnostic, ParsedDeck


def load_decks(paths: Sequence[Path]) -> list[ParsedDeck]:
    """Parse every deck file under ``paths``, in a stable order.

    Never raises for a missing or unreadable path: it becomes an error
    :class:`Diagnostic` (a folder without deck files, a warning), carried by a deck
    without cards. A card whose id another file
    already uses is dropped with an error (the first file keeps it).
    """
    problems: list[Diagnostic] = []
    sources = deck_sources(paths, problems)
    for given in paths:
        root = given.expanduser().resolve()
        if root.is_dir() and not any(root in path.parents for path, _ in sources):
            empty = Diagnostic(str(given), 1, "warning", "no .md deck files in this folder")
            problems.append(empty)
    decks = [
        ParsedDeck(d.source, clean_name(Path(d.source).stem), diagnostics=(d,)) for d in problems
    ]
    seen: dict[str, CardSpec] = {}
    for path, prefix in sources:
        key = str(path)
        data = read_deck_file(path)
        if isinstance(data, Diagnostic):
            decks.append(ParsedDeck(key, clean_name(path.stem), diagnostics=(data,)))
            continue
        decks.append(_unique(parse_deck(data, key, prefix), seen))
    return decks


def _unique(deck: ParsedDeck, seen: dict[str, CardSpec]) -> ParsedDeck:
    """``deck`` without the cards whose ids an earlier deck of the collection has."""
    kept: list[CardSpec] = []
    clashes: list[Diagnostic] = []
    for card in deck.cards:
        first = seen.get(card.id)
        if first is None:
            seen[card.id] = card
            kept.append(card)
        else:
            clashes.append(
                Diagnostic(
                    card.source,
                    card.line,
                    "error",
                    f"card id {quoted(card.id)} is already used in {first.source}:{first.line}; "
                    "this card is ignored",
                )
            )
    if not clashes:
        return deck
    diagnostics = sorted((*deck.diagnostics, *clashes), key=lambda d: d.line)
    return replace(deck, cards=tuple(kept), diagnostics=tuple(diagnostics))
