"""A text box whose keys act in the order they were typed, and which knows whether it
has been typed in.

Textual's ``Input`` puts a printable key in at once, but every other key (backspace,
ctrl+u, the arrows, enter, tab to the next box) acts through a binding, run only when
the key has bubbled up to the app. In a fast burst (a paste by ``tmux send-keys``, a
quick typist, a loaded machine) the characters after such a key land first: backspace
twice and ``1234`` gives ``12``, and the characters after a tab land in the box left
behind. :class:`TypedInput` runs the bindings as the key arrives, and hands a key that
reaches it after the focus moved on to the widget that has the focus now, so every key
acts where it was typed.

The app's text boxes are all of this kind: the answer box of computational cards
(study and interview), where what is graded and recorded must be what was typed, the
browse search, the interview's choices and the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.widgets import Input


class TypedInput(Input):
    """An ``Input`` that edits in the order of the keys, and counts what reached it."""

    @dataclass
    class Submitted(Input.Submitted):
        """Enter was pressed; ``typed`` is the box's count of keys at that moment (the
        keys after it may be in the box by the time this is handled)."""

        typed: int = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        #: keys and pastes this box has received: a screen filling the box from a
        #: worker compares it to the count when it asked, not to lose what was typed
        self.typed = 0
        #: when the box last took the focus, on the clock keys are stamped with
        #: (infinite while it does not have it, or has not yet heard that it does)
        self._focused_at = float("inf")

    def _on_focus(self, event: events.Focus) -> None:
        self._focused_at = event.time

    def _on_blur(self, event: events.Blur) -> None:
        self._focused_at = float("inf")

    def take_stray_key(self, event: events.Key) -> bool:
        """Take a key that came up unused to the app while this box has the focus, if
        it was typed before the box took it: sent to the widget that had the focus
        then (``/`` and the search typed right behind it), it was typed for this box.
        False for any other key."""
        if event.time >= self._focused_at:
            return False
        self._forward_event(events.Key(event.key, event.character))
        return True

    async def _on_key(self, event: events.Key) -> None:
        self.typed += 1
        focused = self.screen.focused
        if focused is not None and focused is not self:
            # Sent here before a tab or an Enter moved the focus on: it was typed for
            # the widget that has it now (the next box, the list of what a search
            # found), behind the keys already sent there.
            focused._forward_event(events.Key(event.key, event.character))
            event.stop()
            event.prevent_default()
        elif not event.is_printable and await self.app._check_bindings(event.key):
            # The bindings the app would run for this key (the box's own first, then
            # the screen's and the app's), here and now rather than after the keys
            # typed behind it.
            event.stop()
            event.prevent_default()
        # else a character: Input puts it in, now

    def _on_paste(self, event: events.Paste) -> None:
        self.typed += 1

    async def action_submit(self) -> None:
        """Enter: the value, and the count of keys it was typed with."""
        result = self.validate(self.value) if "submitted" in self.validate_on else None
        self.post_message(self.Submitted(self, self.value, result, self.typed))
