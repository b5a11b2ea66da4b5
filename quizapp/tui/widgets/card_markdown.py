"""Card text as markdown: lists, tables, highlighted code, math as Unicode."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from textual.widgets import Markdown

from quizapp.present.safe import visible

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from textual.await_complete import AwaitComplete


def _plain_unlabelled_fences(state: StateCore) -> None:
    # A fence without a language (math turned into text, or an unlabelled block) is
    # shown as is: guessing its language would import every Pygments lexer (~0.5 s) and
    # could colour a formula as some programming language.
    for token in state.tokens:
        if token.type == "fence" and not token.info.strip():
            token.info = "text"


@cache
def card_parser() -> MarkdownIt:
    """GitHub-flavoured markdown plus ``$…$`` / ``$$…$$`` math turned into Unicode.

    One parser is shared: markdown-it keeps no state between ``parse`` calls.
    """
    from markdown_it import MarkdownIt

    from quizapp.deckfile.mathtext import math_plugin

    md = MarkdownIt("gfm-like").use(math_plugin)
    md.core.ruler.push("plain_unlabelled_fences", _plain_unlabelled_fences)
    return md


class CardMarkdown(Markdown):
    """A card's question or answer.

    Deck text only ever goes through the markdown parser, which turns it into plain
    text runs: ``[bold]`` or ``[@click=app.quit]`` written in a deck stay characters.
    Control characters are made visible first (Textual would send an ``ESC`` on to the
    terminal). Links are shown but not followed (a deck is data, not a launcher).
    """

    DEFAULT_CSS = """
    CardMarkdown {
        margin: 0;
        padding: 0 1;
        background: transparent;
    }
    CardMarkdown MarkdownFence {
        margin: 0 0 1 0;
        max-height: 40;
    }
    """

    def __init__(
        self,
        markdown: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            None if markdown is None else visible(markdown),
            name=name,
            id=id,
            classes=classes,
            parser_factory=card_parser,
            open_links=False,
        )

    def update(self, markdown: str) -> AwaitComplete:
        """Show ``markdown`` (deck text) instead, control characters made visible."""
        return super().update(visible(markdown))
