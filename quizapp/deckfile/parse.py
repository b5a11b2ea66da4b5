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
  topic: everything under it), ``{.two-way}`` adds the card asked the other way round
  (the answer as the question, id + ``/reverse``); other classes become tags.
- Cloze markers in a card's body (outside code) make one cloze card per ``cN``.
- Each ``quiz`` fence in a card's body is a card of its own, with ``parent`` set to the
  enclosing card's (base) id; the fence is cut out of the enclosing card's back, and
  the quiz card's back is that same text (the explanation around the question). When
  nothing but ``quiz`` fences is left, the enclosing heading yields only its quiz cards.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from quizapp.deckfile.attrs import split_heading_attrs
from quizapp.deckfile.cloze import MARKER, cloze_marks, inline_cloze_numbers
from quizapp.deckfile.controls import clean_deck_path
from quizapp.deckfile.decode import decode_deck
from quizapp.deckfile.emit import CardSink, Quiz, quiz_start, trimmed
from quizapp.deckfile.fences import FenceRepair
from quizapp.deckfile.formats import Format, Layout, choose_format, read_layout
from quizapp.deckfile.formats.common import dedent
from quizapp.deckfile.formats.hints import no_cards
from quizapp.deckfile.formats.osr import flashcard_tag, tag_deck
from quizapp.deckfile.frontmatter import FrontMatter, read_front_matter
from quizapp.deckfile.mathlimits import math_problem
from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.shown import shown_markdown
from quizapp.deckfile.storable import MAX_DECK_CHARS
from quizapp.deckfile.types import Diagnostic, ParsedDeck, Severity, TopicNote

if TYPE_CHECKING:
    from markdown_it.token import Token

#: lines longer than this get a warning (they are still parsed)
LONG_LINE = 10_000
#: breadcrumb separator in messages
_CRUMB = " › "
#: the heading class that makes a card two-way (asked both ways, like ``Q:::A``)
TWO_WAY = "two-way"
#: appended to the id of a two-way card's second direction
REVERSE_SUFFIX = "/reverse"
#: heading classes that steer the parser instead of becoming tags
_RULE_CLASSES = ("skip", TWO_WAY)


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


@dataclass
class _Owned:
    """Quiz fences and cloze numbers found under one heading, in document order."""

    quizzes: list[Quiz] = field(default_factory=list)
    #: (line, N) of each cloze marker
    clozes: list[tuple[int, int]] = field(default_factory=list)


