"""The deck format's markdown, set up for the text of one card.

Both flavours of the presenter (:mod:`~quizapp.present.terminal`,
:mod:`~quizapp.present.html`) start from :func:`card_markdown`, which starts from the
deck format itself (:func:`quizapp.deckfile.markdown.configured`): what counts as math,
code or a table is the same for the parser, the terminal and the export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizapp.deckfile.markdown import configured

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def card_markdown() -> MarkdownIt:
    """A new parser of the deck format for a card's text, to extend with render rules.

    A card's text is the middle of a file: a leading ``---`` is a rule, not front
    matter. ``{#id .class}`` attributes mean something on a card's heading (read by the
    parser); in the text of a card they are shown as written.
    """
    return configured().disable(["front_matter", "attr"])
