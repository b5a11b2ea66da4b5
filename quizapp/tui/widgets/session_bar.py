"""The top of the study screen: where the card lives, what is left, session progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar, Static

from quizapp.present.safe import visible_line

if TYPE_CHECKING:
    from quizapp.study.service import Counts


def counts_text(counts: Counts) -> Text:
    """``12 new · 3 learning · 5 due`` in Anki's colours (blue, red, green)."""
    text = Text()
    text.append(f"{counts.new} new", style="bold blue")
    text.append(" · ")
    text.append(f"{counts.learning} learning", style="bold red")
    text.append(" · ")
    text.append(f"{counts.due} due", style="bold green")
    return text


class SessionBar(Vertical):
    """Breadcrumb (deck › topic) and counts on one line, the progress bar under it."""

    DEFAULT_CSS = """
    SessionBar {
        height: 2;
        padding: 0 1;
    }
    SessionBar > Horizontal { height: 1; }
    SessionBar #breadcrumb { width: 1fr; text-style: bold; }
    SessionBar #counts { width: auto; }
    SessionBar ProgressBar { height: 1; width: 1fr; }
    SessionBar ProgressBar Bar { width: 1fr; }
    SessionBar #progress-text { width: auto; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(id="breadcrumb", markup=False)
            yield Static(id="counts", markup=False)
        with Horizontal():
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress")
            yield Static(id="progress-text", markup=False)

    def show(self, breadcrumb: str, counts: Counts, done: int, total: int) -> None:
        """Update every part: the breadcrumb is deck text, shown as plain text with
        its control characters made visible."""
        self.query_one("#breadcrumb", Static).update(Text(visible_line(breadcrumb)))
        self.query_one("#counts", Static).update(counts_text(counts))
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#progress-text", Static).update(Text(f"{done}/{total}"))
