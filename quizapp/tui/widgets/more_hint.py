"""Scrolling made visible: a bordered view that holds more than it shows says so on its
bottom border (``▼ 12 more lines · ↓ pgdn``), so nothing is hidden below the fold without
a word, whatever the terminal's size."""

from __future__ import annotations

from textual import events
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget


def more_text(widget: Widget) -> str:
    """What the bottom border of ``widget`` says about the lines out of view (empty
    when everything is shown)."""
    below = widget.max_scroll_y - round(widget.scroll_y)
    if below > 0:
        lines = "line" if below == 1 else "lines"
        return f"▼ {below} more {lines} · ↓ pgdn"
    if round(widget.scroll_y) > 0:
        return "▲ more above · ↑ pgup"
    return ""


def show_more(widget: Widget) -> None:
    """Put :func:`more_text` on ``widget``'s bottom border."""
    text = more_text(widget)
    if widget.border_subtitle != text:
        widget.border_subtitle = text


class MoreScroll(VerticalScroll):
    """A vertical scroll view that says on its bottom border how much is below."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling: the count of lines below changes."""
        super().watch_scroll_y(old_value, new_value)
        show_more(self)

    def watch_virtual_size(self, size: Size) -> None:
        """New content: so does the count."""
        self.call_after_refresh(show_more, self)

    def on_resize(self, event: events.Resize) -> None:
        """A new size: so does the count."""
        self.call_after_refresh(show_more, self)
