"""The key footer of a screen that can be the app's first, and the sign that the screen
is on the terminal.

Textual's ``Footer`` builds a widget per key and styles each one; on the first frame of
a launch that is as much work as the card itself. A screen the app opens on therefore
puts a :class:`FooterSlot` where the footer goes — the footer's bar, empty, so nothing
moves when the keys arrive — and the slot adds the footer once the frame holding it has
been drawn. Opened later (the app already running), the slot holds the footer from the
start.

The slot also says when that first frame is drawn (:class:`FooterSlot.Drawn`): the
moment to start the work that would otherwise compete with it (opening the database
stack in a worker thread).
"""

from __future__ import annotations

from textual.app import ComposeResult, RenderResult
from textual.message import Message
from textual.widget import Widget


class FooterSlot(Widget):
    """Where a screen's :class:`~textual.widgets.Footer` goes."""

    DEFAULT_CSS = """
    FooterSlot {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    """

    class Drawn(Message):
        """The first frame showing the slot (so its screen) has been drawn."""

    def __init__(self, *, now: bool) -> None:
        """``now``: hold the footer from the start (else it comes after the first
        frame)."""
        super().__init__()
        self._footer = now
        self._drawn = False

    def compose(self) -> ComposeResult:
        if self._footer:
            from textual.widgets import Footer

            yield Footer()

    def render(self) -> RenderResult:
        # Rendered while the screen's frame is composed; the callback runs once that
        # frame is written out.
        if not self._drawn:
            self._drawn = True
            self.call_later(self._first_frame_drawn)
        return ""

    async def _first_frame_drawn(self) -> None:
        self.post_message(self.Drawn())
        if not self._footer:
            from textual.widgets import Footer

            self._footer = True
            await self.mount(Footer())
            # A footer lists the keys when told they changed; they did not since the
            # screen was drawn.
            self.refresh_bindings()
