"""Which quizapp card an Anki card is.

- A note quizapp did not export gets deck cards whose ids carry the note's GUID:
  ``anki-<GUID>`` for its (first) card, ``…/reverse`` for the second card of a two-way
  note, ``…/cN`` for cloze N (Anki's ordinal N-1). The GUID is written with letters,
  digits and ``-`` only (any other character as ``_`` and two hex digits), so the id
  fits in ``{#…}``. Importing the same collection again finds the same ids.
- A note quizapp exported carries the GUID that ``export`` derived from the card id
  (:func:`quizapp.export.identity.note_guid`), so it is recognised without any deck
  file: a basic card, a cloze number (Anki's ordinal N-1) or one of the drawn instances
  of a computational card, whose reviews all count for that card.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.export.build import MAX_INSTANCES
from quizapp.export.identity import note_guid
from quizapp.importing.model import AnkiNote, NoteKind

PREFIX = "anki-"
#: the longest GUID written out whole; a longer one is hashed (ids stay under 255)
MAX_GUID = 120
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def note_base_id(guid: str) -> str:
    """The id an imported note's cards start with."""
    encoded = "".join(c if c in _PLAIN else f"_{ord(c):02x}" for c in guid)
    if len(encoded) > MAX_GUID:
        encoded = "h" + hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return PREFIX + encoded


def card_suffix(kind: NoteKind, ordinal: int) -> str | None:
    """The id suffix of the card ``ordinal`` of a note of ``kind``; None when that card
    has no quizapp counterpart (a third template of an unknown note type)."""
    if kind == "cloze":
        return f"/c{ordinal + 1}"
    if ordinal == 0:
        return ""
    if kind == "two-way" and ordinal == 1:
        return "/reverse"
    return None


def imported_card_id(note: AnkiNote, ordinal: int) -> str | None:
    """The quizapp id of card ``ordinal`` of a note written to a deck file."""
    suffix = card_suffix(note.kind, ordinal)
    return None if suffix is None else note_base_id(note.guid) + suffix


@dataclass(frozen=True)
class KnownCard:
    """A card in the database, as far as its exported GUIDs go."""

    id: str
    kind: str
    cloze: int | None


class ExportedGuids:
    """The GUIDs ``export anki`` gives the database's cards, and the card each is."""

    def __init__(self, cards: Iterable[KnownCard]) -> None:
        #: (GUID, Anki ordinal) → card id
        self._cards: dict[tuple[str, int], str] = {}
        self._notes: set[str] = set()
        for card in cards:
            if card.kind == "quiz":
                for index in range(MAX_INSTANCES):
                    self._add(note_guid(card.id, index), 0, card.id)
            elif card.kind == "cloze" and card.cloze is not None:
                base = card.id.removesuffix(f"/c{card.cloze}")
                self._add(note_guid(base), card.cloze - 1, card.id)
            else:
                self._add(note_guid(card.id), 0, card.id)

    def _add(self, guid: str, ordinal: int, card_id: str) -> None:
        self._cards.setdefault((guid, ordinal), card_id)
        self._notes.add(guid)

    def __contains__(self, guid: object) -> bool:
        return guid in self._notes

    def card(self, guid: str, ordinal: int) -> str | None:
        """The card exported as card ``ordinal`` of the note ``guid``."""
        return self._cards.get((guid, ordinal))
