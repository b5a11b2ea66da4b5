"""The browse screen's table of cards: question, due, interval, reviews and lapses,
sorted by any of them; the question column takes the width the others leave (a card's
state has its filter, and its detail says it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from quizapp.present.card import format_interval
from quizapp.present.safe import visible_line
from quizapp.store.views import CardView


def due_text(card: CardView, now: datetime) -> str:
    """``suspended``, ``new``, ``now``, ``in 3d`` or ``4d ago`` (overdue)."""
    if card.suspended:
        return "suspended"
    if card.state == "new" or card.due is None:
        return "new"
    delta = card.due - now
    if abs(delta.total_seconds()) < 60:
        return "now"
    if delta.total_seconds() > 0:
        return f"in {format_interval(delta)}"
    return f"{format_interval(-delta)} ago"


def interval_seconds(card: CardView) -> float | None:
    """The card's current interval: from its last review to its due time (None for a
    card never reviewed)."""
    if card.state == "new" or card.due is None or card.last_review is None:
        return None
    return max(0.0, (card.due - card.last_review).total_seconds())


@dataclass(frozen=True)
class Column:
    """A column of the table: its title, width and how its cells read and sort."""

    key: str
    title: str
    #: cells; 0 for the question column, which takes what the others leave
    width: int
    cell: Callable[[CardView, datetime], Text]
    #: the value cards are sorted by (ties keep deck order)
    sort: Callable[[CardView, datetime], float | str]


#: sorts after every due time (seconds since 1970)
_FAR = 1e18


def _due_sort(card: CardView, now: datetime) -> float:
    # never-studied cards last, as Anki's browser lists them, then suspended ones
    if card.suspended:
        return _FAR * 2
    return _FAR if card.state == "new" or card.due is None else card.due.timestamp()


def _right(text: str) -> Text:
    return Text(text, justify="right")


COLUMNS: tuple[Column, ...] = (
    Column(
        "question",
        "question",
        0,
        lambda c, _: Text(visible_line(c.front), overflow="ellipsis", no_wrap=True),
        lambda c, _: c.front.casefold(),
    ),
    Column(
        "due",
        "due",
        9,
        lambda c, now: Text(due_text(c, now), style="yellow" if c.suspended else ""),
        _due_sort,
    ),
    Column(
        "interval",
        "ivl",
        5,
        lambda c, _: _right(
            format_interval(timedelta(seconds=s)) if (s := interval_seconds(c)) is not None else "–"
        ),
        lambda c, _: s if (s := interval_seconds(c)) is not None else -1.0,
    ),
    Column("reviews", "revs", 4, lambda c, _: _right(str(c.reviews)), lambda c, _: c.reviews),
    Column("lapses", "lapses", 6, lambda c, _: _right(str(c.lapses)), lambda c, _: c.lapses),
)
_BY_KEY = {c.key: c for c in COLUMNS}
#: cells DataTable puts between columns (its cell padding, both sides)
_PADDING = 2


def sort_cards(cards: Sequence[CardView], key: str, reverse: bool, now: datetime) -> list[CardView]:
    """``cards`` ordered by the column ``key`` (a stable sort: ties keep their order)."""
    column = _BY_KEY[key]
    return sorted(cards, key=lambda c: column.sort(c, now), reverse=reverse)


class CardTable(DataTable[Text]):
    """Cards as rows (their ids are the row keys); the question column is as wide as
    the table allows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._cards: list[CardView] = []
        self._now = datetime.min
        self._width = 0
        #: the column the rows are sorted by, and whether in reverse
        self.sort_key = "due"
        self.sort_reverse = False

    def on_mount(self) -> None:
        """Columns first; rows come with :meth:`show`."""
        self._columns_for(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        """The question column follows the table's width (inside its border)."""
        if self.size.width != self._width:
            self._columns_for(self.size.width)
            self._fill()

    def _columns_for(self, width: int) -> None:
        self._width = width
        fixed = sum(c.width + _PADDING for c in COLUMNS if c.width)
        # the vertical scrollbar takes two cells
        question = max(12, width - fixed - _PADDING - 2)
        self.clear(columns=True)
        for column in COLUMNS:
            title = column.title
            if column.key == self.sort_key:
                title += " ▼" if self.sort_reverse else " ▲"
            self.add_column(title, width=column.width or question, key=column.key)

    def show(self, cards: Sequence[CardView], now: datetime) -> None:
        """Show ``cards`` (already filtered and sorted)."""
        self._cards = list(cards)
        self._now = now
        self._fill()

    def _fill(self) -> None:
        row = self.cursor_row
        self.clear()
        for card in self._cards:
            self.add_row(*(c.cell(card, self._now) for c in COLUMNS), key=card.id)
        if self._cards:
            self.move_cursor(row=min(row, len(self._cards) - 1))

    def set_sort(self, key: str, reverse: bool) -> None:
        """Mark the column the rows are now sorted by (the caller re-sorts them)."""
        self.sort_key, self.sort_reverse = key, reverse
        self._columns_for(self._width)


def next_sort(key: str, reverse: bool) -> tuple[str, bool]:
    """The sort after ``key`` / ``reverse``: each column ascending, then descending,
    then the next column."""
    if not reverse:
        return key, True
    keys = [c.key for c in COLUMNS]
    return keys[(keys.index(key) + 1) % len(keys)], False
