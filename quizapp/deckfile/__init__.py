"""The deck format: markdown deck files → cards, topic notes and diagnostics.

Pure and headless (no database). :func:`parse_deck` reads one file,
:func:`load_decks` files and folders, :func:`lint_paths` reports every problem;
:func:`card_id` and :func:`content_hash` say who a card is and what it says.
"""

from quizapp.deckfile.collection import load_decks
from quizapp.deckfile.ids import card_id, content_hash
from quizapp.deckfile.lint import lint_paths
from quizapp.deckfile.parse import parse_deck
from quizapp.deckfile.types import CardSpec, Diagnostic, ParsedDeck, QuizSpec, TopicNote

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
