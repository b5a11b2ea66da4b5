"""Where cards are emitted: ids claimed once, cloze and quiz cards split off.

Every card layout (headings, list items, OSR notes, ``Q:``/``A:`` blocks) ends in
:meth:`CardSink.emit`, so ids, duplicates, cloze numbers and quiz cards behave the same
whatever the file's layout.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from quizapp.deckfile.cloze import NESTED
from quizapp.deckfile.ids import card_id
from quizapp.deckfile.quiz import parse_quiz_block
from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.shown import shown_markdown
from quizapp.deckfile.storable import deck_problem, id_problem
from quizapp.deckfile.types import CardSpec, Diagnostic, Severity

#: breadcrumb separator in messages
_CRUMB = " › "
#: a file's cards store at most this many times its text, or :data:`STORED_FLOOR`
#: characters if that is more: every cloze (and quiz) card of a card stores the card's
#: whole text, so a card with thousands of cloze numbers would store it thousands of times
STORED_RATIO = 6
STORED_FLOOR = 3_000_000


@dataclass(frozen=True)
class Quiz:
    """A ``quiz`` fence: its lines ``[start, end)`` and its YAML."""

    start: int
    end: int
    content: str


def quiz_start(quiz: Quiz) -> int:
    return quiz.start


def trimmed(lines: Sequence[str]) -> str:
    """``lines`` joined, without leading and trailing blank lines."""
    first, last = 0, len(lines)
    while first < last and not lines[first].strip():
        first += 1
    while last > first and not lines[last - 1].strip():
        last -= 1
    return "\n".join(lines[first:last])


class CardSink:
    """The cards, ids and diagnostics of one file, and its lines."""

    def __init__(self, source: str, lines: list[str]) -> None:
        self.source = source
        self.lines = lines
        #: positions (in ``lines``) of closing fences added to repair unclosed ones
        self.inserted: list[int] = []
        self.diagnostics: list[Diagnostic] = []
        self.cards: list[CardSpec] = []
        self.ids: dict[str, int] = {}
        #: characters the cards so far store, and how many they may store
        self.stored = 0
        self.budget = max(STORED_RATIO * sum(len(line) + 1 for line in lines), STORED_FLOOR)
        self._over_budget = False
        #: messages of cards refused for what a database cannot store, said once each
        self._refused: set[str] = set()
        #: whether a card was left out with an error or warning of its own
        self.refused_any = False

    def keep(self, card: CardSpec) -> bool:
        """Add ``card`` unless the file's cards would store more than their budget
        (:data:`STORED_RATIO`); the first card left out is reported."""
        size = len(card.front) + len(card.back)
        if self._over_budget:
            return False
        problem = deck_problem(card.deck) or id_problem(card.id)
        if problem is not None:
            self.refused_any = True
            if problem not in self._refused:
                self._refused.add(problem)
                self.report(card.line, "error", problem)
            return False
        if self.stored + size > self.budget:
            self._over_budget = self.refused_any = True
            self.report(
                card.line,
                "warning",
                f"this file's cards would store more than {STORED_RATIO}× its text (or "
                f"{STORED_FLOOR / 1e6:g} million characters) "
                f"(every cloze and quiz card keeps its card's whole text); "
                f"{f'c{card.cloze} of ' if card.cloze else ''}{quoted(card.front)} and the "
                "cards after it are not loaded (split the card, or use fewer cloze numbers)",
            )
            return False
        self.stored += size
        self.cards.append(card)
        return True

    def line(self, index: int) -> int:
        """1-based line in the file of 0-based ``index`` into ``lines``."""
        if not self.inserted:
            return index + 1
        return index + 1 - bisect_left(self.inserted, index)

    def report(self, line: int, severity: Severity, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.source, line, severity, message))

    def claim(self, cid: str, line: int) -> int | None:
        """Register card id ``cid``; if it is taken, the line of its first use."""
        first = self.ids.get(cid)
        if first is None:
            self.ids[cid] = line
        return first

    def emit(
        self,
        deck: str,
        topic: tuple[str, ...],
        front: str,
        start: int,
        back: str,
        quizzes: Sequence[Quiz],
        clozes: Sequence[tuple[int, int]],
        tags: tuple[str, ...],
        explicit_id: str | None,
        id_text: str | None = None,
        id_suffix: str = "",
        *,
        deletions: bool = False,
    ) -> None:
        """Emit one card (or its cloze cards) and its quiz cards; ``start`` is the
        question's line, ``id_text`` what the default id hashes if not the front;
        ``deletions``: the cloze markers are a ``C:`` block's numbered deletions.

        Front and back are kept as they are shown: HTML comments out, Obsidian callouts
        as titled blocks (:func:`~quizapp.deckfile.shown.shown_markdown`)."""
        nested = [at for at, n in clozes if n == NESTED]
        if nested:
            self.refused_any = True
            self.report(
                self.line(nested[0]),
                "error",
                "a cloze inside another cloze ({{c1::a {{c2::b}} c}}) cannot be shown; "
                "this card is not loaded (close the first before opening the next)",
            )
            return
        front, back = shown_markdown(front), shown_markdown(back)
        line = self.line(start)
        if not front.strip():
            self.refused_any = True
            self.report(
                line,
                "error",
                "the question is empty once its HTML comments are left out (comments are "
                "never shown); this card is not loaded",
            )
            return
        base = (explicit_id or card_id(deck, topic, id_text or front)) + id_suffix
        first = self.claim(base, line)
        if first is not None:
            if explicit_id:
                what = f"duplicate card id {quoted(base)} (first used on line {first})"
            else:
                where = f"in topic {quoted(_CRUMB.join(topic))}" if topic else "at the top level"
                said = quoted(id_text or front)
                what = f"duplicate question {said} {where} (first on line {first})"
            self.report(line, "error", f"{what}; this card is ignored")
            return
        template = CardSpec(
            id=base,
            deck=deck,
            topic=topic,
            front=front,
            back=back,
            kind="basic",
            source=self.source,
            line=line,
            explicit_id=explicit_id is not None,
            tags=tags,
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
                self.keep(replace(template, id=cid, kind="cloze", cloze=n, deletion=deletions))
        elif template.back or not quizzes:
            self.keep(template)
        for k, quiz in enumerate(quizzes, 1):
            self.quiz_card(quiz, k, template)

    def quiz_card(self, quiz: Quiz, k: int, parent: CardSpec) -> None:
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
        self.keep(
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
