"""The four ratings, each with the interval it would give, as Anki shows them."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from quizapp.present.labels import RATING_NAMES


class RatingCell(Static):
    """One rating: ``3 Good`` over its next interval; a click picks it."""

    def __init__(self, rating: int) -> None:
        super().__init__(id=f"rating-{rating}", classes=f"rating rating-{rating}")
        self.rating = rating
        self.interval = ""
        self.suggested = False

    def show(self, interval: str, suggested: bool) -> None:
        """Show ``interval`` under the rating; mark it when it is the suggested one."""
        self.interval = interval
        self.suggested = suggested
        self.set_class(suggested, "-suggested")
        head = Text(f"{self.rating} {RATING_NAMES[self.rating]}", style="bold")
        if suggested:
            head.append(" ◂", style="bold")
        self.update(Text("\n").join([head, Text(interval)]))

    def on_click(self, event: events.Click) -> None:
        """Clicking a rating is the same as pressing its key."""
        event.stop()
        self.post_message(RatingBar.Chosen(self.rating))


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy with their next intervals."""

    class Chosen(Message):
        """A rating was clicked."""

        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    DEFAULT_CSS = """
    RatingBar {
        height: 4;
    }
    RatingBar RatingCell {
        width: 1fr;
        height: 4;
        content-align: center middle;
        text-align: center;
        border: round $panel-lighten-2;
    }
    RatingBar RatingCell.-suggested {
        border: round $accent;
    }
    """

    def compose(self) -> ComposeResult:
        for rating in RATING_NAMES:
            yield RatingCell(rating)

    def show(self, intervals: dict[int, str], suggested: int | None = None) -> None:
        """Show the intervals of the current card; ``suggested`` is highlighted."""
        for cell in self.query(RatingCell):
            cell.show(intervals.get(cell.rating, ""), cell.rating == suggested)
