"""LaTeX math → readable Unicode text, for terminals, and the markdown-it plugin that
puts it in place of a card's math.

:func:`latex_to_unicode` converts one formula (:mod:`quizapp.present.latex` does the
work, and is imported with the first formula: pylatexenc costs nothing to a card
without math). :func:`math_plugin` replaces the math tokens of the deck format's parser
(``$…$`` / ``$$…$$``) by text (inline) and plain fenced blocks (display), so any
markdown renderer shows the converted math.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore


@lru_cache(maxsize=4096)
def latex_to_unicode(latex: str, display: bool = False) -> str:
    """Convert LaTeX math (without its ``$`` delimiters) to readable Unicode.

    Inline math comes back on one line; display math keeps one line per ``\\\\`` row,
    with ``aligned`` columns padded so the ``=`` signs line up. A formula past the
    limits of :mod:`quizapp.deckfile.mathlimits` comes back as its source.
    """
    from quizapp.present.latex import convert

    return convert(latex, display)


def _rewrite_math(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("math_block", "math_block_label"):
            token.type = "fence"
            token.tag = "code"
            token.info = ""
            token.markup = "```"
            token.content = latex_to_unicode(token.content, display=True) + "\n"
            token.meta = {**(token.meta or {}), "math": True}
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("math_inline", "math_inline_double"):
                    # inside a paragraph: rows separated by ";", not broken
                    child.content = latex_to_unicode(child.content)
                    child.type = "text"
                    child.meta = {**(child.meta or {}), "math": True}


def math_plugin(md: MarkdownIt) -> None:
    """markdown-it plugin for a parser of the deck format (which finds ``$…$`` /
    ``$$…$$``): replace the math it found by Unicode text.

    Inline math becomes a ``text`` token and display math a plain ``fence`` token (one
    line per row), both marked ``meta["math"] = True``; a renderer that knows nothing
    about math shows them as they are.
    """
    md.core.ruler.push("math_to_unicode", _rewrite_math)
