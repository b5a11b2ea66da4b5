"""What lint says about a file that yields no cards, by its layout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizapp.deckfile.formats import Format
from quizapp.deckfile.formats.listcards import first_answered_item

if TYPE_CHECKING:
    from markdown_it.token import Token


def no_cards(
    fmt: Format, level: int | None, tokens: Sequence[Token], has_front_matter: bool
) -> tuple[int, str]:
    """``(0-based line, message)`` explaining why a file has no cards."""
    if fmt == "list":
        return 0, (
            "no cards in this file (front matter cards: list makes every top-level list "
            "item with an answer indented under it a card)"
        )
    if fmt == "osr":
        return 0, (
            "no cards in this note: it is tagged #flashcards, but has no `question::answer` "
            "line and no question followed by a line holding only `?`"
        )
    if fmt == "qa":
        return 0, "no cards in this file: no `Q:` block has an `A:` and no `C:` block a [deletion]"
    if level is not None:
        rule = f"front matter cards: {level} makes every level-{level} heading a card"
        return 0, f"no cards in this file ({rule})"
    item = first_answered_item(tokens)
    if item is None:
        return 0, "no cards in this file (a card is a heading with content and no sub-headings)"
    add = (
        "add `cards: list` to its front matter"
        if has_front_matter
        else "start the file with the front matter `---` / `cards: list` / `---`"
    )
    return item, (
        "no cards in this file: its list items have answers under them, but cards are "
        f"headings here; to make each such item a card, {add}"
    )
