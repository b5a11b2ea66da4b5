"""Cloze markers ``{{cN::text}}`` / ``{{cN::text::hint}}`` (Anki's syntax).

Markers count in text and math, not in code: ``{{c1::x}}`` inside a code span, a code
block or raw HTML is content the card is about, not a gap to fill in.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from quizapp.deckfile.markdown import configured

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: one cloze marker: group 1 = N (1–9999), group 2 = the hidden text, group 3 = the hint
CLOZE = re.compile(r"\{\{c(\d{1,4})::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
#: the start of a marker
_OPENING = re.compile(r"\{\{c(\d{1,4})::")
#: the cheap test run before anything else on every paragraph
MARKER = "{{c"


@cache
def _inline_parser() -> MarkdownIt:
    # Without text_join an escaped brace stays a token of its own, so \{\{c1::x}} is
    # not mistaken for a marker.
    return configured().disable("text_join")


def cloze_numbers(text: str) -> list[int]:
    """The N of every cloze marker in ``text`` (plain text: no code to skip).

    A marker counts when a ``}}`` follows it somewhere; finding each one's own end with
    :data:`CLOZE` would take quadratic time on text full of unclosed markers.
    """
    last_close = text.rfind("}}")
    return [int(m.group(1)) for m in _OPENING.finditer(text, 0, max(last_close, 0))]


def inline_cloze_numbers(content: str) -> list[int]:
    """The N of every cloze marker in one paragraph's markdown, code spans excluded."""
    if "`" not in content:
        return cloze_numbers(content)
    tokens = _inline_parser().parseInline(content)
    children = (tokens[0].children or []) if tokens else []
    # Code spans become a character that cannot be part of a marker, so a marker that
    # straddles a code span does not count either; escapes keep their backslash, as in
    # the plain-text path.
    text = "".join(
        "\x00" if t.type == "code_inline" else t.markup if t.type == "text_special" else t.content
        for t in children
    )
    return cloze_numbers(text)
