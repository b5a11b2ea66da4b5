"""How much of a card a terminal is shown: a bound on lines and on the whole text.

A deck can hold a table of 20,000 columns or a megabyte answer. Shown whole in line
mode, such a card costs seconds and hundreds of megabytes (every formula in it is
converted) and scrolls away anything useful. So a line is cut at
:data:`MAX_LINE_CHARS` and a text at :data:`MAX_SHOWN_CHARS`, each cut saying so, before
the text is converted for the terminal. No real card comes near either bound.
"""

from __future__ import annotations

#: the longest line shown
MAX_LINE_CHARS = 2_000
#: the most characters of one card's question or answer shown
MAX_SHOWN_CHARS = 20_000


def bounded(text: str) -> str:
    """``text`` cut to the bounds above; every cut says so."""
    if len(text) <= MAX_LINE_CHARS:
        return text
    out = []
    for line in text[:MAX_SHOWN_CHARS].split("\n"):
        if len(line) > MAX_LINE_CHARS:
            out.append(line[:MAX_LINE_CHARS] + f" … [line cut at {MAX_LINE_CHARS:,} characters]")
        else:
            out.append(line)
    if len(text) > MAX_SHOWN_CHARS:
        out.append(
            f"… [cut: the first {MAX_SHOWN_CHARS:,} of {len(text):,} characters shown; "
            "the rest is in the deck file]"
        )
    return "\n".join(out)
