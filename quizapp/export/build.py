"""Parsed decks → Anki notes: one note per basic card, one cloze note per cloze card,
and a few drawn instances of every ``quiz`` card."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from quizapp.deckfile.catalog import CATALOG
from quizapp.deckfile.cloze import cloze_context
from quizapp.deckfile.types import CardSpec, Diagnostic, ParsedDeck
from quizapp.export import notetypes
from quizapp.export.identity import anki_deck_id, anki_deck_name, anki_tags, breadcrumb, note_guid
from quizapp.export.media import MediaBundle, MediaFile
from quizapp.export.render import AnkiHtmlRenderer, RenderContext

DEFAULT_INSTANCES = 3
#: the most drawn instances per ``quiz`` card an export makes
MAX_INSTANCES = 100
#: draws in a row that repeat an earlier question before a card's parameters are taken
#: to hold no more distinct questions (a quiz with two possible draws has two)
MAX_REPEATS = 50

_CLOZE_MARKER = re.compile(r"\{\{c\d+::")

#: drawn parameters as a hashable, order-independent key
_ParamsKey = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ExportOptions:
    """What to put in the package besides the cards themselves."""

    #: drawn instances per ``quiz`` card (0 leaves quiz cards out)
    instances: int = DEFAULT_INSTANCES
    #: mixed into every draw; the same seed gives the same package
    seed: int = 0
    #: ids of cards suspended in quizapp: their Anki cards are suspended too (Anki keeps
    #: that when the package is imported with its learning progress)
    suspended: frozenset[str] = frozenset()


@dataclass
class BuiltPackage:
    """A package ready to write, and what it holds."""

    package: genanki.Package
    media: list[MediaFile]
    #: deck files that contributed notes
    decks: int
    notes: int
    cards: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: computational cards, and the fixed instances (notes) drawn from them: Anki
    #: cannot draw numbers, so each becomes a few questions with their answers
    quiz_cards: int = 0
    quiz_notes: int = 0


class _Builder:
    def __init__(self, options: ExportOptions) -> None:
        self.options = options
        self.renderer = AnkiHtmlRenderer()
        self.media = MediaBundle()
        self.decks: dict[str, genanki.Deck] = {}
        self.guids: dict[str, CardSpec] = {}
        #: (model, params) → (answer, derivation): parameters drawn from a short list of
        #: choices come up again and again, and building the torch module is the slow part
        self.solved: dict[tuple[str, _ParamsKey], tuple[str, str]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.notes = 0
        self.cards = 0
        self.deck_files = 0
        self.quiz_cards = 0
        self.quiz_notes = 0

    # -- helpers ---------------------------------------------------------------------

    def _deck(self, name: str) -> genanki.Deck:
        deck = self.decks.get(name)
        if deck is None:
            deck = self.decks[name] = genanki.Deck(anki_deck_id(name), name)
        return deck

    def _claim(self, guid: str, card: CardSpec) -> bool:
        """Whether ``guid`` is still free; a second card with the same id is skipped."""
        first = self.guids.setdefault(guid, card)
        if first is card:
            return True
        self.diagnostics.append(
            Diagnostic(
                card.source,
                card.line,
                "warning",
                f"card id {card.id!r} is also used at {first.source}:{first.line}; "
                "not exported twice",
            )
        )
        return False

    def _add(
        self,
        card: CardSpec,
        model: genanki.Model,
        fields: list[str],
        guid: str,
        suspended: Collection[int] = (),
    ) -> None:
        """Add a note; its cards of the ordinals ``suspended`` are suspended."""
        note = genanki.Note(
            model=model,
            fields=fields,
            guid=guid,
            tags=anki_tags(card.topic, card.tags),
            # New cards come up in deck order.
            due=self.notes,
        )
        for anki_card in note.cards:
            anki_card.suspend = anki_card.ord in suspended
        self._deck(anki_deck_name(card.deck, card.topic)).add_note(note)
        self.notes += 1
        self.cards += len(note.cards)

    def _suspended(self, card: CardSpec) -> tuple[int, ...]:
        """The note ordinal of a card that is suspended (a basic or quiz note's only one)."""
        return (0,) if card.id in self.options.suspended else ()

    def _report_images(self, ctx: RenderContext, source: str, line: int) -> None:
        for problem in ctx.image_problems:
            self.diagnostics.append(Diagnostic(source, line, "warning", problem))
        ctx.image_problems.clear()

    @staticmethod
    def _crumb(card: CardSpec) -> str:
        return html.escape(breadcrumb(card.deck, card.topic))

    @staticmethod
    def _source(card: CardSpec, what: str | None = None) -> str:
        """Where the note comes from: ``file.md:LINE · card id``."""
        return html.escape(f"{Path(card.source).name}:{card.line} · {what or card.id}")

    # -- cards -----------------------------------------------------------------------

    def add_deck(self, parsed: ParsedDeck, root: Path | None) -> None:
        self.diagnostics.extend(parsed.diagnostics)
        ctx = RenderContext(Path(parsed.source).parent, self.media, root)
        notes_before = self.notes
        cloze_done: set[str] = set()
        #: cloze base → Anki ordinals (cloze number - 1) of its suspended cards
        suspended_clozes: dict[str, set[int]] = {}
        for card in parsed.cards:
            if card.kind == "cloze" and card.cloze and card.id in self.options.suspended:
                suspended_clozes.setdefault(_cloze_base(card), set()).add(card.cloze - 1)
        for card in parsed.cards:
            if card.kind == "quiz":
                self._add_quiz(card, ctx)
            elif card.kind == "cloze":
                base = _cloze_base(card)
                if base not in cloze_done:
                    cloze_done.add(base)
                    self._add_cloze(card, base, ctx, suspended_clozes.get(base, set()))
            else:
                self._add_basic(card, ctx)
            self._report_images(ctx, card.source, card.line)
        for topic in parsed.topics:
            name = anki_deck_name(topic.deck, topic.path)
            # A topic's intro text describes its sub-deck (shown on Anki's deck overview).
            if name in self.decks and topic.text.strip():
                self.decks[name].description = self.renderer.block(topic.text, ctx)
                self._report_images(ctx, topic.source, topic.line)
        if self.notes > notes_before:
            self.deck_files += 1

    def _add_basic(self, card: CardSpec, ctx: RenderContext) -> None:
        guid = note_guid(card.id)
        if not self._claim(guid, card):
            return
        front = self.renderer.inline(card.front, ctx)
        back = self.renderer.block(card.back, ctx)
        fields = [front, back, self._crumb(card), self._source(card)]
        self._add(card, notetypes.BASIC, fields, guid, self._suspended(card))

    def _add_cloze(
        self, card: CardSpec, base: str, ctx: RenderContext, suspended: set[int]
    ) -> None:
        text = self.renderer.block(card.back, ctx)
        if not _CLOZE_MARKER.search(text):
            # No marker survived outside code: Anki would refuse a cloze note without one.
            self._add_basic(card, ctx)
            return
        guid = note_guid(base)
        if not self._claim(guid, card):
            return
        context = self.renderer.inline(cloze_context(card.front, card.back), ctx)
        fields = [text, context, self._crumb(card), self._source(card, base)]
        self._add(card, notetypes.CLOZE, fields, guid, suspended)

    def _add_quiz(self, card: CardSpec, ctx: RenderContext) -> None:
        quiz = card.quiz
        if quiz is None or self.options.instances <= 0:
            return
        from quizapp.grading.draw import draw_params
        from quizapp.grading.grade import format_answer, render_question
        from quizapp.grading.models import compute, derivation

        self.quiz_cards += 1
        seen: set[_ParamsKey] = set()
        index = repeats = 0
        wanted = min(self.options.instances, MAX_INSTANCES)
        # A small parameter space may hold fewer distinct questions than asked for.
        for attempt in range(wanted * 5):
            if index >= wanted or repeats >= MAX_REPEATS:
                break
            # Seeded per card and attempt: the same export draws the same questions.
            rng = random.Random(f"{self.options.seed}\x1f{card.id}\x1f{attempt}")
            try:
                params = draw_params(quiz, rng)
                key = tuple(sorted((k, repr(v)) for k, v in params.items()))
                if key in seen:
                    repeats += 1
                    continue
                repeats = 0
                seen.add(key)
                question = render_question(quiz, params)
                solved = self.solved.get((quiz.model, key))
                if solved is None:
                    truth = compute(quiz.model, params)
                    unit = CATALOG[quiz.model].unit
                    solved = (format_answer(truth, unit), derivation(quiz.model, params))
                    self.solved[(quiz.model, key)] = solved
                answer, steps = solved
            except Exception as exc:  # one bad block must not stop the export
                self.diagnostics.append(
                    Diagnostic(card.source, card.line, "error", f"quiz {card.id}: {exc}")
                )
                return
            guid = note_guid(card.id, index)
            if not self._claim(guid, card):
                return
            fields = [
                self.renderer.inline(question, ctx),
                html.escape(answer),
                "<br>".join(html.escape(line) for line in steps.splitlines()),
                self._crumb(card),
                self._source(card, f"{card.id} #{index + 1}"),
            ]
            self._add(card, notetypes.QUIZ, fields, guid, self._suspended(card))
            self.quiz_notes += 1
            index += 1


def _cloze_base(card: CardSpec) -> str:
    """The id shared by all cloze cards of one source card (``…/cN`` removed)."""
    suffix = f"/c{card.cloze}"
    if card.cloze is not None and card.id.endswith(suffix):
        return card.id[: -len(suffix)]
    return card.id


def deck_root(source: str, roots: Sequence[Path]) -> Path | None:
    """The first of the deck folders ``roots`` (resolved) that holds the deck file
    ``source``; None when none does (the file's own folder is its root then)."""
    path = Path(source)
    return next((root for root in roots if path.is_relative_to(root)), None)


def build_package(
    decks: Sequence[ParsedDeck], options: ExportOptions, roots: Sequence[Path] = ()
) -> BuiltPackage:
    """Notes for every card of ``decks``, grouped into Anki decks by deck and topic.

    Images are bundled only from inside the deck folder ``roots`` (resolved) that
    holds their deck file, or the deck file's own folder when none does.
    Problems (from parsing, a missing or refused image, a quiz that can't be drawn)
    are collected in ``diagnostics``; the cards without problems are exported regardless.
    """
    builder = _Builder(options)
    for parsed in decks:
        builder.add_deck(parsed, deck_root(parsed.source, roots))
    with_notes = [d for d in builder.decks.values() if d.notes]
    return BuiltPackage(
        package=genanki.Package(with_notes),
        media=builder.media.files,
        decks=builder.deck_files,
        notes=builder.notes,
        cards=builder.cards,
        diagnostics=builder.diagnostics,
        quiz_cards=builder.quiz_cards,
        quiz_notes=builder.quiz_notes,
    )
