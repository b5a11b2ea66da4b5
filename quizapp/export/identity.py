"""Stable identities in the exported package: note GUIDs, deck names and ids, tags.

Anki matches an imported note to one already in the collection by its GUID, so the
GUID comes from the card id alone (plus the instance index of a drawn quiz instance):
editing a card's answer and exporting again updates the note instead of adding a
second one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import genanki

DECK_SEPARATOR = "::"
BREADCRUMB_SEPARATOR = " › "

_SPACE = re.compile(r"\s+")


def note_guid(card_id: str, instance: int | None = None) -> str:
    """The GUID of the note for a card, or for instance ``instance`` of a quiz card."""
    if instance is None:
        return str(genanki.guid_for(card_id))
    return str(genanki.guid_for(card_id, instance))


def _deck_part(name: str) -> str:
    # "::" inside a heading would split it into two levels of decks.
    return _SPACE.sub(" ", name.replace(DECK_SEPARATOR, ":")).strip() or "-"


def anki_deck_name(deck: str, topic: Sequence[str]) -> str:
    """``Deck::Topic::Subtopic``: the deck file's deck, with a sub-deck per topic level.

    ``deck`` may already hold ``::`` (a deck inside a folder collection): those levels
    are kept.
    """
    parts = [_deck_part(p) for p in deck.split(DECK_SEPARATOR)]
    parts.extend(_deck_part(t) for t in topic)
    return DECK_SEPARATOR.join(parts)


def anki_deck_id(name: str) -> int:
    """A deck id derived from the deck's full name, so every export uses the same one."""
    digest = int.from_bytes(hashlib.sha1(name.encode(), usedforsecurity=False).digest()[:8])
    # The range genanki recommends for deck ids, clear of Anki's own small ids.
    return (1 << 30) + digest % (1 << 30)


def _tag_part(text: str) -> str:
    # Anki splits tags on whitespace; "::" nests tags, so it can't stay inside one level.
    return _SPACE.sub("_", text.replace(DECK_SEPARATOR, ":").strip())


def anki_tags(topic: Sequence[str], extra: Iterable[str] = ()) -> list[str]:
    """Tags of a note: its topic path as one hierarchical tag, plus the card's own tags."""
    tags: list[str] = []
    levels = [p for p in (_tag_part(t) for t in topic) if p]
    if levels:
        tags.append(DECK_SEPARATOR.join(levels))
    for tag in extra:
        cleaned = _SPACE.sub("_", tag.strip())
        if cleaned and cleaned not in tags:
            tags.append(cleaned)
    return tags


def breadcrumb(deck: str, topic: Sequence[str]) -> str:
    """``deck › topic › …`` as plain text (the caller escapes it for HTML)."""
    return BREADCRUMB_SEPARATOR.join([deck.replace(DECK_SEPARATOR, BREADCRUMB_SEPARATOR), *topic])