class _DeckParser(CardSink):
    """One parse of one file: state shared by the steps of :func:`parse_deck`."""

    def __init__(self, text: str, source: str, prefix: tuple[str, ...], stem: str) -> None:
        super().__init__(source, text.split("\n"))
        self.text = text
        self.prefix = prefix
        self.stem = stem
        self.headings: list[_Heading] = []
        self.owned: dict[int, _Owned] = {}
        self.preamble_end = 0
        self.front_matter: Token | None = None
        self.topics: list[TopicNote] = []
        self.skipped_any = False
        self._quizzes: list[Quiz] | None = None

    # -- helpers -------------------------------------------------------------------

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
        """Tokens of the file, after repairing unclosed top-level code fences."""

        def report(index: int, severity: Severity, message: str) -> None:
            self.report(self.line(index), severity, message)

        return FenceRepair(self.lines, self.inserted, report, self.line).tokenize(self.text)

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
                    quiz = Quiz(tok.map[0], tok.map[1], tok.content)
                    self.owned_by(current).quizzes.append(quiz)
            elif kind in ("math_block", "math_block_label") and tok.map is not None:
                if MARKER in tok.content:
                    for n in cloze_marks(tok.content):
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

    def back(self, start: int, end: int, quizzes: Sequence[Quiz]) -> str:
        """Source lines ``start:end`` without the given quiz fences."""
        if not quizzes:
            return trimmed(self.lines[start:end])
        kept: list[str] = []
        pos = start
        for quiz in quizzes:
            kept.extend(self.lines[pos : quiz.start])
            pos = max(pos, quiz.end)
        kept.extend(self.lines[pos:end])
        return trimmed(kept)

    def body_text(self, start: int, end: int, *, first: str | None = None, indent: int = 0) -> str:
        """An answer of a card layout: lines ``start:end`` without the quiz fences among
        them, ``first`` in place of the first line, ``indent`` columns less indented."""
        quizzes = self.quizzes_in(start, end)
        kept = self.back(start, end, quizzes).split("\n") if quizzes else self.lines[start:end]
        if first is not None and kept and (not quizzes or quizzes[0].start > start):
            kept = [first, *kept[1:]]
        if indent:
            kept = [dedent(line, indent) for line in kept]
        return trimmed(kept)

    def all_quizzes(self) -> list[Quiz]:
        """Every quiz fence of the file, in line order (read once the walk is done)."""
        if self._quizzes is None:
            found = (q for owned in self.owned.values() for q in owned.quizzes)
            self._quizzes = sorted(found, key=quiz_start)
        return self._quizzes

    def quizzes_in(self, start: int, end: int) -> list[Quiz]:
        quizzes = self.all_quizzes()
        return quizzes[
            bisect_left(quizzes, start, key=quiz_start) : bisect_left(quizzes, end, key=quiz_start)
        ]

    def topic_note(self, deck: str, index: int, deck_h1: int | None) -> None:
        h = self.headings[index]
        found = self.owned.get(index)
        text = self.back(h.end, h.next_start, found.quizzes if found else ())
        if not text or (not h.text and index != deck_h1):
            return
        path = h.topic if index == deck_h1 else (*h.topic, h.text)
        note = TopicNote(deck, path, shown_markdown(text), self.source, self.line(h.start))
        self.topics.append(note)

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
        quizzes: list[Quiz] = []
        clozes: list[tuple[int, int]] = []
        for owner in owners:
            found = self.owned.get(owner)
            if found is not None:
                quizzes.extend(found.quizzes)
                clozes.extend(found.clozes)
        tags = tuple(c for c in h.classes if c not in _RULE_CLASSES) + tags
        back = self.back(h.end, end, quizzes)
        self.emit(deck, h.topic, h.text, h.start, back, quizzes, clozes, tags, h.explicit_id)
        if TWO_WAY in h.classes and back and not clozes:
            # the same card asked the other way round: the answer is the question
            self.emit(
                deck,
                h.topic,
                back,
                h.start,
                h.text,
                (),
                (),
                tags,
                h.explicit_id,
                id_text=h.text,
                id_suffix=REVERSE_SUFFIX,
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
        tokens = self.tokenize()
        self.walk(tokens)
        options = self.read_front_matter()
        level = options.cards
        fmt = choose_format(options.rule, level, options.tags, tokens, self.lines, self.text)
        if fmt != "osr":  # Obsidian notes carry properties of their own
            self.diagnostics.extend(options.unknown)
        headings = self.headings
        deck_h1: int | None = None
        if options.deck is None and level != 1 and fmt in ("headings", "list"):
            # Obsidian and hashcards name a deck by a tag or a key, never by a heading.
            deck_h1 = next((i for i, h in enumerate(headings) if h.level == 1), None)
        self.build_tree(deck_h1)
        deck = self.deck_name(fmt, options, tokens, deck_h1)
        if fmt == "headings":
            self.heading_cards(deck, deck_h1, level, options.tags)
        else:
            layout = read_layout(fmt, tokens, self)
            own_decks = fmt == "osr" and options.deck is None
            self.layout_cards(deck, layout, deck_h1, options.tags, own_decks)
        if not self.cards and not self.skipped_any and not self.refused_any:
            index, message = no_cards(fmt, level, tokens, self.front_matter is not None)
            self.report(self.line(index), "warning", message)
        self.diagnostics.sort(key=lambda d: d.line)
        return ParsedDeck(
            source=self.source,
            deck=deck[:MAX_DECK_CHARS],  # its cards were refused; the file is still known
            cards=tuple(self.cards),
            topics=tuple(self.topics),
            diagnostics=tuple(self.diagnostics),
        )

    def deck_name(
        self, fmt: Format, options: FrontMatter, tokens: Sequence[Token], deck_h1: int | None
    ) -> str:
        """Front matter ``deck:``; else, as each tool names its decks: an Obsidian note
        by its flashcard tag, a hashcards deck by its ``name``; else the first H1 (the
        heading layouts), else the file stem. Sub-folders prefix all but tag names."""
        name = options.deck
        if name is None and fmt == "osr":
            tag = flashcard_tag(options.tags, tokens, self.text)
            if tag is not None:
                return "::".join(tag_deck(tag))
        if name is None and fmt == "qa":
            name = options.name
        if name is None and deck_h1 is not None:
            name = " ".join(self.headings[deck_h1].text.split()) or None
        return "::".join((*self.prefix, name or self.stem))

    def heading_cards(
        self, deck: str, deck_h1: int | None, level: int | None, tags: tuple[str, ...]
    ) -> None:
        """Cards and topic notes by the leaf or the fixed-level heading rule."""
        headings = self.headings
        found = self.owned.get(-1)
        fm_map = self.front_matter.map if self.front_matter is not None else None
        preamble_start = fm_map[1] if fm_map else 0
        preamble = self.back(preamble_start, self.preamble_end, found.quizzes if found else ())
        if preamble:
            self.topics.append(
                TopicNote(
                    deck, (), shown_markdown(preamble), self.source, self.line(preamble_start)
                )
            )
        self.outside_card(-1)
        #: for each heading, the card heading its content belongs to (fixed level)
        card_of: list[int | None] = [None] * len(headings)
        for index, h in enumerate(headings):
            if h.skipped:
                self.skipped_any = True
                continue
            if level is None:
                self.leaf_rule(deck, index, deck_h1, tags)
            else:
                self.fixed_rule(deck, index, deck_h1, level, card_of, tags)
        if level is not None:
            # A card's back spans its sub-headings, whose quiz fences and cloze markers
            # are its own too.
            owners: dict[int, list[int]] = {}
            for index, owner in enumerate(card_of):
                if owner is not None:
                    owners.setdefault(owner, []).append(index)
            for index, h in enumerate(headings):
                if h.level == level and not h.skipped and h.text:
                    self.card(deck, index, h.section_end, owners[index], tags)

    def layout_cards(
        self,
        deck: str,
        layout: Layout,
        deck_h1: int | None,
        tags: tuple[str, ...],
        own_decks: bool = False,
    ) -> None:
        """Cards of a list, OSR or ``Q:``/``A:`` layout; headings give their topics;
        ``own_decks``: a card's own tag names its deck."""
        for finding in layout.findings:
            self.report(self.line(finding.index), finding.severity, finding.message)
        starts = [h.start for h in self.headings]
        quizzes = self.all_quizzes()
        clozes = sorted(c for owned in self.owned.values() for c in owned.clozes)
        used: set[int] = set()
        # for each heading, the nearest one at or above it that gives a topic (a
        # heading inside a card does not)
        giving: list[int] = []
        nearest = -1
        for index, first in enumerate(starts):
            if first not in layout.not_headings:
                nearest = index
            giving.append(nearest)
        for block in layout.cards:
            h = bisect_right(starts, block.line) - 1
            h = giving[h] if h >= 0 else -1
            heading = self.headings[h] if h >= 0 else None
            if block.skipped or (heading is not None and heading.skipped):
                self.skipped_any = True
                continue
            topic: tuple[str, ...] = ()
            if heading is not None:
                named = h != deck_h1 and bool(heading.text)
                topic = (*heading.topic, heading.text) if named else heading.topic
            start, end = block.body
            owned = self.quizzes_in(start, end)
            used.update(q.start for q in owned)
            marks = clozes[bisect_left(clozes, (start,)) : bisect_left(clozes, (end,))]
            marks += [(block.line, n) for n in block.clozes]
            kept = tuple(c for c in block.classes if c != "skip") + tags
            self.emit(
                "::".join(block.deck) if own_decks and block.deck else deck,
                topic,
                block.front,
                block.line,
                block.back,
                owned,
                marks,
                kept,
                block.explicit_id,
                block.id_text,
                block.id_suffix,
                deletions=bool(block.clozes),
            )
        for quiz in quizzes:
            if quiz.start not in used:
                self.report(
                    self.line(quiz.start),
                    "error",
                    "quiz block outside a card is ignored; put it in a card's answer",
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
        return ParsedDeck(source, deck[:MAX_DECK_CHARS], diagnostics=decoded.diagnostics)
    if not decoded.text.strip():
        deck = "::".join((*deck_prefix, stem))
        empty = Diagnostic(source, 1, "warning", "empty deck file")
        return ParsedDeck(source, deck[:MAX_DECK_CHARS], diagnostics=(*decoded.diagnostics, empty))
    parser = _DeckParser(decoded.text, source, deck_prefix, stem)
    parser.diagnostics.extend(decoded.diagnostics)
    return parser.run()
