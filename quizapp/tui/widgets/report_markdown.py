"""An interview report as markdown: its tables keep their short columns whole when they
are wider than the screen, the longest columns giving way first."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownTable,
    MarkdownTableCellContents,
    MarkdownTableContent,
)

from quizapp.tui.widgets.card_markdown import CardMarkdown

#: cells a cell's padding takes (one each side)
_PADDING = 2


def _floor(text: str) -> int:
    """The narrowest a cell holding ``text`` can be without cutting a word: a line
    breaks at spaces, and anywhere beside a wide character (Chinese, Japanese)."""
    widest = run = 0
    for ch in text:
        width = cell_len(ch)
        if ch.isspace() or width > 1:
            widest, run = max(widest, run, width), 0
        else:
            run += width
    return max(widest, run)


def _capped(widths: list[int], room: int) -> list[int]:
    """``widths`` with the widest lowered to a common cap, so that they add up to
    ``room`` or less."""
    cap = max(widths, default=0)
    while cap > 0 and sum(min(w, cap) for w in widths) > room:
        cap -= 1
    return [min(w, cap) for w in widths]


def share_widths(natural: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths for a table ``room`` cells wide whose columns would like to be
    ``natural`` wide: the widest give way first, down to a common width, each kept
    wide enough for its longest word (its floor); the others keep their natural
    width. When the longest words don't fit beside them, the longest are folded
    rather than the narrow columns squeezed. ``natural`` itself when it fits."""
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    for cap in range(max(natural) - 1, 0, -1):
        giving = [i for i, n in enumerate(natural) if n > cap]
        kept = sum(n for n in natural if n <= cap)
        widths = [n if n <= cap else max(cap, f) for n, f in zip(natural, floors, strict=True)]
        if sum(widths) <= room:
            break
        if kept + cap * len(giving) <= room:
            shared = _capped([widths[i] for i in giving], room - kept)
            for i, width in zip(giving, shared, strict=True):
                widths[i] = width
            break
    # what rounding left goes to the columns that gave way, one cell each
    spare = room - sum(widths)
    for i, (w, n) in enumerate(zip(widths, natural, strict=True)):
        if spare > 0 and w < n:
            widths[i] += 1
            spare -= 1
    return widths


class _Cell(MarkdownTableCellContents):
    """A cell as wide as its column's share of the table."""

    def __init__(self, content: Content, column: int, classes: str, name: str | None = None):
        super().__init__(content, classes=classes, name=name)
        self.column = column

    @property
    def text(self) -> str:
        """The cell's text."""
        content = self.content
        return content.plain if isinstance(content, Content) else str(content)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        width = super().get_content_width(container, viewport)
        table = self.parent
        if isinstance(table, _ReportTableContent):
            width = min(width, max(1, table.widths(container.width)[self.column] - _PADDING))
        return width


class _ReportTableContent(MarkdownTableContent):
    def __init__(self, headers: list[Content], rows: list[list[Content]]) -> None:
        super().__init__(headers, rows)
        self._widths: tuple[int, list[int]] = (-1, [])

    def compose(self) -> ComposeResult:
        for column, header in enumerate(self.headers):
            yield self._folding(_Cell(header, column, "header")).with_tooltip(header)
        for row_index, row in enumerate(self.rows, 1):
            for column, cell in enumerate(row):
                yield self._folding(
                    _Cell(cell, column, f"row{row_index} cell", f"cell{row_index}.{column + 1}")
                ).with_tooltip(cell.plain)
            self.last_row = row_index

    def _update_content(self, headers: list[Content], rows: list[list[Content]]) -> None:
        super()._update_content(headers, rows)
        self._widths = (-1, [])

    @staticmethod
    def _folding(cell: _Cell) -> _Cell:
        # wide characters have no spaces to wrap at: such a cell folds (CardMarkdown's CSS)
        if cell_len(cell.text) > len(cell.text):
            cell.add_class("-fold")
        return cell

    def widths(self, width: int) -> list[int]:
        """Each column's width (padding included) in a table ``width`` cells wide."""
        if self._widths[0] != width:
            cells = [c for c in self.children if isinstance(c, _Cell)]
            columns = max((c.column for c in cells), default=-1) + 1
            natural, floors = [0] * columns, [0] * columns
            for c in cells:
                longest = max((cell_len(line) for line in c.text.splitlines()), default=0)
                natural[c.column] = max(natural[c.column], longest + _PADDING)
                floors[c.column] = max(floors[c.column], _floor(c.text) + _PADDING)
            gutters = self.styles.grid_gutter_vertical * max(0, columns - 1)
            self._widths = (width, share_widths(natural, floors, width - gutters))
        return self._widths[1]


class _ReportTable(MarkdownTable):
    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        yield _ReportTableContent(headers, rows)


class ReportMarkdown(CardMarkdown):
    """An interview report: a :class:`CardMarkdown` whose tables, when wider than the
    screen, narrow their longest columns (a question, a topic) and wrap them, so that
    numbers, verdicts, times and scores stay whole."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        """Tables that share their width out."""
        if block_name == "table_open":
            return _ReportTable
        return super().get_block_class(block_name)
