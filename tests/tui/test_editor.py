"""The command that opens a card's deck file at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.tui.editor import NoEditorError, configured_editor, editor_command

DECK = Path("/decks/rnn.md")


@pytest.mark.parametrize(
    ("editor", "argv"),
    [
        ("vim", ["vim", "+42", "/decks/rnn.md"]),
        ("/usr/bin/nvim", ["/usr/bin/nvim", "+42", "/decks/rnn.md"]),
        ("nano", ["nano", "+42", "/decks/rnn.md"]),
        ("emacs -nw", ["emacs", "-nw", "+42", "/decks/rnn.md"]),
        ("micro", ["micro", "+42", "/decks/rnn.md"]),
        ("code", ["code", "--wait", "--goto", "/decks/rnn.md:42"]),
        ("code -w", ["code", "-w", "--wait", "--goto", "/decks/rnn.md:42"]),
        ("hx", ["hx", "/decks/rnn.md:42"]),
        ("gedit", ["gedit", "/decks/rnn.md"]),
    ],
)
def test_editor_command(editor: str, argv: list[str]) -> None:
    assert editor_command(editor, DECK, 42) == argv


def test_visual_wins_over_editor_and_none_is_an_error() -> None:
    assert configured_editor({"VISUAL": "code", "EDITOR": "vi"}) == "code"
    assert configured_editor({"EDITOR": "vi"}) == "vi"
    with pytest.raises(NoEditorError, match=r"\$EDITOR"):
        configured_editor({"EDITOR": "  "})
