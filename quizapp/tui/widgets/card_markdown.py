"""Card text as markdown: lists, tables, highlighted code, math as Unicode (the
presenter's terminal parser)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownTable, MarkdownTableContent

from quizapp.present.bounds import bounded_pieces
from quizapp.present.safe import visible
from quizapp.present.terminal import card_parser

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete


class _FoldingTableContent(MarkdownTableContent):
    """Table cells; those holding wide characters fold (see the CSS above)."""

    def compose(self) -> ComposeResult:
        for cell in super().compose():
            content = getattr(cell, "content", None)
            text = content.plain if isinstance(content, Content) else str(content)
            if cell_len(text) > len(text):
                cell.add_class("-fold")
            yield cell


class _FoldingTable(MarkdownTable):
    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        yield _FoldingTableContent(headers, rows)


class CardMarkdown(Markdown):
    """A card's question or answer.

    Deck text only ever goes through the markdown parser, which turns it into plain
    text runs: ``[bold]`` or ``[@click=app.quit]`` written in a deck stay characters.
    Control characters are made visible first (Textual would send an ``ESC`` on to the
    terminal). Links are shown but not followed (a deck is data, not a launcher). A
    huge text is cut (:func:`~quizapp.present.bounds.bounded_pieces`), saying so: every
    paragraph, list item or table cell is a widget here.
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
        /* a formula or code line wider than the card: a visible bar to scroll it */
        overflow-x: auto;
        scrollbar-size-horizontal: 1;
        scrollbar-color: $accent 70%;
    }
    /* Table cells wrap at spaces; a cell with wide characters (Chinese, Japanese:
       runs without spaces) is folded onto the next line rather than cut with "…". */
    CardMarkdown MarkdownTableContent > .-fold {
        text-overflow: fold;
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
            None if markdown is None else visible(bounded_pieces(markdown)),
            name=name,
            id=id,
            classes=classes,
            parser_factory=card_parser,
            open_links=False,
        )

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        """Tables whose wide-character cells fold instead of being cut."""
        if block_name == "table_open":
            return _FoldingTable
        return super().get_block_class(block_name)

    def update(self, markdown: str) -> AwaitComplete:
        """Show ``markdown`` (deck text) instead, control characters made visible."""
        return super().update(visible(bounded_pieces(markdown)))
