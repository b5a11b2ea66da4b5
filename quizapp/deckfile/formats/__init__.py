"""Card layouts other than headings: list items, Obsidian Spaced Repetition notes, and
the ``Q:``/``A:``/``C:`` blocks of hashcards and repeat.

Each layout reads the file's block tokens and lines and returns :class:`BlockCard`\\ s
(where a card is and what it says); the deck parser gives them topics from the
enclosing headings, ids, cloze and quiz cards, exactly as for heading cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from quizapp.deckfile.formats.common import BlockCard, Finding, Layout, Lines

if TYPE_CHECKING:
    from markdown_it.token import Token

Format = Literal["headings", "list", "osr", "qa"]

__all__ = ["BlockCard", "Finding", "Format", "Layout", "Lines", "choose_format", "read_layout"]


def choose_format(
    rule: str | None,
    level: int | None,
    tags: Sequence[str],
    tokens: Sequence[Token],
    lines: Sequence[str],
    text: str,
) -> Format:
    """Which layout a file's cards are in.

    Front matter decides when it says (``cards: list``, ``cards: headings``, a heading
    level); otherwise an OSR flashcard tag makes an OSR note and ``Q:``/``C:`` blocks a
    hashcards-style deck; anything else is read by its headings. ``text`` (the file) is
    searched first, so that a heading deck pays no more than two regex searches.
    """
    if rule == "list":
        return "list"
    if rule == "headings" or level is not None:
        return "headings"
    from quizapp.deckfile.formats import osr, qa

    if osr.tagged(tags, tokens, text):
        return "osr"
    if qa.detected(tokens, lines, text):
        return "qa"
    return "headings"


def read_layout(fmt: Format, tokens: Sequence[Token], source: Lines) -> Layout:
    """The cards of a file in layout ``fmt`` (not ``"headings"``)."""
    if fmt == "list":
        from quizapp.deckfile.formats.listcards import read_list

        return read_list(tokens, source)
    if fmt == "osr":
        from quizapp.deckfile.formats.osr import read_osr

        return read_osr(tokens, source)
    from quizapp.deckfile.formats.qa import read_qa

    return read_qa(tokens, source)
