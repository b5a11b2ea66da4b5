"""How much of a card a terminal is shown: a bound on lines and on the whole text.

A deck can hold a table of 20,000 columns or a megabyte answer. Shown whole in line
mode, such a card costs seconds and hundreds of megabytes (every formula in it is
converted) and scrolls away anything useful. So a line is cut at
:data:`MAX_LINE_CHARS` and a text at :data:`MAX_SHOWN_CHARS`, each cut saying so, before
the text is converted for the terminal. No real card comes near either bound.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: the longest line shown
MAX_LINE_CHARS = 2_000
#: the most characters of one card's question or answer shown
MAX_SHOWN_CHARS = 20_000


def bounded(text: str) -> str:
    """``text`` cut to the bounds above; every cut says so."""
    if len(text) <= MAX_LINE_CHARS:
        return text
    out = []
    for line in text[:MAX_SHOWN_CHARS].split("\n"):
        if len(line) > MAX_LINE_CHARS:
            out.append(line[:MAX_LINE_CHARS] + f" … [line cut at {MAX_LINE_CHARS:,} characters]")
        else:
            out.append(line)
    if len(text) > MAX_SHOWN_CHARS:
        out.append(
            f"… [cut: the first {MAX_SHOWN_CHARS:,} of {len(text):,} characters shown; "
            "the rest is in the deck file]"
        )
    return "\n".join(out)


#: how much of one text the app draws, in pieces: a paragraph, heading, table cell,
#: code block or quote counts one, a list item four (its bullet, its box and its
#: paragraph are widgets of their own). Each piece is laid out as a widget there, and a
#: few thousand of them take seconds (line mode prints text and needs no such bound).
#: A long real answer has a few dozen pieces; 320 is about 80 list items, 320
#: paragraphs or a table of 80 rows of 4 columns.
MAX_SHOWN_PIECES = 320
#: the most columns of a table the app draws (more never fit a terminal anyway)
MAX_TABLE_COLUMNS = 12

_PIECES = {
    "paragraph_open": 1,
    "heading_open": 1,
    "list_item_open": 3,
    "th_open": 1,
    "td_open": 1,
    "fence": 1,
    "code_block": 1,
    "blockquote_open": 1,
    "hr": 1,
    "math_block": 1,
    "html_block": 1,
}

#: tokens whose first source line is a place to cut at (a table is cut between rows)
_CUT_AT = {*_PIECES, "tr_open"}
_CELL_BAR = re.compile(r"(?<!\\)\|")


@cache
def _parser() -> MarkdownIt:
    from quizapp.present.cardtext import card_markdown

    return card_markdown()


def _first_cells(line: str, keep: int) -> str:
    """A table row (or its delimiter row) cut to its first ``keep`` cells and a ``…`` one."""
    parts = _CELL_BAR.split(line)
    # A leading bar (after any quote marks) opens the row: the part before it is no cell.
    lead = 1 if parts[0].strip(" >") == "" else 0
    cells = parts[lead : lead + keep]
    delimiter = all(set(c.strip()) <= set("-:") and c.strip() for c in cells)
    more = "---" if delimiter else " … "
    return "|".join([*parts[:lead], *cells, more]) + "|"


def _narrow_tables(text: str, tokens: list[Token]) -> tuple[str, bool]:
    """Tables of more than :data:`MAX_TABLE_COLUMNS` columns cut to that many."""
    lines: list[str] | None = None
    for i, token in enumerate(tokens):
        if token.type != "table_open" or token.map is None:
            continue
        columns = 0
        for cell in tokens[i + 1 :]:
            if cell.type == "tr_close":
                break
            columns += cell.type == "th_open"
        if columns <= MAX_TABLE_COLUMNS:
            continue
        lines = text.split("\n") if lines is None else lines
        for n in range(*token.map):
            lines[n] = _first_cells(lines[n], MAX_TABLE_COLUMNS)
    return ("\n".join(lines), True) if lines is not None else (text, False)


def bounded_pieces(text: str) -> str:
    """``text`` (markdown) cut to :func:`bounded`, with tables cut to
    :data:`MAX_TABLE_COLUMNS` columns and the whole to :data:`MAX_SHOWN_PIECES`
    pieces, for the app's markdown widget. Every cut says so, and where the rest is.

    A cut falls on the first line of a piece (a table is cut between rows), so what
    is shown stays well-formed markdown.
    """
    text = bounded(text)
    tokens = _parser().parse(text)
    text, narrowed = _narrow_tables(text, tokens)
    if narrowed:
        tokens = _parser().parse(text)
    pieces = 0
    cut: int | None = None
    for token in tokens:
        pieces += _PIECES.get(token.type, 0)
        if pieces > MAX_SHOWN_PIECES and token.type in _CUT_AT and token.map is not None:
            cut = token.map[0]
            break
    notes = []
    if narrowed:
        notes.append(f"tables cut to their first {MAX_TABLE_COLUMNS} columns")
    if cut is not None:
        text = "\n".join(text.split("\n")[:cut]).rstrip()
        notes.append("only its beginning is shown here")
    if not notes:
        return text
    return (
        f"{text}\n\n… [cut: {'; '.join(notes)}. Press e to read the whole card in its deck file.]"
    )
