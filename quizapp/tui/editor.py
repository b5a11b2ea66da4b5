"""Opening a card's deck file in the user's editor, at the card's line."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode

# Editors that take ``+LINE FILE``.
_PLUS_LINE = {
    "vi",
    "vim",
    "nvim",
    "gvim",
    "mvim",
    "view",
    "nano",
    "pico",
    "emacs",
    "emacsclient",
    "micro",
    "kak",
    "joe",
    "jed",
    "ne",
    "mg",
}
# Editors that take ``FILE:LINE`` (after a flag), and wait for the file to be closed.
_FILE_COLON_LINE = {
    "code": ["--wait", "--goto"],
    "code-insiders": ["--wait", "--goto"],
    "codium": ["--wait", "--goto"],
    "cursor": ["--wait", "--goto"],
    "subl": ["--wait"],
    "hx": [],
    "helix": [],
    "zed": ["--wait"],
}


class NoEditorError(LookupError):
    """Neither ``$VISUAL`` nor ``$EDITOR`` is set."""


def configured_editor(env: Mapping[str, str] | None = None) -> str:
    """The editor command line from ``$VISUAL``, else ``$EDITOR``."""
    env = os.environ if env is None else env
    editor = (env.get("VISUAL") or env.get("EDITOR") or "").strip()
    if not editor:
        raise NoEditorError("set $EDITOR (for example `export EDITOR=vim`) to edit cards")
    return editor


def editor_command(editor: str, path: Path | str, line: int) -> list[str]:
    """The argv that opens ``path`` at ``line`` with ``editor`` (a shell-style command).

    ``vim +12 deck.md`` for the editors that understand ``+LINE``,
    ``code --wait --goto deck.md:12`` for VS Code and its kin, and just the file for
    editors whose line syntax is unknown.
    """
    argv = shlex.split(editor)
    if not argv:
        raise NoEditorError("the editor command is empty")
    name = Path(argv[0]).name.removesuffix(".exe")
    target = str(path)
    line = max(1, line)
    if name in _PLUS_LINE:
        return [*argv, f"+{line}", target]
    if name in _FILE_COLON_LINE:
        flags = [f for f in _FILE_COLON_LINE[name] if f not in argv]
        return [*argv, *flags, f"{target}:{line}"]
    return [*argv, target]


#: bundled deck files the user was told about, and may now edit (one warning each)
_WARNED: set[Path] = set()

#: what the user reads before editing the bundled deck
BUNDLED_WARNING = (
    "This card is in the deck that comes with quizapp: the next upgrade overwrites this "
    "file, and your edits with it. Run `quizapp deck init ~/quizapp-deck` for a copy you "
    "own (the cards keep their history), then edit there. Press e again to edit anyway."
)


def in_bundled_deck(path: Path | str) -> bool:
    """Whether ``path`` is a file of the deck that ships with quizapp."""
    from quizapp.locations import bundled_deck

    return bundled_deck().resolve() in Path(path).resolve().parents


def edit_in_terminal(node: DOMNode, path: Path | str, line: int) -> bool:
    """Open ``path`` at ``line`` in the user's editor, with the app suspended.

    Returns whether the editor ran; when it cannot (no ``$EDITOR``, a terminal that
    cannot hand over, an editor that does not start) the user gets a notification. A
    file of the bundled deck is opened only on a second try: the first says that an
    upgrade overwrites it and offers ``quizapp deck init``.
    """
    from textual.app import SuspendNotSupported

    app = node.app
    resolved = Path(path).resolve()
    if in_bundled_deck(resolved) and resolved not in _WARNED:
        _WARNED.add(resolved)
        app.notify(
            BUNDLED_WARNING, title="The bundled deck", severity="warning", markup=False, timeout=12
        )
        return False
    try:
        argv = editor_command(configured_editor(), path, line)
    except NoEditorError as exc:
        app.notify(str(exc), title="No editor", severity="warning", markup=False)
        return False
    try:
        with app.suspend():
            subprocess.run(argv, check=False)
    except SuspendNotSupported:
        app.notify("This terminal cannot hand over to an editor.", severity="warning", markup=False)
        return False
    except OSError as exc:
        app.notify(f"cannot run {argv[0]}: {exc.strerror}", severity="error", markup=False)
        return False
    return True
