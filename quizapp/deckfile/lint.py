"""Checking deck files: every parser diagnostic, plus checks on the cards themselves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizapp.deckfile.collection import load_decks
from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.types import Diagnostic, ParsedDeck


def card_problems(deck: ParsedDeck) -> list[Diagnostic]:
    """Problems with cards that parsed fine: an empty answer."""
    problems: list[Diagnostic] = []
    for card in deck.cards:
        # A quiz card's answer comes from its reference model; its back is only the
        # explanation around it and may well be empty.
        if card.kind != "quiz" and not card.back.strip():
            problems.append(
                Diagnostic(
                    card.source,
                    card.line,
                    "warning",
                    f"card {quoted(card.front)} has an empty answer",
                )
            )
    return problems


def lint_decks(decks: Sequence[ParsedDeck]) -> list[Diagnostic]:
    """All diagnostics of already parsed decks, sorted by file and line."""
    found: list[Diagnostic] = []
    for deck in decks:
        found.extend(deck.diagnostics)
        found.extend(card_problems(deck))
    found.sort(key=lambda d: (d.source, d.line))
    return found


def lint_paths(paths: Sequence[Path]) -> list[Diagnostic]:
    """All diagnostics of the deck files and folders ``paths``, sorted by file and line."""
    return lint_decks(load_decks(paths))
