"""Rescheduling a card from its whole review history (after an import)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from quizapp.store.review_import import HistoryEntry, Replayed
from quizapp.study.scheduler import from_fsrs
from quizapp.study.service import REVIEW

#: what the store calls for each card that received imported reviews
Replay = Callable[[str, Sequence[HistoryEntry]], Replayed]


def replayer(scheduler: Scheduler) -> Replay:
    """A replay of cards' histories through ``scheduler`` (no fuzz wanted: the due date
    is then the one the history implies)."""
    # looked up once: the loop below runs once per review of the history
    review_card, recall = scheduler.review_card, scheduler.get_card_retrievability
    ratings = {int(r): r for r in Rating}

    def replay(card_id: str, history: Sequence[HistoryEntry]) -> Replayed:
        """Replay one card's scheduled reviews from scratch.

        Returns the card's new scheduling fields and, for imported rows, the recall
        the scheduler predicted just before each of them (for ``stats``' calibration).
        """
        state = FsrsCard(card_id=0)
        lapses = 0
        predictions: list[tuple[int, float]] = []
        for review_id, rating, at, kind in history:
            if kind == "import" and state.last_review is not None:
                predictions.append((review_id, recall(state, at)))
            # counted as the study service counts lapses: a failed review of a learned card
            if rating == 1 and state.state == REVIEW:
                lapses += 1
            state, _ = review_card(state, ratings[rating], at)
        fields = from_fsrs(state)
        fields.update(reviews=len(history), lapses=lapses)
        return fields, predictions

    return replay
