"""A review reads its card under a row lock: a second writer waits for the first one's
commit and decides from the state it wrote, so no update is lost (on PostgreSQL, where
two transactions could otherwise both read the card before either writes)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from factories import add_rows, card_row

from quizapp.store.db import Database
from quizapp.store.reviews import Decision, ReviewEntry, SchedulingState, append_review
from quizapp.store.schema import Card

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def add_card(db: Database) -> None:
    add_rows(db, card_row("c", at=NOW, front="q", back="a"))


def test_a_second_review_waits_for_the_first_and_sees_what_it_wrote(db: Database) -> None:
    add_card(db)
    first_reading = threading.Event()
    seen: dict[str, int] = {}

    def decide(name: str, pause: float) -> Callable[[SchedulingState], Decision]:
        def run(state: SchedulingState) -> Decision:
            seen[name] = state.reviews
            if pause:
                first_reading.set()
                time.sleep(pause)  # the other writer starts meanwhile
            days = state.reviews + 1
            schedule = state.fields() | {"state": 2, "due": NOW + timedelta(days=days)}
            return Decision(schedule=schedule)

        return run

    def review(name: str, pause: float) -> None:
        entry = ReviewEntry(rating=3, reviewed_at=NOW)
        append_review(db, "c", entry, decide(name, pause))

    first = threading.Thread(target=review, args=("first", 0.5))
    first.start()
    assert first_reading.wait(10)
    second = threading.Thread(target=review, args=("second", 0.0))
    second.start()
    first.join(20)
    second.join(20)

    assert seen == {"first": 0, "second": 1}
    with db.session(write=False) as s:
        card = s.get(Card, "c")
        assert card is not None
        assert card.reviews == 2
        assert card.due == NOW + timedelta(days=2)
