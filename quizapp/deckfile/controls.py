"""Control characters in deck text: removed where the text enters the parser.

A deck comes from a stranger. A C0 or C1 control character in it (``ESC`` starts the
sequences that write the clipboard, retitle the window or clear the screen) has no
place in a question or an answer, so the parser removes every one of them except
newline and tab: from the decoded file (:mod:`quizapp.deckfile.decode`), from the
strings YAML escapes produce (``"\\e"``, ``"\\x9b"``; :mod:`quizapp.deckfile.yamlblock`)
and from deck names made of file and folder names (:func:`clean_name`). Nothing the
parser hands on holds one, and ``lint`` says where each was removed.
"""

from __future__ import annotations

import re
import unicodedata

from quizapp.deckfile.types import Diagnostic

#: C0 controls but newline and tab, DEL, and the C1 controls
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_NAMES = {
    0x1B: "ESC",
    0x07: "BEL",
    0x08: "BS",
    0x0B: "VT",
    0x0C: "FF",
    0x0D: "CR",
    0x7F: "DEL",
    0x9B: "CSI",
    0x9D: "OSC",
    0x90: "DCS",
}


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control character the parser removes."""
    return CONTROL.search(text) is not None


def remove_controls(text: str) -> str:
    """``text`` without its control characters (newline and tab are kept)."""
    return CONTROL.sub("", text)


def describe(found: str) -> str:
    """The control characters of ``found``, the first few named:
    ``control characters U+001B (ESC), U+0007 (BEL)``."""
    names: list[str] = []
    for ch in dict.fromkeys(CONTROL.findall(found)):
        code = ord(ch)
        name = _NAMES.get(code) or unicodedata.name(ch, "")
        names.append(f"U+{code:04X}" + (f" ({name})" if name else ""))
    listed = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    return f"{'control character' if len(names) == 1 else 'control characters'} {listed}"


def removed_message(found: str) -> str:
    """The warning for text whose control characters were removed."""
    return f"{describe(found)} removed (a deck cannot send control sequences to the terminal)"


def clean_name(name: str) -> str:
    """A deck name (from front matter, a heading, a file or folder name) without
    control characters; newlines and tabs become spaces."""
    if has_controls(name) or "\n" in name or "\t" in name:
        return " ".join(remove_controls(name).split())
    return name


def clean_deck_path(
    stem: str, prefix: tuple[str, ...], source: str
) -> tuple[str, tuple[str, ...], Diagnostic | None]:
    """The file stem and folder names a deck is named after, cleaned (:func:`clean_name`),
    with a warning when that changed them."""
    named = (stem, *prefix)
    if all(clean_name(part) == part for part in named):
        return stem, prefix, None
    what = describe("".join(named)) if any(map(has_controls, named)) else "line breaks"
    warning = Diagnostic(
        source,
        1,
        "warning",
        f"the file or folder name holds {what}; they are left out of the deck name",
    )
    return clean_name(stem) or "deck", tuple(map(clean_name, prefix)), warning
