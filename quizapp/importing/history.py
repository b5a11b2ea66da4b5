"""Anki's review log onto quizapp cards.

The answers go through the store's review import (:mod:`quizapp.store.review_import`):
one transaction; an answer quizapp already has (same card, same moment) is skipped, so
importing the same collection again adds only what was done in Anki since. Each card
that received answers is then scheduled:

- from Anki's own FSRS state (stability, difficulty, due date) when Anki has one and
  every answer the card has came from an import — Anki then knows the whole history;
- else by replaying the card's whole history through quizapp's scheduler (Anki without
  FSRS, or a card also studied in quizapp — the round trip).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from quizapp.importing.model import AnkiReview, AnkiSchedule
from quizapp.store.db import Database
from quizapp.store.review_import import HistoryEntry, ImportCounts, Replayed, import_review_rows
from quizapp.study.replay import Replay, replayer
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import LEARNING, RELEARNING

#: deck given to the store for cards it does not know (none: unknown cards are left out)
_NO_DECK = "anki"


@dataclass(frozen=True)
class Answer:
    """One review row for the store."""

    line: int
    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None


def answers(reviews: Sequence[AnkiReview], cards: Mapping[int, str]) -> Iterator[Answer]:
    """The reviews of the Anki cards in ``cards`` (Anki id → quizapp id)."""
    for line, review in enumerate(reviews, 1):
        card_id = cards.get(review.card)
        if card_id is None:
            continue
        at = datetime.fromtimestamp(review.at_ms / 1000, UTC)
        yield Answer(line, card_id, review.rating, at, review.duration_ms or None)


def _step(schedule: AnkiSchedule, settings: StudySettings) -> int | None:
    if schedule.state == LEARNING:
        steps = len(settings.learning_steps)
    elif schedule.state == RELEARNING:
        steps = len(settings.relearning_steps)
    else:
        return None
    # Anki counts the steps still to come; py-fsrs the index of the current one
    return max(0, min(steps - 1, steps - schedule.remaining_steps)) if steps else 0


def _from_anki(
    replay: Replay, schedules: Mapping[str, AnkiSchedule], settings: StudySettings
) -> Replay:
    def schedule(card_id: str, history: Sequence[HistoryEntry]) -> Replayed:
        anki = schedules.get(card_id)
        if anki is None or not history or any(h.kind != "import" for h in history):
            return replay(card_id, history)
        # Anki's state already sums up this history: nothing to replay
        fields = {
            "state": anki.state,
            "step": _step(anki, settings),
            "stability": anki.stability,
            "difficulty": anki.difficulty,
            "due": anki.due,
            "last_review": history[-1].reviewed_at,
            "reviews": len(history),
            "lapses": anki.lapses,
        }
        return fields, []

    return schedule


def import_answers(
    db: Database,
    rows: Iterator[Answer],
    *,
    schedules: Mapping[str, AnkiSchedule],
    settings: StudySettings,
    source: str,
    now: datetime,
) -> ImportCounts:
    """Write ``rows`` (cards the database has) and schedule the cards they touch."""
    replay = replayer(settings.scheduler(fuzz=False))
    return import_review_rows(
        db,
        rows,
        deck=_NO_DECK,
        source=source,
        now=now,
        replay=_from_anki(replay, schedules, settings),
    )
