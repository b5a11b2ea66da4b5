"""Every key of the app, on one page (``?``), read from the key bindings themselves.

Each binding says what it does in its ``tooltip`` (or, failing that, its footer
``description``); this page lists the bindings of the app and of each screen, so it
cannot promise a key that does nothing. The app says which screens to list
(:meth:`~quizapp.tui.app.QuizApp.help_sections`); the screen the page was opened from
comes first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from quizapp.tui.widgets.more_hint import MoreScroll


@dataclass(frozen=True)
class HelpSection:
    """A heading and the classes (app, screen, widgets) whose keys it lists."""

    title: str
    owners: tuple[type[DOMNode], ...]


def declared_bindings(owner: type[DOMNode]) -> Iterator[list[Binding]]:
    """The bindings ``owner`` and its base classes in this app declare, base classes
    first, each as the list of its keys (``"space,enter"`` is two); Textual's own, such
    as tab between widgets, are its documentation's to list."""
    for cls in reversed(owner.__mro__):
        if not cls.__module__.startswith("quizapp."):
            continue
        declared: list[BindingType] = list(cls.__dict__.get("BINDINGS", ()))
        for entry in declared:
            yield list(Binding.make_bindings([entry]))


def key_rows(
    owners: Sequence[type[DOMNode]], key_display: Callable[[str], str]
) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding of ``owners``; bindings in a row with the
    same meaning (``1`` … ``4``: rate) share one line."""
    rows: list[tuple[str, str]] = []
    last_action = ""
    for owner in owners:
        for keys in declared_bindings(owner):
            binding = keys[0]
            what = binding.tooltip or binding.description
            if not what or binding.system:
                continue
            shown = " / ".join(key_display(k.key) for k in keys)
            action = binding.action.split("(", 1)[0]
            if rows and rows[-1][1] == what and action == last_action:
                rows[-1] = (f"{rows[-1][0]} {shown}", what)
            else:
                rows.append((shown, what))
            last_action = action
    return rows


def keys_table(sections: Sequence[HelpSection], key_display: Callable[[str], str]) -> Table:
    """The key reference as a Rich table (plain text cells, no markup)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section in sections:
        rows = key_rows(section.owners, key_display)
        if not rows:
            continue
        table.add_row(Text(section.title, style="bold underline"), Text(""))
        for keys, what in rows:
            table.add_row(Text(keys, style="bold cyan"), Text(what))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(ModalScreen[None]):
    """All the keys; any of esc, q, ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections = tuple(sections)

    def compose(self) -> ComposeResult:
        with MoreScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(id="help-keys")

    def on_mount(self) -> None:
        """Fill the table (key names as this terminal's app shows them)."""
        self.query_one("#help-keys", Static).update(
            keys_table(self.sections, lambda key: self.app.get_key_display(Binding(key, "")))
        )
