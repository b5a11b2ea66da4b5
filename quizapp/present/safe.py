"""The one function every terminal writer passes deck-derived text through.

Deck files come from strangers, and so do their file names. Text from them reaches the
terminal in line mode, tables, lint output, reports and the TUI. A control character
there (OSC 52 writes the clipboard, OSC 0/2 the window title, ``ESC[2J`` clears the
screen) would let a deck drive the terminal, so every such character is made visible
instead: C0 controls become their Unicode "control picture" (``ESC`` → ``␛``), DEL
becomes ``␡``, and C1 controls become ``<U+009B>``-style text. Newline and tab stay.
JSON output keeps its data exact instead: :func:`visible_json` writes the controls
that ``json.dumps`` leaves raw as ``\\u`` escapes.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# json.dumps escapes U+0000–U+001F itself; with ensure_ascii=False these stay raw.
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """``text`` with every control character except newline and tab made visible."""
    return _CONTROL.sub(_show, text)


def visible_line(text: str) -> str:
    """Like :func:`visible`, for one-line places (titles, table cells): newlines too."""
    return visible(text).replace("\n", "\u2424").replace("\t", " ")


def visible_json(document: str) -> str:
    """A JSON document as ``json.dumps(..., ensure_ascii=False)`` writes it, with DEL
    and the C1 controls written as ``\\u`` escapes: the same data, nothing a terminal
    acts on. (Outside strings JSON holds only ASCII punctuation, so this never changes
    the document's structure.)"""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
