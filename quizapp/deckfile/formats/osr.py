"""Obsidian Spaced Repetition notes: prose with cards in the plugin's syntax.

A note is one when it carries the plugin's default tag, ``#flashcards`` (or a sub-tag
such as ``#flashcards/ml``), in its text or its front matter ``tags``. Then, as the
plugin reads it:

- ``Question::Answer`` on one line is a card; ``Question:::Answer`` is two, one each way;
- lines of a question, a line holding only ``?`` (``??``: a card each way), then the
  answer's lines, up to a blank line, are a multi-line card;
- everything else is prose. Separators inside code (fenced, indented or inline) do not
  count, and a blank line inside a fenced block does not end a card.

The plugin's own bookkeeping is left out of the cards: its scheduling comments
(``<!--SR:…-->``), Obsidian block ids (`` ^id``) at the end, and tags before a question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from quizapp.deckfile.cloze import mask_code_spans
from quizapp.deckfile.formats.common import (
    BlockCard,
    Finding,
    Layout,
    Lines,
    code_lines,
    joined,
    question,
)

if TYPE_CHECKING:
    from markdown_it.token import Token

#: the plugin's default flashcard tag, or a sub-tag of it, in a note's text
_TAG = re.compile(r"(?<![^\s(,;])#flashcards(?:/[^\s#,;:!?()\[\]{}]*)?(?![^\s,;.!?)\]])", re.I)
#: the cheap search of the whole file that comes first
_TAG_ANYWHERE = re.compile("#flashcards", re.I)
#: the plugin's scheduling comment opens with this and ends with ``-->``
_SCHEDULE_OPEN, _COMMENT_CLOSE = "<!--SR:", "-->"
#: the name of an Obsidian block id (`` ^name`` at the end of a card)
_BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")
#: list and quote markers and tags before a question on its line
_LEAD = re.compile(r"\s*(?:>\s*)*(?:(?:[-+*]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?)?")
_LEAD_TAGS = re.compile(r"(?:#[^\s#]+\s*)+")

ONE_WAY, TWO_WAY = "::", ":::"
MULTI_ONE_WAY, MULTI_TWO_WAY = "?", "??"


def _is_flashcard_tag(tag: str) -> bool:
    name = tag.strip().lstrip("#").lower()
    return name == "flashcards" or name.startswith("flashcards/")


def tagged(front_matter_tags: Sequence[str], tokens: Sequence[Token], text: str) -> bool:
    """Whether a note carries the ``#flashcards`` tag (front matter or text, not code);
    ``text`` is the whole file, searched first."""
    for tag in front_matter_tags:
        # "a, b" in front matter arrives as one tag "a,_b"
        if any(_is_flashcard_tag(part) for part in re.split(r",_?|\s+", tag)):
            return True
    if _TAG_ANYWHERE.search(text) is None:
        return False
    for tok in tokens:
        content = tok.content
        if tok.type == "inline" and "#" in content and _TAG.search(mask_code_spans(content)):
            return True
    return False


def _without_schedules(text: str) -> str:
    """``text`` without the plugin's scheduling comments and the whitespace before
    them; an unclosed one stays as written. One pass: no backtracking over long runs
    of whitespace or of unclosed comments."""
    kept: list[str] = []
    pos = 0
    while (start := text.find(_SCHEDULE_OPEN, pos)) >= 0:
        end = text.find(_COMMENT_CLOSE, start + len(_SCHEDULE_OPEN))
        if end < 0:
            break
        kept.append(text[pos:start].rstrip())
        pos = end + len(_COMMENT_CLOSE)
    kept.append(text[pos:])
    return "".join(kept)


def _without_block_id(text: str) -> str:
    """``text`` (stripped) without an Obsidian block id `` ^name`` at its end."""
    at = text.rfind("^")
    if at > 0 and text[at - 1].isspace() and _BLOCK_ID.fullmatch(text, at + 1):
        return text[: at - 1]
    return text


def _clean_answer(text: str) -> str:
    return _without_block_id(_without_schedules(text).strip()).strip()


def _clean_question(text: str) -> str:
    return _LEAD_TAGS.sub("", text.lstrip(), count=1) if text.lstrip().startswith("#") else text


def _boundaries(tokens: Sequence[Token]) -> tuple[set[int], int]:
    """Lines of headings, and the first line after the front matter."""
    headings: set[int] = set()
    body_start = 0
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type == "heading_open":
            headings.update(range(*tok.map))
        elif tok.type == "front_matter":
            body_start = tok.map[1]
    return headings, body_start


class _Reader:
    def __init__(self, tokens: Sequence[Token], source: Lines) -> None:
        self.source = source
        self.lines = source.lines
        self.code = code_lines(tokens)
        self.headings, self.start = _boundaries(tokens)
        self.layout = Layout()

    def add(self, line: int, front: str, back: str, body: tuple[int, int], two_way: bool) -> None:
        text, explicit, classes = question(_clean_question(front))
        answer = _clean_answer(back)
        if not text:
            self.layout.findings.append(
                Finding(line, "warning", "card separator with no question before it; not a card")
            )
            return
        self.layout.cards.append(BlockCard(line, text, answer, body, explicit, classes))
        if two_way and answer:
            self.layout.cards.append(
                BlockCard(
                    line,
                    answer,
                    text,
                    (line, line),
                    explicit,
                    classes,
                    id_text=text,
                    id_suffix="/reverse",
                )
            )

    def one_line(self, index: int) -> bool:
        """Read a ``Q::A`` / ``Q:::A`` card on line ``index``, if there is one."""
        raw = self.lines[index]
        masked = mask_code_spans(raw)
        if ONE_WAY not in masked:
            return False
        two_way = TWO_WAY in masked
        at = masked.index(TWO_WAY if two_way else ONE_WAY)
        lead = _LEAD.match(raw)
        begin = lead.end() if lead is not None and lead.end() <= at else 0
        width = len(TWO_WAY if two_way else ONE_WAY)
        back = raw[at + width :]
        self.add(index, raw[begin:at], back, (index, index + 1), two_way)
        return True

    def read(self) -> Layout:
        lines = self.lines
        chunk = self.start  # first line of the text since the last blank line
        separator: int | None = None
        two_way = False
        for index in range(self.start, len(lines) + 1):
            at_end = index == len(lines)
            if not at_end and index in self.code:
                continue
            blank = at_end or not lines[index].strip() or index in self.headings
            if blank:
                if separator is not None:
                    front = joined(lines[chunk:separator])
                    back = self.source.body_text(separator + 1, index)
                    self.add(chunk, front, back, (separator + 1, index), two_way)
                separator = None
                chunk = index + 1
                continue
            if separator is not None:
                continue  # an answer line
            mark = lines[index].strip()
            if mark in (MULTI_ONE_WAY, MULTI_TWO_WAY):
                if index > chunk:
                    separator, two_way = index, mark == MULTI_TWO_WAY
                continue
            if self.one_line(index):
                chunk = index + 1
        return self.layout


def read_osr(tokens: Sequence[Token], source: Lines) -> Layout:
    """The cards of an Obsidian Spaced Repetition note."""
    return _Reader(tokens, source).read()
