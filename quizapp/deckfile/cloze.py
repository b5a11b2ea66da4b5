"""Cloze markers ``{{cN::text}}`` / ``{{cN::text::hint}}`` (Anki's syntax).

Markers count in text and math, not in code: ``{{c1::x}}`` inside a code span, a code
block or raw HTML is content the card is about, not a gap to fill in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from quizapp.deckfile.inline_spans import code_and_math
from quizapp.deckfile.markdown import structure_parser

#: one cloze marker: group 1 = N (1–9999), group 2 = the hidden text, group 3 = the hint
CLOZE = re.compile(r"\{\{c(\d{1,4})::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
#: the start of a marker
_OPENING = re.compile(r"\{\{c(\d{1,4})::")
#: the cheap test run before anything else on every paragraph
MARKER = "{{c"


#: block tokens whose text may hold markers (the rest is code or raw HTML)
_CLOZE_BLOCKS = ("inline", "math_block", "math_block_label")


def mask_code_spans(text: str) -> str:
    """``text`` with every character of its code spans replaced by ``\\x00`` (offsets
    kept): a marker can neither start nor end inside code."""
    if "`" not in text:
        return text
    return _masked(text, code_and_math(text)[0])


def _masked(text: str, code: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in code:
        chars[start:end] = "\x00" * (end - start)
    return "".join(chars)


def cloze_numbers(text: str) -> list[int]:
    """The N of every cloze marker in ``text`` (plain text: no code to skip).

    A marker counts when a ``}}`` follows it somewhere; finding each one's own end with
    :data:`CLOZE` would take quadratic time on text full of unclosed markers.
    """
    last_close = text.rfind("}}")
    return [int(m.group(1)) for m in _OPENING.finditer(text, 0, max(last_close, 0))]


#: a marker's opening or a closing ``}}``, in order
_OPEN_OR_CLOSE = re.compile(r"\{\{c\d{1,4}::|\}\}")
#: the number :func:`cloze_marks` gives a marker opened inside another
NESTED = -1


def cloze_marks(text: str) -> list[int]:
    """:func:`cloze_numbers` of ``text`` (plain text: no code to skip), plus
    :data:`NESTED` when a marker opens inside another (``{{c1::a {{c2::b}} c}}``),
    which no card can show."""
    numbers = cloze_numbers(text)
    depth = 0
    for m in _OPEN_OR_CLOSE.finditer(text):
        if m.group() == "}}":
            depth = max(0, depth - 1)
        elif depth:
            return [*numbers, NESTED]
        else:
            depth = 1
    return numbers


def inline_cloze_numbers(content: str) -> list[int]:
    """The N of every cloze marker in one paragraph's markdown, code spans excluded
    (and :data:`NESTED` for a marker inside another, see :func:`cloze_marks`)."""
    return cloze_marks(mask_code_spans(content))


def _within(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test of whether an offset lies in one of ``spans`` (which may overlap), in
    logarithmic time: a paragraph may hold many thousands of formulas."""
    starts: list[int] = []
    ends: list[int] = []
    for left, right in sorted(spans):
        if starts and left <= ends[-1]:
            ends[-1] = max(ends[-1], right)
        else:
            starts.append(left)
            ends.append(right)

    def inside(offset: int) -> bool:
        at = bisect_right(starts, offset) - 1
        return at >= 0 and offset < ends[at]

    return inside


def replace_clozes(markdown: str, replacement: Callable[[int, str, str | None, bool], str]) -> str:
    """``markdown`` with every cloze marker the parser counts replaced by
    ``replacement(n, text, hint, math)``, ``math`` telling whether the marker sits in a
    formula (where markdown emphasis means nothing); markers in code stay as written.

    This is how a card's text is shown: the markers that made it a cloze card are the
    ones hidden or revealed, found by the same rules.
    """
    if MARKER not in markdown:
        return markdown
    lines = markdown.split("\n")
    ranges = sorted(
        {
            (tok.map[0], tok.map[1], tok.type == "inline")
            for tok in structure_parser(front_matter=False).parse(markdown)
            if tok.type in _CLOZE_BLOCKS and tok.map is not None and MARKER in tok.content
        },
        reverse=True,
    )
    for start, end, inline in ranges:
        chunk = "\n".join(lines[start:end])
        masked, in_math = chunk, _within([(0, len(chunk))])
        if inline:
            code, formulas = code_and_math(chunk)
            masked, in_math = _masked(chunk, code), _within(formulas)
        out: list[str] = []
        at = 0
        for m in CLOZE.finditer(masked):
            # Found on the masked text; what it holds is read from the real one.
            hint = chunk[m.start(3) : m.end(3)] if m.group(3) is not None else None
            math = in_math(m.start())
            out += [
                chunk[at : m.start()],
                replacement(int(m.group(1)), chunk[m.start(2) : m.end(2)], hint, math),
            ]
            at = m.end()
        out.append(chunk[at:])
        lines[start:end] = "".join(out).split("\n")
    return "\n".join(lines)


def cloze_context(front: str, back: str) -> str:
    """What a cloze card shows above its text: its front, unless the front is that very
    text with every gap as ``[…]`` (a ``C:`` block's card), which would only repeat it."""
    if front == replace_clozes(back, lambda *_: "[…]"):
        return ""
    return front
