"""Where a paragraph's code spans and ``$…$`` formulas are, as markdown-it finds them.

Cloze markers count in math and not in code (:mod:`quizapp.deckfile.cloze`), so every
paragraph that holds one needs the offsets of its code spans and formulas. markdown-it's
inline parse gives them, but it makes a token of every escape and every dollar: a
paragraph made of little else (``\\\\$`` a hundred thousand times over) takes several
times as long as prose of the same size. :func:`code_and_math` scans such text directly,
with markdown-it's own rules for the three things that decide the answer — a backslash
escapes the next character, a backtick run opens a code span closed by the next run of
the same length, a ``$`` opens a formula by dollarmath's rule — and keeps markdown-it
for text where more rules take part (see :func:`scannable`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from quizapp.deckfile.markdown import configured

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

#: ``(start, end)`` offsets of each code span, or of each formula
Spans = list[tuple[int, int]]

#: where :func:`_recording_parser` records the backtick runs it reads, in its ``env``
_CODE = "quizapp_code_spans"
#: where it records the ``$…$`` and ``$$…$$`` math it finds
_MATH = "quizapp_math_spans"

#: text no rule of interest starts in: anything but a backslash, backtick or dollar,
#: and backslash escapes (a backslash and the character after it, whatever it is)
_PLAIN = re.compile(r"[^\\`$]*(?:\\[\s\S][^\\`$]*)*")
_RUN = re.compile(r"`+")


def code_and_math(text: str) -> tuple[Spans, Spans]:
    """The backtick runs (code spans, and runs that close nothing) and the formulas of
    one paragraph's markdown, as offsets into ``text``: markdown-it's answer."""
    if scannable(text):
        return scanned_code_and_math(text)
    return parsed_code_and_math(text)


def parsed_code_and_math(text: str) -> tuple[Spans, Spans]:
    """:func:`code_and_math` by markdown-it's inline parse of the whole paragraph."""
    env: dict[str, Spans] = {}
    _recording_parser().parseInline(text, env)
    return env.get(_CODE, []), env.get(_MATH, [])


def scannable(text: str) -> bool:
    """Whether only escapes, backticks and dollars decide where code and math are.

    Otherwise markdown-it's parse is kept: a link or an image (``](``) reads its label
    with its own limits and its address as no code or math; raw HTML and autolinks
    (``<``) hide what they hold; attributes after a code span (`` `{ ``) hide their
    quoted values; and a carriage return is dropped before offsets are counted.
    Emphasis, strikethrough, entities and line breaks never take in a backslash, a
    backtick or a dollar, so they cannot change the answer.
    """
    return "](" not in text and "<" not in text and "`{" not in text and "\r" not in text


def scanned_code_and_math(text: str) -> tuple[Spans, Spans]:
    """:func:`code_and_math` by one pass over ``text``, in time linear in its length;
    markdown-it's answer where :func:`scannable` holds."""
    from markdown_it.common.utils import isWhiteSpace

    def blank(char: str) -> bool:
        return isWhiteSpace(ord(char))

    code: Spans = []
    math: Spans = []
    last_runs: dict[int, int] | None = None
    n = len(text)
    pos = 0
    while True:
        pos = _PLAIN.match(text, pos).end()  # type: ignore[union-attr]  # always matches
        if pos >= n:
            break
        char = text[pos]
        if char == "\\":  # the last character: nothing to escape
            break
        if char == "$":
            end = _formula_end(text, pos, blank)
            if end < 0:
                pos += 1
            else:
                math.append((pos, end))
                pos = end
            continue
        opener = _RUN.match(text, pos).end()  # type: ignore[union-attr]  # text[pos] is "`"
        length = opener - pos
        end = opener
        if last_runs is None:
            last_runs = {len(run.group()): run.start() for run in _RUN.finditer(text)}
        if last_runs.get(length, -1) >= opener:
            end = next(
                r.end() for r in _RUN.finditer(text, opener) if r.end() - r.start() == length
            )
        code.append((pos, end))
        pos = end
    return code, math


def _formula_end(text: str, start: int, blank: Callable[[str], bool]) -> int:
    """Where the formula opened by the ``$`` at ``start`` ends, or -1 when that dollar
    opens none: dollarmath's inline rule as the deck format configures it (no space
    inside the dollars, ``$$…$$`` allowed inline)."""
    n = len(text)
    if start + 1 >= n or blank(text[start + 1]) or _escaped(text, start):
        return -1
    double = text[start + 1] == "$"
    pos = start + 2 if double else start + 1
    while True:
        end = text.find("$", pos)
        if end < 0:
            return -1
        if _escaped(text, end):
            pos = end + 1
            continue
        if double:
            if end + 1 >= n:
                return -1
            if text[end + 1] != "$":
                pos = end + 1
                continue
            end += 1
        break
    if blank(text[end - 1]):
        return -1
    empty = end - 1 <= start + 2 if double else end <= start + 1
    return -1 if empty else end + 1


def _escaped(text: str, pos: int) -> bool:
    """dollarmath's test of a dollar: an odd number of backslashes before it, counted
    backwards; a run reaching the start of the text also counts a backslash that ends
    the text, as dollarmath reads one character before the start."""
    before = pos - 1
    while before >= 0 and text[before] == "\\":
        before -= 1
    count = pos - 1 - before
    if before < 0 and text[-1] == "\\":
        count += 1
    return count % 2 == 1


@cache
def _recording_parser() -> MarkdownIt:
    """The deck format's inline rules, with markdown-it's own code-span rule and the
    math rule recording where each backtick run and formula starts and ends."""
    from markdown_it.rules_inline import backtick

    md = configured()

    def recording(rule: Callable[[StateInline, bool], bool], key: str) -> Callable[..., bool]:
        def record(state: StateInline, silent: bool) -> bool:
            start = state.pos
            if not rule(state, silent):
                return False
            if not silent:
                state.env.setdefault(key, []).append((start, state.pos))
            return True

        return record

    math = next(r.fn for r in md.inline.ruler.__rules__ if r.name == "math_inline")
    md.inline.ruler.at("backticks", recording(backtick, _CODE))
    md.inline.ruler.at("math_inline", recording(math, _MATH))
    return md
