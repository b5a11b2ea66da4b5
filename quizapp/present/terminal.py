"""Card text for a terminal: the TUI's markdown widget and line mode.

Both show math as Unicode (:mod:`quizapp.present.mathtext`). The TUI renders markdown,
so it gets a parser (:func:`card_parser`); line mode prints plain readable text
(:func:`terminal_text`).
Control characters are made visible by the writers themselves (the card widget and
line mode's output), with :func:`quizapp.present.safe.visible`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from quizapp.present.bounds import bounded
from quizapp.present.cardtext import card_markdown

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore


def _plain_unlabelled_fences(state: StateCore) -> None:
    # A fence without a language (math turned into text, or an unlabelled block) is
    # shown as is: guessing its language would import every Pygments lexer (~0.5 s) and
    # could colour a formula as some programming language.
    for token in state.tokens:
        if token.type == "fence" and not token.info.strip():
            token.info = "text"


@cache
def card_parser() -> MarkdownIt:
    """The parser of the TUI's card widget: the deck format, math as Unicode, fences
    without a language left unhighlighted.

    One parser is shared: markdown-it keeps no state between ``parse`` calls.
    """
    # Imported here, as pylatexenc is: the first screen of the app draws no card text.
    from quizapp.present.mathtext import math_plugin

    md = card_markdown().use(math_plugin)
    md.core.ruler.push("plain_unlabelled_fences", _plain_unlabelled_fences)
    return md


@cache
def _source_parser() -> MarkdownIt:
    return card_markdown()


def terminal_text(markdown: str) -> str:
    """``markdown`` as line mode prints it: plain readable text
    (:mod:`~quizapp.present.plaintext`: no ``**`` or backticks, math as Unicode,
    display math and code indented), cut first to
    :func:`~quizapp.present.bounds.bounded` (saying so).

    Math is found by the deck format's parser, so a ``$`` inside code stays.
    """
    from markdown_it.tree import SyntaxTreeNode

    from quizapp.present.plaintext import plain_text

    # Cut first: a card of a megabyte, or a table of 20,000 columns, would otherwise
    # cost seconds of math conversion and flood the terminal.
    return plain_text(SyntaxTreeNode(_source_parser().parse(bounded(markdown))))
