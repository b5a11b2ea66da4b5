"""Obsidian Spaced Repetition notes: prose with cards in the plugin's syntax.

A note is one when it carries the plugin's default tag, ``#flashcards`` (or a sub-tag
such as ``#flashcards/ml``), in its text or its front matter ``tags``. Then, as the
plugin reads it:

- ``Question::Answer`` on one line is a card; ``Question:::Answer`` is two, one each way;
- lines of a question, a line holding only ``?`` (``??``: a card each way), then the
  answer's lines, up to a blank line, are a multi-line card;
- everything else is prose. Separators inside code (fenced, indented or inline) do not
  count, and a blank line inside a fenced block does not end a card;
- a heading line is an ordinary line, as in the plugin: ``## What is X?`` right above
  a ``?`` line is the question (without its ``#`` marks), and a heading inside an
  answer is part of it. Only the headings outside every card give cards their topic.

The note's deck is named by its first flashcard tag, as the plugin names it:
``#flashcards/science/physics`` is ``science::physics`` (shown ``science › physics``),
plain ``#flashcards`` is ``flashcards``; a card whose question starts with a flashcard
tag of its own is in that tag's deck.

The plugin's own bookkeeping is left out of the cards: its scheduling comments
(``<!--SR:…-->``), Obsidian block ids (`` ^id``) at the end, and tags before a question.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
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
from quizapp.deckfile.quoting import quoted

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
#: the ``#`` marks of an ATX heading line (and its optional closing sequence)
_HEADING_MARKS = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
#: the tag the plugin reads flashcards from
FLASHCARDS = "flashcards"

ONE_WAY, TWO_WAY = "::", ":::"
MULTI_ONE_WAY, MULTI_TWO_WAY = "?", "??"


def _is_flashcard_tag(tag: str) -> bool:
    name = tag.strip().lstrip("#").lower()
    return name == FLASHCARDS or name.startswith(FLASHCARDS + "/")


def tag_deck(tag: str) -> tuple[str, ...]:
    """The deck the plugin files a flashcard tag's cards in, as levels:
    ``#flashcards/ml/nlp`` → ``("ml", "nlp")``, ``#flashcards`` → ``("flashcards",)``."""
    levels = [part for part in tag.strip().lstrip("#").split("/") if part.strip()]
    return tuple(levels[1:]) or (FLASHCARDS,)


def flashcard_tag(
    front_matter_tags: Sequence[str], tokens: Sequence[Token], text: str
) -> str | None:
    """The note's first flashcard tag (front matter first, then the text outside code),
    or None when the note has none; ``text`` is the whole file, searched first."""
    for tag in front_matter_tags:
        # "a, b" in front matter arrives as one tag "a,_b"
        for part in re.split(r",_?|\s+", tag):
            if _is_flashcard_tag(part):
                return part
    if _TAG_ANYWHERE.search(text) is None:
        return None
    for tok in tokens:
        content = tok.content
        if tok.type == "inline" and "#" in content:
            found = _TAG.search(mask_code_spans(content))
            if found is not None:
                return found.group()
    return None


def tagged(front_matter_tags: Sequence[str], tokens: Sequence[Token], text: str) -> bool:
    """Whether a note carries the ``#flashcards`` tag (front matter or text, not code);
    ``text`` is the whole file, searched first."""
    return flashcard_tag(front_matter_tags, tokens, text) is not None


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


def _clean_question(text: str) -> tuple[str, tuple[str, ...] | None]:
    """A question without the tags before it and the ``#`` marks of its heading lines,
    and the deck of its own flashcard tag, if it starts with one."""
    deck = None
    stripped = text.lstrip()
    if stripped.startswith("#"):
        lead = _LEAD_TAGS.match(stripped)
        if lead is not None:
            for tag in lead.group().split():
                if _is_flashcard_tag(tag):
                    deck = tag_deck(tag)
                    break
            text = stripped[lead.end() :]
    if "#" in text:
        text = _HEADING_MARKS.sub(r"\1", text)
    return text, deck


