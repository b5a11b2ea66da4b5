"""Every key of the app, on one page (``?``)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: (section, [(keys, what they do)]) — what the help page lists, screen by screen
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("ctrl+q", "quit"),
            ("? / f1", "this help"),
            ("ctrl+p", "command palette (themes, screenshots)"),
        ),
    ),
    (
        "Home",
        (
            ("s", "start studying every deck"),
            ("enter", "study the selected deck or topic"),
            ("space / → / ←", "open or close a deck or topic"),
            ("b", "browse and search all cards"),
            ("t", "statistics"),
            ("i", "mock interview"),
            ("r", "re-read the deck files"),
            ("q", "quit"),
        ),
    ),
    (
        "Study",
        (
            ("space / enter", "show the answer"),
            ("1 2 3 4", "rate: again, hard, good, easy (interval shown under each)"),
            ("space / enter", "after the answer: rate good (or take the suggested rating)"),
            ("u", "undo the last rating (ctrl+z while typing an answer)"),
            ("s", "skip: bury the card until tomorrow"),
            ("e", "edit the card in $EDITOR, at its line"),
            ("esc / q", "back to the home screen"),
        ),
    ),
    (
        "Computational cards",
        (
            ("type + enter", "grade your answer (a number or an expression like 3*(4+5))"),
            ("enter / space", "take the suggested rating"),
            ("1 2 3 4", "choose another rating"),
            ("tab", "leave the answer box (then u, s, e work)"),
        ),
    ),
    (
        "Browse",
        (
            ("/", "search the text of the cards"),
            ("enter", "show a card with its review history"),
            ("e", "edit the selected card in $EDITOR"),
            ("esc", "back"),
        ),
    ),
)


def keys_table() -> Table:
    """The key reference as a Rich table (plain text cells, no markup)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in KEYS:
        table.add_row(Text(section, style="bold underline"), Text(""))
        for keys, what in rows:
            table.add_row(Text(keys, style="bold cyan"), Text(what))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(ModalScreen[None]):
    """All the keys; any of esc, q, ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(keys_table(), id="help-keys")
