"""``cards: list``: every top-level list item with an answer under it is a card.

An item's first block, a paragraph, is the question (without its number or bullet);
the rest of the item is the answer, its indentation removed::

    1. LSTM 和 GRU 的区别？

       - GRU has two gates, LSTM three.
       - GRU keeps one state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizapp.deckfile.formats.common import BlockCard, Finding, Layout, Lines, question
from quizapp.deckfile.quoting import quoted

if TYPE_CHECKING:
    from markdown_it.token import Token

#: a list item's marker and the spaces after it (CommonMark: 1–4 spaces, else 1)
_MARKER = re.compile(r"( {0,3})(\d{1,9}[.)]|[-+*])( *)")


def content_indent(line: str) -> int:
    """The column where a list item's content starts, from its first line."""
    found = _MARKER.match(line.expandtabs(4))
    if found is None:
        return 0
    lead, marker, gap = found.groups()
    if not 1 <= len(gap) <= 4:
        return len(lead) + len(marker) + 1
    return found.end()


def _items(tokens: Sequence[Token]) -> list[tuple[int, int, int]]:
    """``(item, paragraph, after)`` token indices of each top-level list item whose
    first block is a paragraph; ``after`` is the token after that paragraph."""
    found: list[tuple[int, int, int]] = []
    for index, tok in enumerate(tokens):
        if tok.type != "list_item_open" or tok.level != 1 or tok.map is None:
            continue
        para = index + 1
        if para < len(tokens) and tokens[para].type == "paragraph_open":
            found.append((index, para, para + 3))
    return found


def first_answered_item(tokens: Sequence[Token]) -> int | None:
    """0-based line of the first top-level list item with an answer under it."""
    for item, _, after in _items(tokens):
        if after < len(tokens) and tokens[after].type != "list_item_close":
            return tokens[item].map[0]  # type: ignore[index]
    return None


def read_list(tokens: Sequence[Token], source: Lines) -> Layout:
    """The cards of a ``cards: list`` file."""
    layout = Layout()
    lines = source.lines
    for item, para, after in _items(tokens):
        item_map = tokens[item].map
        para_map = tokens[para].map
        assert item_map is not None and para_map is not None
        raw = " ".join(part.strip() for part in tokens[para + 1].content.split("\n"))
        front, explicit, classes = question(raw)
        if not front:
            continue
        if after >= len(tokens) or tokens[after].type == "list_item_close":
            if "skip" not in classes:
                layout.findings.append(
                    Finding(
                        item_map[0],
                        "warning",
                        f"list item {quoted(front)} has no answer under it, so it is not a "
                        "card (indent the answer below the question)",
                    )
                )
            continue
        start, end = para_map[1], item_map[1]
        indent = content_indent(lines[item_map[0]])
        back = source.body_text(start, end, indent=indent)
        layout.cards.append(BlockCard(item_map[0], front, back, (start, end), explicit, classes))
    return layout
