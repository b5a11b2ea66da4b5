"""The deck format: markdown deck files → cards, topic notes and diagnostics.

Pure and headless (no database). :func:`parse_deck` reads one file,
:func:`load_decks` files and folders, :func:`lint_paths` reports every problem;
:func:`card_id` and :func:`content_hash` say who a card is and what it says.

The names are loaded on first use, so importing one module of the package (the
catalog, the types) does not pay for the parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.deckfile.collection import load_decks
    from quizapp.deckfile.ids import card_id, content_hash
    from quizapp.deckfile.lint import lint_paths
    from quizapp.deckfile.parse import parse_deck
    from quizapp.deckfile.types import CardSpec, Diagnostic, ParsedDeck, QuizSpec, TopicNote

_HOME = {
    "load_decks": "collection",
    "card_id": "ids",
    "content_hash": "ids",
    "lint_paths": "lint",
    "parse_deck": "parse",
    "CardSpec": "types",
    "Diagnostic": "types",
    "ParsedDeck": "types",
    "QuizSpec": "types",
    "TopicNote": "types",
}

__all__ = [
    "CardSpec",
    "Diagnostic",
    "ParsedDeck",
    "QuizSpec",
    "TopicNote",
    "card_id",
    "content_hash",
    "lint_paths",
    "load_decks",
    "parse_deck",
]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"quizapp.deckfile.{_HOME[name]}"), name)
    raise AttributeError(f"module 'quizapp.deckfile' has no attribute {name!r}")
