"""A deck file → cards, topic notes and diagnostics (the deck format, DESIGN §2).

Structure comes from markdown-it-py's block tokens, never from regexes over lines: a
``# comment`` inside a code fence or a ``$$`` block is not a heading. The file is
tokenized once; a card's back is the slice of source lines between its heading and the
next one (``token.map``), so the answer keeps its markdown exactly as written.

Rules:

- Deck name: front matter ``deck:``, else the first H1 (which then is not part of any
  topic path and is never a card), else the file stem; sub-folders prefix it
  (``Folder::Deck``).
- Leaf rule (default): a heading that owns body content and has no sub-headings is a
  card; a heading with sub-headings is a topic and its intro text a :class:`TopicNote`.
  Heading levels may skip: only nesting matters.
- Fixed level (front matter ``cards: N``): every level-N heading is a card whose back
  is everything under it, sub-headings included.
- ``{#id}`` after a heading sets the card id, ``{.skip}`` leaves the card out (on a
  topic: everything under it); other classes become tags.
- Cloze markers in a card's body (outside code) make one cloze card per ``cN``.
- Each ``quiz`` fence in a card's body is a card of its own, with ``parent`` set to the
  enclosing card's (base) id; the fence is cut out of the enclosing card's back, and
  the quiz card's back is that same text (the explanation around the question). When
  nothing but ``quiz`` fences is left, the enclosing heading yields only its quiz cards.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from quizapp.deckfile.cloze import MARKER, cloze_numbers, inline_cloze_numbers
from quizapp.deckfile.controls import clean_deck_path
from quizapp.deckfile.decode import decode_deck
from quizapp.deckfile.frontmatter import FrontMatter, read_front_matter
from quizapp.deckfile.ids import card_id
from quizapp.deckfile.markdown import structure_parser
from quizapp.deckfile.mathlimits import math_problem
from quizapp.deckfile.quiz import parse_quiz_block
from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.types import CardSpec, Diagnostic, ParsedDeck, Severity, TopicNote

if TYPE_CHECKING:
    from markdown_it.token import Token

#: lines longer than this get a warning (they are still parsed)
LONG_LINE = 10_000
#: repairing unclosed fences may re-parse at most this many times the file's length
REPAIR_BUDGET = 4
#: breadcrumb separator in messages
_CRUMB = " › "


@dataclass
class _Heading:
    """A top-level heading and what the token walk learned about it (lines 0-based)."""

    start: int
    end: int
    level: int
    text: str
    explicit_id: str | None
    classes: tuple[str, ...]
    parent: int = -1
    has_children: bool = False
    has_body: bool = False
    #: first line of the next heading (any level)
    next_start: int = 0
    #: first line of the next heading of the same or a higher level
    section_end: int = 0
    skipped: bool = False
    #: ancestor headings' texts, deck-name H1 and empty headings excluded
    topic: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Quiz:
    start: int
    end: int
    content: str


@dataclass
class _Owned:
    """Quiz fences and cloze numbers found under one heading, in document order."""

    quizzes: list[_Quiz] = field(default_factory=list)
    #: (line, N) of each cloze marker
    clozes: list[tuple[int, int]] = field(default_factory=list)


def split_heading_attrs(raw: str) -> tuple[str, dict[str, str]]:
    """A heading's text without a trailing ``{#id .class key=value}``, and those attrs.

    Braces that do not parse as attributes (``{a, b}``, ``{}``) stay part of the text.
    """
    text = raw.rstrip()
    if not text.endswith("}"):
        return raw, {}
    opening = text.rfind("{")
    block = text[opening:]
    if opening < 0 or "}" in block[:-1]:
        return raw, {}
    from mdit_py_plugins.attrs.parse import ParseError, parse

    try:
        end, attrs = parse(block)
    except ParseError:
        return raw, {}
    if end != len(block) - 1 or not attrs:
        return raw, {}
    return text[:opening].rstrip(), attrs


def _trimmed(lines: Sequence[str]) -> str:
    """``lines`` joined, without leading and trailing blank lines."""
    first, last = 0, len(lines)
    while first < last and not lines[first].strip():
        first += 1
    while last > first and not lines[last - 1].strip():
        last -= 1
    return "\n".join(lines[first:last])


def _fence_closed(tok: Token, lines: Sequence[str]) -> bool:
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


class _DeckParser:
    """One parse of one file: state shared by the steps of :func:`parse_deck`."""

    def __init__(self, text: str, source: str, prefix: tuple[str, ...], stem: str) -> None:
        self.text = text
        self.source = source
        self.prefix = prefix
        self.stem = stem
        self.lines = text.split("\n")
        #: positions (in ``lines``) of closing fences added to repair unclosed ones
        self.inserted: list[int] = []
        self.diagnostics: list[Diagnostic] = []
        self.headings: list[_Heading] = []
        self.owned: dict[int, _Owned] = {}
        self.preamble_end = 0
        self.front_matter: Token | None = None
        self.cards: list[CardSpec] = []
        self.topics: list[TopicNote] = []
        self.ids: dict[str, int] = {}
        self.skipped_any = False

    # -- helpers -------------------------------------------------------------------

    def line(self, index: int) -> int:
        """1-based line in the file of 0-based ``index`` into ``lines``."""
        if not self.inserted:
            return index + 1
        return index + 1 - bisect_left(self.inserted, index)

    def report(self, line: int, severity: Severity, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.source, line, severity, message))

    def owned_by(self, heading: int) -> _Owned:
        found = self.owned.get(heading)
        if found is None:
            found = self.owned[heading] = _Owned()
        return found

    # -- steps ---------------------------------------------------------------------

    def check_long_lines(self) -> None:
        if len(self.text) <= LONG_LINE:
            return
        for index, text in enumerate(self.lines):
            if len(text) > LONG_LINE:
                self.report(
                    index + 1,
                    "warning",
                    f"line is {len(text):,} characters long (over {LONG_LINE:,}); break it up",
                )

    def tokenize(self) -> list[Token]:
        """Tokens of the file, after repairing unclosed top-level code fences.

        An unclosed fence swallows the rest of the file. So that the cards after it
        still load, it is closed where it most likely should have been: at a line of
        the same fence character that is too short to close it (```` opened, ```
        written), or else just before the next heading no deeper than the one the fence
        sits under (level-1 headings are passed over unless the fence sits under one: a
        ``# comment`` in code is far likelier than a second deck title). Only the text
        after the repair is parsed again, and repairs stop once they would cost more
        than a few parses of the whole file.
        """
        md = structure_parser()
        tokens = md.parse(self.text)
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
            if tok.type != "fence" or _fence_closed(tok, self.lines):
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
            if tok.type == "fence" and not _fence_closed(tok, self.lines):
                assert tok.map is not None
                self.report(
                    self.line(tok.map[0]),
                    "error",
                    f"code fence {tok.markup}{tok.info} is never closed",
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
                self.line(opened),
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
                self.line(opened),
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

    def walk(self, tokens: list[Token]) -> None:
        """Collect headings, body ownership, quiz fences and cloze markers."""
        headings = self.headings
        current = -1
        heading_inline = -1
        preamble_body = False
        for i, tok in enumerate(tokens):
            kind = tok.type
            if tok.level == 0:
                if kind == "heading_open" and tok.map is not None:
                    headings.append(self.heading(tok, tokens[i + 1]))
                    current = len(headings) - 1
                    heading_inline = i + 1
                    continue
                if kind == "front_matter":
                    self.front_matter = tok
                    continue
                if tok.nesting != -1:
                    if current >= 0:
                        headings[current].has_body = True
                    else:
                        preamble_body = True
            if kind == "inline":
                if MARKER in tok.content and i != heading_inline and tok.map is not None:
                    for n in inline_cloze_numbers(tok.content):
                        self.owned_by(current).clozes.append((tok.map[0], n))
            elif kind == "fence":
                if tok.info.split(maxsplit=1)[:1] == ["quiz"] and tok.map is not None:
                    quiz = _Quiz(tok.map[0], tok.map[1], tok.content)
                    self.owned_by(current).quizzes.append(quiz)
            elif kind in ("math_block", "math_block_label") and tok.map is not None:
                if MARKER in tok.content:
                    for n in cloze_numbers(tok.content):
                        self.owned_by(current).clozes.append((tok.map[0], n))
                problem = math_problem(tok.content)
                if problem is not None:
                    where = self.line(tok.map[0])
                    self.report(where, "warning", f"{problem}; it is shown as its LaTeX source")
        if not preamble_body:
            self.preamble_end = 0
        else:
            self.preamble_end = headings[0].start if headings else len(self.lines)

    def heading(self, tok: Token, inline: Token) -> _Heading:
        assert tok.map is not None
        raw = inline.content
        if "\n" in raw:  # a setext heading spread over several lines
            raw = " ".join(part.strip() for part in raw.split("\n"))
        text, attrs = split_heading_attrs(raw.strip())
        classes = tuple(attrs.get("class", "").split())
        explicit = attrs.get("id") or None
        start, end = tok.map
        if not text:
            self.report(self.line(start), "error", "heading has no text")
        return _Heading(start, end, int(tok.tag[1:]), text, explicit, classes)

    def build_tree(self, deck_h1: int | None) -> None:
        """Parents, children, section ends, skip flags and topic paths."""
        stack: list[int] = []
        headings = self.headings
        for index, h in enumerate(headings):
            while stack and headings[stack[-1]].level >= h.level:
                headings[stack.pop()].section_end = h.start
            if index > 0:
                headings[index - 1].next_start = h.start
            if stack:
                parent = headings[stack[-1]]
                h.parent = stack[-1]
                parent.has_children = True
                h.skipped = parent.skipped
                named = stack[-1] != deck_h1 and bool(parent.text)
                h.topic = (*parent.topic, parent.text) if named else parent.topic
            h.skipped = h.skipped or "skip" in h.classes
            stack.append(index)
        end = len(self.lines)
        for index in stack:
            headings[index].section_end = end
        if headings:
            headings[-1].next_start = end

    # -- output ----------------------------------------------------------------------

    def claim(self, cid: str, line: int) -> int | None:
        """Register card id ``cid``; if it is taken, the line of its first use."""
        first = self.ids.get(cid)
        if first is None:
            self.ids[cid] = line
        return first

    def back(self, start: int, end: int, quizzes: Sequence[_Quiz]) -> str:
        """Source lines ``start:end`` without the given quiz fences."""
        if not quizzes:
            return _trimmed(self.lines[start:end])
        kept: list[str] = []
        pos = start
        for quiz in quizzes:
            kept.extend(self.lines[pos : quiz.start])
            pos = max(pos, quiz.end)
        kept.extend(self.lines[pos:end])
        return _trimmed(kept)

    def topic_note(self, deck: str, index: int, deck_h1: int | None) -> None:
        h = self.headings[index]
        found = self.owned.get(index)
        text = self.back(h.end, h.next_start, found.quizzes if found else ())
        if not text or (not h.text and index != deck_h1):
            return
        path = h.topic if index == deck_h1 else (*h.topic, h.text)
        self.topics.append(TopicNote(deck, path, text, self.source, self.line(h.start)))

    def outside_card(self, owner: int) -> None:
        """Report the quiz fences under a heading that is not a card."""
        found = self.owned.get(owner)
        if found is None:
            return
        for quiz in found.quizzes:
            self.report(
                self.line(quiz.start),
                "error",
                "quiz block outside a card is ignored; put it under a question heading",
            )

    def card(
        self, deck: str, index: int, end: int, owners: Sequence[int], tags: tuple[str, ...]
    ) -> None:
        """Emit the card(s) of heading ``index``, whose back runs to line ``end``.

        ``owners`` are the headings whose quiz fences and cloze markers belong to it
        (itself, plus its sub-headings under the fixed-level rule).
        """
        h = self.headings[index]
        line = self.line(h.start)
        base = h.explicit_id or card_id(deck, h.topic, h.text)
        first = self.claim(base, line)
        if first is not None:
            if h.explicit_id:
                what = f"duplicate card id {quoted(base)} (first used on line {first})"
            else:
                where = (
                    f"in topic {quoted(_CRUMB.join(h.topic))}" if h.topic else "at the top level"
                )
                what = f"duplicate question {quoted(h.text)} {where} (first on line {first})"
            self.report(line, "error", f"{what}; this card is ignored")
            return
        quizzes: list[_Quiz] = []
        clozes: list[tuple[int, int]] = []
        for owner in owners:
            found = self.owned.get(owner)
            if found is not None:
                quizzes.extend(found.quizzes)
                clozes.extend(found.clozes)
        template = CardSpec(
            id=base,
            deck=deck,
            topic=h.topic,
            front=h.text,
            back=self.back(h.end, end, quizzes),
            kind="basic",
            source=self.source,
            line=line,
            explicit_id=h.explicit_id is not None,
            tags=tuple(c for c in h.classes if c != "skip") + tags,
        )
        numbers: set[int] = set()
        for at, n in clozes:
            if n == 0:
                self.report(
                    self.line(at), "warning", "cloze numbers start at c1; {{c0::…}} is ignored"
                )
            else:
                numbers.add(n)
        if numbers:
            for n in sorted(numbers):
                cid = f"{base}/c{n}"
                taken = self.claim(cid, line)
                if taken is not None:
                    self.report(
                        line, "error", f"card id {quoted(cid)} is already used on line {taken}"
                    )
                    continue
                self.cards.append(replace(template, id=cid, kind="cloze", cloze=n))
        elif template.back or not quizzes:
            self.cards.append(template)
        for k, quiz in enumerate(quizzes, 1):
            self.quiz_card(quiz, k, template)

    def quiz_card(self, quiz: _Quiz, k: int, parent: CardSpec) -> None:
        """Emit the card of the ``k``-th quiz fence of the card ``parent``."""
        line = self.line(quiz.start)
        block = parse_quiz_block(quiz.content, self.source, line)
        self.diagnostics.extend(block.diagnostics)
        if block.spec is None:
            return
        cid = block.id or f"{parent.id}/quiz-{k}"
        first = self.claim(cid, line)
        if first is not None:
            self.report(
                line,
                "error",
                f"duplicate card id {quoted(cid)} (first used on line {first}); "
                "this quiz is ignored",
            )
            return
        self.cards.append(
            replace(
                parent,
                id=cid,
                front=block.spec.ask,
                kind="quiz",
                line=line,
                quiz=block.spec,
                parent=parent.id,
                explicit_id=block.id is not None,
            )
        )

    # -- the whole file --------------------------------------------------------------

    def read_front_matter(self) -> FrontMatter:
        tok = self.front_matter
        if tok is None:
            if self.lines[0].rstrip() == "---":
                self.report(
                    1,
                    "warning",
                    "line 1 looks like the start of front matter, but no closing --- "
                    "follows; it is read as markdown",
                )
            return FrontMatter()
        assert tok.map is not None
        options, problems = read_front_matter(tok.content, self.source, self.line(tok.map[0]) + 1)
        self.diagnostics.extend(problems)
        return options

    def run(self) -> ParsedDeck:
        self.check_long_lines()
        self.walk(self.tokenize())
        options = self.read_front_matter()
        level = options.cards
        headings = self.headings
        deck_h1: int | None = None
        if options.deck is None and level != 1:
            deck_h1 = next((i for i, h in enumerate(headings) if h.level == 1), None)
        self.build_tree(deck_h1)
        name = options.deck
        if name is None and deck_h1 is not None:
            name = " ".join(headings[deck_h1].text.split()) or None
        deck = "::".join((*self.prefix, name or self.stem))

        found = self.owned.get(-1)
        fm_map = self.front_matter.map if self.front_matter is not None else None
        preamble_start = fm_map[1] if fm_map else 0
        preamble = self.back(preamble_start, self.preamble_end, found.quizzes if found else ())
        if preamble:
            self.topics.append(
                TopicNote(deck, (), preamble, self.source, self.line(preamble_start))
            )
        self.outside_card(-1)
        #: for each heading, the card heading its content belongs to (fixed level)
        card_of: list[int | None] = [None] * len(headings)
        for index, h in enumerate(headings):
            if h.skipped:
                self.skipped_any = True
                continue
            if level is None:
                self.leaf_rule(deck, index, deck_h1, options.tags)
            else:
                self.fixed_rule(deck, index, deck_h1, level, card_of, options.tags)
        if level is not None:
            # A card's back spans its sub-headings, whose quiz fences and cloze markers
            # are its own too.
            owners: dict[int, list[int]] = {}
            for index, owner in enumerate(card_of):
                if owner is not None:
                    owners.setdefault(owner, []).append(index)
            for index, h in enumerate(headings):
                if h.level == level and not h.skipped and h.text:
                    self.card(deck, index, h.section_end, owners[index], options.tags)

        if not self.cards and not self.skipped_any:
            rule = (
                f"front matter cards: {level} makes every level-{level} heading a card"
                if level is not None
                else "a card is a heading with content and no sub-headings"
            )
            self.report(1, "warning", f"no cards in this file ({rule})")
        self.diagnostics.sort(key=lambda d: d.line)
        return ParsedDeck(
            source=self.source,
            deck=deck,
            cards=tuple(self.cards),
            topics=tuple(self.topics),
            diagnostics=tuple(self.diagnostics),
        )

    def leaf_rule(self, deck: str, index: int, deck_h1: int | None, tags: tuple[str, ...]) -> None:
        h = self.headings[index]
        if index == deck_h1 or h.has_children:
            self.topic_note(deck, index, deck_h1)
            self.outside_card(index)
            if h.explicit_id and index != deck_h1:
                self.report(
                    self.line(h.start),
                    "warning",
                    f"{{#{h.explicit_id}}} is on a heading with sub-headings, which is a "
                    "topic, not a card; the id is ignored",
                )
        elif not h.text:
            return  # reported when the heading was read
        elif h.has_body:
            self.card(deck, index, h.next_start, (index,), tags)
        else:
            self.report(
                self.line(h.start),
                "warning",
                f"heading {quoted(h.text)} has no content and no sub-headings, so it is not a card",
            )

    def fixed_rule(
        self,
        deck: str,
        index: int,
        deck_h1: int | None,
        level: int,
        card_of: list[int | None],
        tags: tuple[str, ...],
    ) -> None:
        h = self.headings[index]
        if h.level == level:
            card_of[index] = index
        elif h.level < level:
            self.topic_note(deck, index, deck_h1)
            self.outside_card(index)
        elif h.parent >= 0 and card_of[h.parent] is not None:
            card_of[index] = card_of[h.parent]
        else:
            self.outside_card(index)
            self.report(
                self.line(h.start),
                "warning",
                f"heading {quoted(h.text)} is below level {level} but not under a level-{level} "
                f"heading (front matter cards: {level}); its content is in no card",
            )


def parse_deck(data: bytes | str, source: str, deck_prefix: tuple[str, ...] = ()) -> ParsedDeck:
    """Parse one deck file into cards, topic notes and diagnostics.

    ``data`` is the file's bytes (or text); ``source`` its path as it should appear in
    messages and in :attr:`CardSpec.source`; ``deck_prefix`` the sub-folders it sits
    in inside a collection. Never raises: every problem is a :class:`Diagnostic` with a
    1-based line, and one bad card never keeps the others from loading.
    """
    stem = PurePath(source).stem or source or "deck"
    stem, deck_prefix, renamed = clean_deck_path(stem, deck_prefix, source)
    decoded = decode_deck(data, source)
    if renamed is not None:
        decoded = replace(decoded, diagnostics=(renamed, *decoded.diagnostics))
    if decoded.text is None:
        deck = "::".join((*deck_prefix, stem))
        return ParsedDeck(source, deck, diagnostics=decoded.diagnostics)
    if not decoded.text.strip():
        deck = "::".join((*deck_prefix, stem))
        empty = Diagnostic(source, 1, "warning", "empty deck file")
        return ParsedDeck(source, deck, diagnostics=(*decoded.diagnostics, empty))
    parser = _DeckParser(decoded.text, source, deck_prefix, stem)
    parser.diagnostics.extend(decoded.diagnostics)
    return parser.run()
