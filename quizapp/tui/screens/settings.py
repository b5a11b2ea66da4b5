"""The settings screen: every setting of ``quizapp config``, each in its own box.

Enter saves the box's text through the setting's own rule (the same check as
``quizapp config set``); a value that is not allowed is said under the box, in the
rule's words, and the text stays to be fixed. ctrl+r brings the default back. Settings
are stored in the collection, so a change follows the user to every machine.

What is typed is never overwritten: a box is filled from the collection (when the
screen opens, after a save) only if nothing has been typed in it since the value was
asked for, and saves are written one at a time, each storing the newest value asked for,
so the last value entered is the one kept.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Static

from quizapp.present.safe import visible_line
from quizapp.store.settings import SETTINGS, Setting, SettingError, Settings
from quizapp.store.settings_db import load_settings, remove_setting, save_setting
from quizapp.tui.screens.box_screen import BoxScreen
from quizapp.tui.widgets.more_hint import MoreScroll
from quizapp.tui.widgets.typed_input import TypedInput


def _shown(setting: Setting, settings: Settings) -> str:
    return str(setting.show(getattr(settings, setting.attr)))


class SettingsScreen(BoxScreen):
    """Every setting, with what it does and the values it allows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "default", "Default", tooltip="settings: the default value again"),
        Binding("escape", "back", "Back", tooltip="back (changes are saved on Enter)"),
    ]

    class Loaded(Message):
        """The stored settings, read (or written) by a worker."""

        def __init__(
            self, settings: Settings, name: str | None = None, note: str = "", typed: int = 0
        ) -> None:
            super().__init__()
            self.settings = settings
            #: the setting just changed, if any, and what to say about it
            self.name = name
            self.note = note
            #: the changed box's count of keys when the change was asked for
            self.typed = typed

    class Refused(Message):
        """A value was not allowed; ``message`` says what is."""

        def __init__(self, name: str, message: str) -> None:
            super().__init__()
            self.name = name
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.settings: Settings | None = None
        #: per setting, the newest change asked for: the text to save (None: the
        #: default again) and the box's count of keys then
        self._asked: dict[str, tuple[str | None, int]] = {}
        self._writing = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                ("Settings", "bold"),
                ("  stored in the collection · Enter saves · ctrl+r default", "dim"),
            ),
            id="settings-title",
        )
        with MoreScroll(id="settings-form"):
            for setting in SETTINGS.values():
                with Vertical(classes="setting", id=f"row-{setting.name}"):
                    with Horizontal(classes="setting-line"):
                        yield Static(Text(setting.name, style="bold"), classes="setting-name")
                        yield TypedInput(
                            id=f"set-{setting.name}", compact=True, classes="setting-value"
                        )
                    yield Static(
                        Text(f"{setting.help}; {setting.allowed}", style="dim"),
                        classes="setting-help",
                    )
                    yield Static("", classes="setting-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Read the stored settings; the first box has the keyboard, with the keys
        typed while the screen was being built."""
        self.take_keys(self.query(Input).first())
        self._read()

    # -- workers ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def _read(self) -> None:
        self.post_message(self.Loaded(load_settings(self.quiz_app.db)))

    def _change(self, name: str, text: str | None, typed: int) -> None:
        """Save ``text`` as the setting ``name`` (None: its default again), asked for
        when its box had received ``typed`` keys."""
        self._asked[name] = (text, typed)
        self._write(name)

    @work(thread=True, group="settings-write", exit_on_error=False)
    def _write(self, name: str) -> None:
        # One write at a time, each of the newest value asked for: two quick saves
        # cannot finish in the wrong order and leave the older value stored.
        with self._writing:
            text, typed = self._asked[name]
            self._store(name, text, typed)

    def _store(self, name: str, text: str | None, typed: int) -> None:
        app = self.quiz_app
        try:
            if text is None:
                settings = remove_setting(app.db, name)
                note = "default again"
            else:
                settings = save_setting(app.db, name, text)
                note = "saved"
        except SettingError as exc:
            self.post_message(self.Refused(name, str(exc)))
            return
        # The study service reads its settings once: it reads them again now.
        app.service.reload_settings()
        self.post_message(self.Loaded(settings, name, note, typed))

    # -- showing ---------------------------------------------------------------------

    def on_settings_screen_loaded(self, message: Loaded) -> None:
        """Fill the boxes (only the changed one, after a change), each only if nothing
        was typed in it since the value was asked for: keys typed meanwhile stay."""
        self.settings = message.settings
        for setting in SETTINGS.values():
            if message.name is not None and setting.name != message.name:
                continue
            box = self._box(setting.name)
            if box.typed != message.typed:
                continue
            box.value = visible_line(_shown(setting, message.settings))
            if message.name is None and box.has_focus:
                # Filled after it took the focus: selected, as a box is when it takes
                # the focus, so typing replaces the value.
                box.select_all()
            self._error(setting.name, "")
        if message.name is not None:
            setting = SETTINGS[message.name]
            self.notify(
                f"{setting.name}: {_shown(setting, message.settings)} ({message.note})",
                markup=False,
                timeout=3,
            )

    def on_settings_screen_refused(self, message: Refused) -> None:
        """Say under the box why its value was not saved; its text stays."""
        self._error(message.name, message.message)

    def _box(self, name: str) -> TypedInput:
        return self.query_one(f"#set-{name}", TypedInput)

    def _error(self, name: str, text: str) -> None:
        error = self.query_one(f"#row-{name} .setting-error", Static)
        error.update(Text(visible_line(text), style="bold red"))
        error.display = bool(text)

    # -- actions ---------------------------------------------------------------------

    @on(TypedInput.Submitted, ".setting-value")
    def _submitted(self, event: TypedInput.Submitted) -> None:
        event.stop()
        name = _name_of(event.input)
        if name is not None:
            self._change(name, event.value, event.typed)

    def action_default(self) -> None:
        """Forget the focused setting's stored value: its default applies again."""
        focused = self.focused
        name = _name_of(focused) if focused is not None else None
        if name is not None:
            self._change(name, None, self._box(name).typed)

    def action_back(self) -> None:
        """Back to the previous screen (what was saved is saved)."""
        self.dismiss()


def _name_of(widget: Any) -> str | None:
    """The setting a value box edits (None for any other widget)."""
    wid = getattr(widget, "id", None) or ""
    return wid.removeprefix("set-") if wid.startswith("set-") else None
