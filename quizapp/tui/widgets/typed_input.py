"""A text box whose keys act in the order they were typed, and which knows whether it
has been typed in.

Textual's ``Input`` puts a printable key in at once, but its editing keys (backspace,
ctrl+u, the arrows, enter) are bindings, run only when the key has bubbled up to the
app. In a fast burst (a paste by ``tmux send-keys``, a quick typist, a loaded machine)
the characters after such a key land first: backspace twice and ``1234`` gives ``12``.
:class:`TypedInput` runs its own bindings as the key arrives, so every key acts where it
was typed.
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

    async def _on_key(self, event: events.Key) -> None:
        self.typed += 1
        if event.is_printable:
            return  # Input puts the character in, now
        # The box's own bindings, here and now: the app would run the same ones (the
        # focused widget comes first among non-priority bindings), only later.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return

    def _on_paste(self, event: events.Paste) -> None:
        self.typed += 1

    async def action_submit(self) -> None:
        """Enter: the value, and the count of keys it was typed with."""
        result = self.validate(self.value) if "submitted" in self.validate_on else None
        self.post_message(self.Submitted(self, self.value, result, self.typed))
