"""Anki notes → markdown deck files, one per Anki deck, sub-decks as folders.

A deck ``ML::NLP`` becomes ``ML/NLP.md`` (its deck name comes back from the folder and
the file's title). Inside, each note is a heading card with its id from the note's
GUID (:mod:`quizapp.importing.identity`), in the order the notes were added:

- Basic (and "type in the answer"): the front as the heading, the back as the answer;
- Basic-and-reversed (and optional reversed with its second card): the same, marked
  ``{.two-way}``;
- Cloze: a heading with the text's first line (deletions shown as ``[…]``), the text
  with its ``{{cN::…}}`` markers as the answer;
- any other note type: the first field as the heading, the others as the answer, each
  under its field name in bold.

Fields a note type adds to these (an "Extra" field) follow the answer under their
names; the note's tags become heading classes (``{.tag}``), so they stay its tags.
Image occlusion notes have no text form and are left out (counted in the report).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from quizapp.deckfile.sources import NOT_DECKS
from quizapp.importing.html import FieldConverter
from quizapp.importing.identity import imported_card_id, note_base_id
from quizapp.importing.media import MediaPlan
from quizapp.importing.model import AnkiNote

HEADING = "##"
#: a cloze note's heading: its text's first line up to about this many characters
TITLE_CHARS = 80
_FILE_UNSAFE = re.compile(r"[^\w .,()&+'!-]+")
_TITLE_SAFE = re.compile(r"[\w .,()&+'!?-]+")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_TAG_UNSAFE = re.compile(r"[^\w:-]+")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
#: classes the deck format reads as instructions, never as tags
_RESERVED = frozenset({"skip", "two-way"})
#: the markup whose halves a cut title must not separate
_PAIRED = ("$", "`", "**")
EMPTY_ANSWER = "*(empty in Anki)*"

Progress = Callable[[str, int, int], None]


@dataclass
class DeckText:
    """One deck file to write."""

    path: PurePosixPath
    deck: str
    #: the title block, then one text per note
    notes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """The notes in the file."""
        return len(self.notes) - 1

    @property
    def text(self) -> str:
        """The file's content."""
        return "\n\n".join(self.notes) + "\n"


@dataclass
class DeckPlan:
    """What the notes become: files, the id of each Anki card, and what was left out."""

    files: list[DeckText]
    #: Anki card id → quizapp card id, for the cards the files define
    cards: dict[int, str]
    #: (note id, why) for notes written nowhere
    skipped: list[tuple[int, str]]
    media: MediaPlan


def _file_part(name: str) -> str:
    cleaned = " ".join(_FILE_UNSAFE.sub("_", name).split()).strip(". ")
    return cleaned[:100] or "deck"


def deck_path(deck: str) -> PurePosixPath:
    """``ML::NLP`` → ``ML/NLP.md``."""
    parts = [_file_part(p) for p in deck.split("::")]
    if f"{parts[-1]}.md".lower() in NOT_DECKS:  # a README.md would not be read as a deck
        parts[-1] += " deck"
    return PurePosixPath(*parts[:-1], parts[-1] + ".md")


def _title_block(deck: str, path: PurePosixPath) -> str:
    leaf = _CONTROLS.sub("", deck.rsplit("::", maxsplit=1)[-1]).strip() or path.stem
    if _TITLE_SAFE.fullmatch(leaf) and leaf == leaf.strip():
        return f"# {leaf}"
    # a name markdown would read otherwise: front matter holds it verbatim (JSON is YAML)
    return f"---\ndeck: {json.dumps(leaf, ensure_ascii=False)}\n---"


def _classes(note: AnkiNote) -> list[str]:
    classes: list[str] = []
    for tag in note.tags:
        cleaned = _TAG_UNSAFE.sub("_", tag).strip("_")
        if cleaned in _RESERVED:
            cleaned += "_"
        if cleaned and cleaned not in classes:
            classes.append(cleaned)
    return classes


