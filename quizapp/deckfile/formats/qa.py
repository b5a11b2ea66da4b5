"""``Q:``/``A:``/``C:`` blocks, as hashcards and repeat write them.

A line starting ``Q:`` (at the left margin, in a top-level paragraph) opens a question,
which runs to a line starting ``A:``; the answer runs from there to the next ``Q:`` or
``C:``, heading, thematic break (``---``) or the end of the file, and may hold lists,
code and math. A ``C:`` block runs just as far, and each ``[…]`` in it that is not a
link, an image or inside code is a deletion (inside ``$…$`` too, as hashcards reads
it): one cloze card per deletion.
Text outside the blocks is prose.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizapp.deckfile.formats.common import BlockCard, Finding, Layout, Lines, joined, question
from quizapp.deckfile.formats.deletions import mark_deletions
from quizapp.deckfile.quoting import quoted

if TYPE_CHECKING:
    from markdown_it.token import Token

MARKERS = ("Q:", "A:", "C:")
#: an event that ends any block
END = "end"


def _events(
    tokens: Sequence[Token], lines: Sequence[str], not_headings: set[int] | None = None
) -> list[tuple[int, str]]:
    """``(line, "Q:" | "A:" | "C:" | END)`` in line order; the setext headings that are
    really blocks over a separator are added to ``not_headings``."""
    events: list[tuple[int, str]] = []

    def markers(start: int, end: int) -> bool:
        found = False
        for index in range(start, end):
            mark = lines[index][:2]
            if mark in MARKERS:
                events.append((index, mark))
                found = True
        return found

    for tok in tokens:
        if tok.level != 0 or tok.map is None:
            continue
        start, end = tok.map
        if tok.type == "paragraph_open":
            markers(start, end)
        elif tok.type == "hr":
            events.append((start, END))
        elif tok.type == "heading_open":
            # "A: answer" right above a "---" separator is a setext heading to markdown;
            # hashcards and repeat read it as the answer and the separator.
            if tok.markup in ("-", "=") and markers(start, end - 1):
                events.append((end - 1, END))
                if not_headings is not None:
                    not_headings.add(start)
            else:
                events.append((start, END))
    events.sort()
    return events


def detected(tokens: Sequence[Token], lines: Sequence[str], text: str) -> bool:
    """Whether a file is written in ``Q:``/``A:``/``C:`` blocks: some ``Q:`` is followed
    by its ``A:``, or some ``C:`` block holds a ``[``. ``text`` is the whole file,
    searched first."""
    if not text.startswith(("Q:", "C:")) and "\nQ:" not in text and "\nC:" not in text:
        return False
    events = _events(tokens, lines)
    if not events:
        return False
    for (line, mark), following in zip(events, [*events[1:], (len(lines), END)], strict=True):
        if mark == "Q:" and following[1] == "A:":
            return True
        if mark == "C:" and "[" in "\n".join(lines[line : following[0]]):
            return True
    return False


class _Reader:
    def __init__(self, tokens: Sequence[Token], source: Lines) -> None:
        self.tokens = tokens
        self.source = source
        self.lines = source.lines
        self.layout = Layout()
        self._references: set[str] | None = None

    def references(self) -> set[str]:
        """The file's link reference labels, normalized as deletions compare them."""
        if self._references is None:
            from quizapp.deckfile.markdown import structure_parser

            env: dict[str, dict[str, object]] = {}
            structure_parser().parse("\n".join(self.lines), env)
            labels = env.get("references", {})
            self._references = {" ".join(label.split()).casefold() for label in labels}
        return self._references

    def warn(self, index: int, message: str) -> None:
        self.layout.findings.append(Finding(index, "warning", message))

    def basic(self, q: int, a: int, end: int) -> None:
        lines = self.lines
        raw = joined([lines[q][2:], *lines[q + 1 : a]])
        front, explicit, classes = question(raw)
        if not front:
            self.warn(q, "`Q:` with no question after it; not a card")
            return
        back = self.source.body_text(a, end, first=lines[a][2:].strip())
        self.layout.cards.append(BlockCard(q, front, back, (a, end), explicit, classes))

    def cloze(self, c: int, end: int) -> None:
        text = self.source.body_text(c, end, first=self.lines[c][2:].strip())
        marked = mark_deletions(text, self.references())
        for problem in marked.problems:
            self.warn(c, problem)
        if not marked.count:
            self.warn(c, "`C:` block has no [deletion] in square brackets; not a card")
            return
        self.layout.cards.append(
            BlockCard(
                c,
                marked.masked,
                marked.text,
                (c, end),
                id_text=marked.masked,
                clozes=tuple(range(1, marked.count + 1)),
            )
        )

    def read(self) -> Layout:
        open_mark: str | None = None
        q = a = c = 0
        events = _events(self.tokens, self.lines, self.layout.not_headings)
        for index, mark in [*events, (len(self.lines), END)]:
            if mark == "A:":
                if open_mark == "Q:":
                    open_mark, a = "A:", index
                elif open_mark == "A:":
                    self.warn(index, "a second `A:` for one question is read as part of its answer")
                else:
                    self.warn(index, "`A:` without a `Q:` before it is ignored")
                continue
            # Any other event closes the open block.
            if open_mark == "Q:":
                said = quoted(joined([self.lines[q][2:], *self.lines[q + 1 : index]]).strip())
                self.warn(q, f"question {said} has no `A:` answer, so it is not a card")
            elif open_mark == "A:":
                self.basic(q, a, index)
            elif open_mark == "C:":
                self.cloze(c, index)
            open_mark = None if mark == END else mark
            if mark == "Q:":
                q = index
            elif mark == "C:":
                c = index
        self.prose_headings(events)
        return self.layout

    def prose_headings(self, events: Sequence[tuple[int, str]]) -> None:
        """Warn (once) when a heading that the heading rules would make a card holds
        only prose here: a heading deck whose answers happen to hold ``Q:`` lines is
        read in this layout, and should say ``cards: headings``."""
        headings = [
            (tok.map[0], int(tok.tag[1:]), self.tokens[index + 1].content)
            for index, tok in enumerate(self.tokens)
            if tok.type == "heading_open"
            and tok.level == 0
            and tok.map is not None
            and tok.map[0] not in self.layout.not_headings
        ]
        blocks = [
            tok.map[0]
            for tok in self.tokens
            if tok.level == 0
            and tok.nesting != -1
            and tok.map is not None
            and tok.type not in ("heading_open", "front_matter")
        ]
        if not headings:
            return
        marks = [line for line, mark in events if mark != END]
        ends = [start for start, _, _ in headings[1:]] + [len(self.lines)]
        levels = [level for _, level, _ in headings[1:]] + [0]

        def between(lines: list[int], start: int, end: int) -> bool:
            return bisect_right(lines, start) < bisect_left(lines, end)

        for (start, level, text), end, following in zip(headings, ends, levels, strict=True):
            leaf = following <= level
            if leaf and between(blocks, start, end) and not between(marks, start, end):
                self.warn(
                    start,
                    f"heading {quoted(text.strip())} has text but no `Q:` or `C:` block: this "
                    "file is read as Q:/A:/C: blocks, so that text is not a card (front matter "
                    "`cards: headings` reads the file by its headings)",
                )
                return


def read_qa(tokens: Sequence[Token], source: Lines) -> Layout:
    """The cards of a ``Q:``/``A:``/``C:`` file."""
    return _Reader(tokens, source).read()
