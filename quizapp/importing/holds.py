"""Cards Anki keeps out of study, kept out of study in quizapp too.

- A card suspended in Anki is suspended (``quizapp cards --unsuspend ID`` brings it
  back).
- A card buried in Anki today (by the user, or as a sibling of a card answered today)
  is buried until quizapp's next day starts (the ``day-starts-at`` setting); a card
  buried on an earlier day is already back in Anki's queue, and comes in as it is.

A quizapp card fed by several Anki cards (the drawn instances of a computational card)
is suspended only when all of them are, and buried when all of them are suspended or
buried. An import only ever holds cards back: a card Anki studies stays as quizapp has
it, so a card suspended in quizapp is never unsuspended by bringing reviews back from
a collection that does not know it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from quizapp.importing.model import AnkiNote, Hold
from quizapp.study.service import StudyService


@dataclass
class Holds:
    """The quizapp cards to suspend and to bury (ids, sorted)."""

    suspended: list[str] = field(default_factory=list)
    buried: list[str] = field(default_factory=list)


def collect_holds(notes: Iterable[AnkiNote], cards: Mapping[int, str]) -> Holds:
    """The holds of the Anki cards of ``notes`` that ``cards`` maps to quizapp cards
    (Anki id → quizapp id), one per quizapp card (see the module doc)."""
    found: dict[str, list[Hold | None]] = {}
    for note in notes:
        for card in note.cards:
            card_id = cards.get(card.id)
            if card_id is not None:
                found.setdefault(card_id, []).append(card.hold)
    holds = Holds()
    for card_id, kinds in sorted(found.items()):
        if all(kind == "suspended" for kind in kinds):
            holds.suspended.append(card_id)
        elif all(kind is not None for kind in kinds):
            holds.buried.append(card_id)
    return holds


def apply_holds(service: StudyService, holds: Holds) -> None:
    """Suspend and bury the cards of ``holds`` (all in the database), at the
    service's clock."""
    if holds.suspended:
        service.suspend(holds.suspended)
    for card_id in holds.buried:
        service.bury(card_id)
