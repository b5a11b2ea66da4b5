"""A screen that opens with a text box ready for typing, and keeps the keys typed while
it was being built.

A key is sent to the widget that has the focus when the app reads it. Press ``c`` and
type ``12`` right away, and the ``12`` is lost: read in the same burst as the ``c``, it
went to the screen being left, whose keys then meet the new screen's bindings at the
app; read a moment later, while the new screen is being built, it went to that screen
itself, as nothing on it has the focus yet. A :class:`BoxScreen` holds both kinds
(:meth:`BoxScreen.hold_key` for the first, from the app) and hands them, in the order
typed, to the box it opens on (:meth:`BoxScreen.take_keys`), before any key typed after.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.widget import Widget

from quizapp.tui.screens.base import QuizScreen


class BoxScreen(QuizScreen):
    """A screen whose box takes the keys typed while the screen was being built."""

    #: nothing takes the focus by itself: the box does, with the keys held meanwhile
    AUTO_FOCUS: ClassVar[str | None] = ""

    def __init__(self) -> None:
        super().__init__()
        #: keys sent to the screen before its box had the focus (None once it has)
        self._early_keys: list[events.Key] | None = []

    def _forward_event(self, event: events.Event) -> None:
        if (
            self._early_keys is not None
            and isinstance(event, events.Key)
            and not event.is_forwarded
        ):
            event._set_forwarded()
            self._early_keys.append(event)
            return
        super()._forward_event(event)

    def hold_key(self, event: events.Key) -> bool:
        """Hold a key that reached the app unused while this screen is being built
        (sent to the screen left behind, right behind the key that opened this one);
        False once the box has the focus (it takes such keys itself,
        :meth:`TypedInput.take_stray_key`)."""
        if self._early_keys is None:
            return False
        self._early_keys.append(events.Key(event.key, event.character))
        return True

    def take_keys(self, box: Widget) -> None:
        """Give ``box`` the focus now, and the keys typed before it had it. From here
        on the app sends keys to it, behind these."""
        self.set_focus(box)
        early, self._early_keys = self._early_keys, None
        for key in early or ():
            box._forward_event(key)