def _heading(title: str, note: AnkiNote, two_way: bool) -> str:
    attrs = [f"#{note_base_id(note.guid)}"]
    if two_way:
        attrs.append(".two-way")
    attrs.extend(f".{c}" for c in _classes(note))
    return f"{HEADING} {title} {{{' '.join(attrs)}}}"


def _cloze_title(text: str) -> str:
    masked = _CLOZE.sub(lambda m: f"[{m.group(3) or '…'}]", text)
    first = next((line.strip() for line in masked.splitlines() if line.strip()), "")
    first = first.removesuffix("\\").strip()
    if len(first) <= TITLE_CHARS:
        return first
    cut = first[:TITLE_CHARS].rsplit(" ", 1)[0]
    if any(cut.count(mark) % 2 for mark in _PAIRED):
        return first  # a cut would leave a formula or code span open
    return cut + " …"


class _Skipped(Exception):
    """A note that becomes no card; the message says why."""


class _Writer:
    def __init__(self, media: MediaPlan) -> None:
        self.media = media
        self.folder = PurePosixPath()
        self.converter = FieldConverter(lambda name: self.media.link(self.folder, name))

    def labelled(self, fields: Iterable[tuple[str, str]]) -> list[str]:
        blocks: list[str] = []
        for name, raw in fields:
            value = self.converter.block(raw)
            if not value:
                continue
            label = f"**{name}:**"
            blocks.append(f"{label} {value}" if "\n" not in value else f"{label}\n\n{value}")
        return blocks

    def note(self, note: AnkiNote) -> str:
        """The markdown of one note; :class:`_Skipped` says why there is none."""
        fields = [(n, v) for n, v in note.fields if n not in note.hidden]
        if not fields:
            raise _Skipped("the note has no fields")
        if note.kind == "cloze":
            text = self.converter.block(fields[0][1])
            if not _CLOZE.search(text):
                raise _Skipped("a cloze note without {{c1::…}} deletions")
            title = _cloze_title(text) or "Cloze"
            body = [text, *self.labelled(fields[1:])]
            return "\n\n".join([_heading(title, note, False), *body])
        title = self.converter.line(fields[0][1])
        if not title:
            raise _Skipped(f"its first field ({fields[0][0]}) is empty")
        if note.kind == "other":
            body = self.labelled(fields[1:])
        else:
            answer = self.converter.block(fields[1][1]) if len(fields) > 1 else ""
            body = [b for b in (answer, *self.labelled(fields[2:])) if b]
        heading = _heading(title, note, note.kind == "two-way")
        return "\n\n".join([heading, *(body or [EMPTY_ANSWER])])


def plan_deck_files(
    notes: Iterable[AnkiNote], media: MediaPlan, progress: Progress, total: int
) -> DeckPlan:
    """The deck files for ``notes`` (notes quizapp did not export)."""
    writer = _Writer(media)
    files: dict[str, DeckText] = {}
    taken: dict[PurePosixPath, str] = {}
    cards: dict[int, str] = {}
    skipped: list[tuple[int, str]] = []
    for done, note in enumerate(notes, 1):
        if done % 200 == 0:
            progress("converting notes", done, total)
        if note.kind == "occlusion":
            skipped.append((note.id, "image occlusion notes have no text form"))
            continue
        deck = note.deck
        target = files.get(deck)
        if target is None:
            path = first = deck_path(deck)
            number = 1
            while path in taken:  # two deck names that make the same file name
                number += 1
                path = first.with_name(f"{first.stem} {number}.md")
            taken[path] = deck
            target = files[deck] = DeckText(path, deck, [_title_block(deck, path)])
        writer.folder = target.path.parent
        try:
            target.notes.append(writer.note(note))
        except _Skipped as why:
            skipped.append((note.id, str(why)))
            continue
        for card in note.cards:
            cid = imported_card_id(note, card.ord)
            if cid is not None:
                cards[card.id] = cid
    progress("converting notes", total, total)
    written = [f for f in files.values() if len(f.notes) > 1]
    return DeckPlan(sorted(written, key=lambda f: f.path), cards, skipped, media)
