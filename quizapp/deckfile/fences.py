"""Tokenizing a deck file, with unclosed code fences repaired.

An unclosed fence swallows the rest of the file. So that the cards after it still
load, it is closed where it most likely should have been: at a line of the same fence
character that is too short to close it (```` opened, ``` written), or else just before
the next heading no deeper than the one the fence sits under (level-1 headings are
passed over unless the fence sits under one: a ``# comment`` in code is far likelier
than a second deck title). Only the text after the repair is parsed again, and repairs
stop once they would cost more than a few parses of the whole file.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quizapp.deckfile.markdown import structure_parser
from quizapp.deckfile.types import Severity

if TYPE_CHECKING:
    from markdown_it.token import Token

#: repairing unclosed fences may re-parse at most this many times the file's length
REPAIR_BUDGET = 4

#: ``report(index, severity, message)`` with a 0-based index into the repaired lines
Report = Callable[[int, Severity, str], None]


def fence_closed(tok: Token, lines: Sequence[str]) -> bool:
    """Whether a fence token ends with a closing marker (markdown-it does not say)."""
    assert tok.map is not None
    start, end = tok.map
    if end - 1 <= start or end > len(lines):
        return False
    # A fence inside a list item or block quote carries their indentation and ">".
    last = lines[end - 1].lstrip(" \t>").rstrip()
    return len(last) >= len(tok.markup) and last == tok.markup[0] * len(last)


def _shifted(tokens: list[Token], offset: int) -> list[Token]:
    """``tokens`` with their line maps moved down by ``offset`` lines."""
    for tok in tokens:
        if tok.map is not None:
            tok.map = [tok.map[0] + offset, tok.map[1] + offset]
    return tokens


def _short_closer(lines: Sequence[str], start: int, markup: str) -> int | None:
    """First line from ``start`` that would close a fence opened with ``markup`` if only
    it were long enough: 3 or more of the same character, fewer than ``markup`` has."""
    if len(markup) <= 3:
        return None
    char = markup[0]
    for index in range(start, len(lines)):
        text = lines[index]
        stripped = text.strip()
        if (
            3 <= len(stripped) < len(markup)
            and stripped == char * len(stripped)
            and len(text) - len(text.lstrip(" ")) <= 3
        ):
            return index
    return None


def _first_heading(tokens: Sequence[Token], under: int) -> int | None:
    """Index of the first top-level heading in ``tokens`` that an unclosed fence under a
    level-``under`` heading (0: none) is taken to end before."""
    for index, tok in enumerate(tokens):
        if tok.type != "heading_open" or tok.level != 0 or tok.map is None:
            continue
        level = int(tok.tag[1:])
        if (level > 1 or under == 1) and (under == 0 or level <= under):
            return index
    return None


class FenceRepair:
    """Tokens of ``text`` after repairing its unclosed top-level code fences.

    ``lines`` becomes the repaired text's lines and ``inserted`` the (0-based) positions
    of the closing lines added; both are the caller's, updated in place. ``report`` gets
    0-based indices into the repaired lines; ``line`` maps such an index to a file line.
    """

    def __init__(
        self, lines: list[str], inserted: list[int], report: Report, line: Callable[[int], int]
    ) -> None:
        self.lines = lines
        self.inserted = inserted
        self.report = report
        self.line = line

    def tokenize(self, text: str) -> list[Token]:
        md = structure_parser()
        tokens = md.parse(text)
        budget = REPAIR_BUDGET * len(self.lines)
        level = 0
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            i += 1
            if tok.level != 0 or tok.map is None:
                continue
            if tok.type == "heading_open":
                level = int(tok.tag[1:])
                continue
            if tok.type != "fence" or fence_closed(tok, self.lines):
                continue
            start = tok.map[0] + 1
            budget -= len(self.lines) - start
            if budget < 0:
                break
            tail = self.repair(tok, level)
            if tail is None:
                break
            tokens[i:] = tail
        for tok in tokens:
            if tok.type == "fence" and not fence_closed(tok, self.lines):
                assert tok.map is not None
                self.report(
                    tok.map[0], "error", f"code fence {tok.markup}{tok.info} is never closed"
                )
        return tokens

    def repair(self, fence: Token, level: int) -> list[Token] | None:
        """Close the unclosed top-level ``fence`` (under a level-``level`` heading) and
        return the tokens of the text after it, or None when there is no good place."""
        assert fence.map is not None
        md = structure_parser(front_matter=False)
        opened = fence.map[0]
        start = opened + 1
        short = _short_closer(self.lines, start, fence.markup)
        end = len(self.lines) if short is None else short
        tail = md.parse("\n".join(self.lines[start:end]))
        k = _first_heading(tail, level)
        what = f"code fence {fence.markup}{fence.info} is never closed"
        if k is not None:
            # A closing line is added just before the heading.
            closer = start + tail[k].map[0]  # type: ignore[index]
            self.report(
                opened,
                "error",
                f"{what}; it is taken to end before the heading on line {self.line(closer)}",
            )
            self.lines.insert(closer, fence.markup)
            self.inserted.insert(bisect_left(self.inserted, closer), closer)
            if short is None:
                # Parsed from a top-level heading on, the tail is what a parse of the
                # repaired file gives there, one line further down.
                after = _shifted(tail[k:], start + 1)
            else:
                after = _shifted(md.parse("\n".join(self.lines[closer + 1 :])), closer + 1)
        elif short is not None:
            # The marker line that is too short becomes the closing line, in place.
            closer = short
            self.report(
                opened,
                "error",
                f"{what}: the {self.lines[short].strip()} on line {self.line(short)} is "
                f"shorter than the opening {fence.markup}; it is taken to end there",
            )
            self.lines[short] = fence.markup
            after = _shifted(md.parse("\n".join(self.lines[closer + 1 :])), closer + 1)
        else:
            return None
        fence.map = [opened, closer + 1]
        fence.content = "".join(line + "\n" for line in self.lines[start:closer])
        return after