def _boundaries(tokens: Sequence[Token]) -> tuple[list[int], int]:
    """The first line of each heading, in order, and the first line after the front
    matter."""
    headings: list[int] = []
    body_start = 0
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type == "heading_open":
            headings.append(tok.map[0])
        elif tok.type == "front_matter":
            body_start = tok.map[1]
    return headings, body_start


class _Reader:
    def __init__(self, tokens: Sequence[Token], source: Lines) -> None:
        self.tokens = tokens
        self.source = source
        self.lines = source.lines
        self.code = code_lines(tokens)
        self.heading_starts, self.start = _boundaries(tokens)
        self.layout = Layout()

    def within(self, start: int, end: int) -> None:
        """Lines ``[start, end)`` belong to a card: a heading among them gives no topic."""
        starts = self.heading_starts
        at = bisect_left(starts, start)
        while at < len(starts) and starts[at] < end:
            self.layout.not_headings.add(starts[at])
            at += 1

    def add(self, line: int, front: str, back: str, body: tuple[int, int], two_way: bool) -> None:
        cleaned, deck = _clean_question(front)
        text, explicit, classes = question(cleaned)
        answer = _clean_answer(back)
        if not text:
            self.layout.findings.append(
                Finding(line, "warning", "card separator with no question before it; not a card")
            )
            return
        self.within(line, max(body[1], line + 1))
        self.layout.cards.append(BlockCard(line, text, answer, body, explicit, classes, deck=deck))
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
                    deck=deck,
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
            blank = at_end or not lines[index].strip()
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
        self.prose_headings()
        return self.layout

    def prose_headings(self) -> None:
        """Warn (once, at the tag) when a heading that the heading rules would make a
        card holds only prose here: a heading deck whose prose mentions the tag is read
        as a note, and its heading cards are retired."""
        tokens = self.tokens
        headings = [
            (tok.map[0], int(tok.tag[1:]), tokens[index + 1].content)
            for index, tok in enumerate(tokens)
            if tok.type == "heading_open"
            and tok.level == 0
            and tok.map is not None
            and tok.map[0] not in self.layout.not_headings
        ]
        if not headings:
            return
        blocks = [
            tok.map[0]
            for tok in tokens
            if tok.level == 0
            and tok.nesting != -1
            and tok.map is not None
            and tok.type not in ("heading_open", "front_matter")
        ]
        cards = sorted(card.line for card in self.layout.cards)
        ends = [start for start, _, _ in headings[1:]] + [len(self.lines)]
        levels = [level for _, level, _ in headings[1:]] + [0]

        def between(lines: list[int], start: int, end: int) -> bool:
            return bisect_right(lines, start) < bisect_left(lines, end)

        for (start, level, text), end, following in zip(headings, ends, levels, strict=True):
            if (
                following <= level
                and between(blocks, start, end)
                and not between(cards, start, end)
            ):
                line, tag = self.tag_line()
                self.layout.findings.append(
                    Finding(
                        line,
                        "warning",
                        f"the tag {tag} makes this an Obsidian Spaced Repetition note: "
                        f"heading {quoted(text.strip())} has text but no `question::answer` "
                        "or `?` card, so it is not a card (front matter `cards: headings` "
                        "reads the file by its headings)",
                    )
                )
                return

    def tag_line(self) -> tuple[int, str]:
        """The line and text of the note's first flashcard tag outside code (the first
        line when only the front matter has it)."""
        for tok in self.tokens:
            if tok.type == "inline" and tok.map is not None and "#" in tok.content:
                found = _TAG.search(mask_code_spans(tok.content))
                if found is not None:
                    before = tok.content[: found.start()].count("\n")
                    return tok.map[0] + before, found.group()
        return 0, "#" + FLASHCARDS


def read_osr(tokens: Sequence[Token], source: Lines) -> Layout:
    """The cards of an Obsidian Spaced Repetition note."""
    return _Reader(tokens, source).read()
