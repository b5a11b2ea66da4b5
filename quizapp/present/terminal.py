"""Card text for a terminal: the TUI's markdown widget and line mode.

Both show math as Unicode (:mod:`quizapp.present.mathtext`). The TUI renders markdown,
so it gets a parser (:func:`card_parser`); line mode prints the markdown source as it
is, so it gets that source with the math converted in place (:func:`terminal_text`).
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
    """``markdown`` as line mode prints it: the source as written (cut to
    :func:`~quizapp.present.bounds.bounded`, saying so), every ``$…$`` / ``$$…$$``
    turned into Unicode text (display math as indented lines).

    Math is found by the deck format's parser, so a ``$`` inside code stays.
    """
    from quizapp.present.mathtext import latex_to_unicode

    # Cut first: a card of a megabyte, or a table of 20,000 columns, would otherwise
    # cost seconds of math conversion and flood the terminal.
    markdown = bounded(markdown)
    lines = markdown.split("\n")
    for token in reversed(_source_parser().parse(markdown)):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("math_block", "math_block_label"):
            indent = " " * (len(lines[start]) - len(lines[start].lstrip()))
            body = latex_to_unicode(token.content, display=True).split("\n")
            lines[start:end] = [indent + "    " + row for row in body]
        elif token.type == "inline" and token.children:
            chunk = "\n".join(lines[start:end])
            for child in token.children:
                if child.type in ("math_inline", "math_inline_double"):
                    mark = "$$" if child.type == "math_inline_double" else "$"
                    source = f"{mark}{child.content}{mark}"
                    text = latex_to_unicode(child.content).replace("\n", " ")
                    chunk = chunk.replace(source, text, 1)
            lines[start:end] = chunk.split("\n")
    return "\n".join(lines)
