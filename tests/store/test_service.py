"""The study service on a real SQLite file: queue order, FSRS golden values, undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import add_rows, card_row
from sqlalchemy import select

from quizapp.store.db import Database
from quizapp.store.schema import Review
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import CardNotFoundError, StudyService


def add_cards(db: Database, n: int, *, deck: str = "D", topic: tuple[str, ...] = ("T",)) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        card_row(
            f"{deck}-{i}",
            at=now,
            deck=deck,
            topic=list(topic),
            front=f"question {i}",
            back="answer",
            source=f"{deck}.md",
            line=i + 1,
            ordinal=i,
        )
        for i in range(n)
    ]
    add_rows(db, *rows)


@pytest.fixture
def svc(db: Database, clock: object) -> StudyService:
    return StudyService(db, now=clock, settings=StudySettings(enable_fuzzing=False))  # type: ignore[arg-type]


def test_fsrs_golden_values(db: Database, clock, svc: StudyService) -> None:
    add_cards(db, 1)
    start = clock.now
    expected = [
        # (when, rating) -> (state, due, stability, difficulty, lapses)
        ((start, 3), ("learning", start + timedelta(minutes=10), 2.3065, 2.1181, 0)),
        (
            (start + timedelta(minutes=10), 3),
            ("review", datetime(2026, 1, 3, 12, 10, tzinfo=UTC), 2.3065, 2.1112, 0),
        ),
        ((None, 3), ("review", datetime(2026, 1, 14, 12, 10, tzinfo=UTC), 10.971, 2.1043, 0)),
        ((None, 1), ("relearning", datetime(2026, 1, 14, 12, 20, tzinfo=UTC), 1.539, 7.39, 1)),
        ((None, 3), ("review", datetime(2026, 1, 16, 12, 20, tzinfo=UTC), 1.5718, 7.3778, 1)),
    ]
    for (when, rating), (state, due, stability, difficulty, lapses) in expected:
        current = svc.card("D-0")
        assert current is not None and current.due is not None
        clock.now = when or current.due
        svc.review("D-0", rating)
        card = svc.card("D-0")
        assert card is not None and card.stability is not None and card.difficulty is not None
        assert (card.state, card.due, card.lapses) == (state, due, lapses)
        assert round(card.stability, 4) == stability
        assert round(card.difficulty, 4) == difficulty
    assert svc.card("D-0").reviews == 5  # type: ignore[union-attr]


def test_preview_shows_the_interval_of_each_rating(db: Database, svc: StudyService) -> None:
    add_cards(db, 1)
    preview = svc.preview("D-0")
    assert preview == {
        1: timedelta(minutes=1),
        2: timedelta(minutes=5, seconds=30),
        3: timedelta(minutes=10),
        4: timedelta(days=8),
    }


def test_queue_order_learning_then_reviews_then_new(db: Database, clock, svc: StudyService) -> None:
    add_cards(db, 4)
    svc.review("D-0", 3)  # learning, due in 10 minutes
    svc.review("D-1", 4)  # review, due in 8 days
    assert [c.id for c in svc.queue()] == ["D-2", "D-3"]
    clock.now += timedelta(minutes=11)
    assert [c.id for c in svc.queue()] == ["D-0", "D-2", "D-3"]
    clock.now += timedelta(days=9)
    assert [c.id for c in svc.queue()] == ["D-0", "D-1", "D-2", "D-3"]
    assert svc.next_card().id == "D-0"  # type: ignore[union-attr]
    assert svc.next_card(exclude={"D-0"}).id == "D-1"  # type: ignore[union-attr]


def test_new_cards_per_day_limit(db: Database, clock) -> None:
    add_cards(db, 10)
    svc = StudyService(db, now=clock, settings=StudySettings(new_per_day=3, enable_fuzzing=False))
    assert svc.counts().new == 3
    for card in svc.queue():
        svc.review(card.id, 4)
    assert svc.counts().new == 0
    assert svc.next_card() is None
    clock.now += timedelta(days=1)
    assert svc.counts().new == 3


def test_learn_ahead_when_nothing_else_is_left(db: Database, clock, svc: StudyService) -> None:
    add_cards(db, 1)
    svc.review("D-0", 1)  # again: due in one minute
    nxt = svc.next_card()
    assert nxt is not None and nxt.id == "D-0"


def test_each_review_is_logged_with_its_details(db: Database, svc: StudyService) -> None:
    add_cards(db, 1)
    view = svc.review(
        "D-0",
        3,
        duration_ms=4200,
        answer="1,182,720",
        params={"m": 256, "n": 512},
        verdict="correct",
        auto=True,
    )
    with db.session(write=False) as s:
        row = s.scalars(select(Review)).one()
        assert (
            row.id,
            row.rating,
            row.duration_ms,
            row.answer,
            row.params,
            row.verdict,
            row.auto,
        ) == (
            view.id,
            3,
            4200,
            "1,182,720",
            {"m": 256, "n": 512},
            "correct",
            True,
        )
        assert row.introduced and row.scheduled and row.kind == "study"


def test_undo_restores_state_and_removes_the_log_row(
    db: Database, clock, svc: StudyService
) -> None:
    add_cards(db, 2)
    first = svc.review("D-0", 3)
    before = svc.card("D-0")
    clock.now += timedelta(minutes=10)
    second = svc.review("D-0", 3)
    undone = svc.undo(second.id)
    assert undone.status == "undone" and undone.card == before
    assert [r.rating for r in _reviews(db)] == [3]
    assert svc.undo(first.id).status == "undone"
    assert svc.card("D-0").state == "new"  # type: ignore[union-attr]
    assert _reviews(db) == []
    # An undone review has left the service's list: it is not undone twice.
    with pytest.raises(ValueError, match="not recorded by this service"):
        svc.undo(first.id)


def test_a_service_never_undoes_a_review_recorded_elsewhere(db: Database, clock) -> None:
    add_cards(db, 2)
    first = StudyService(db, now=clock)
    review = first.review("D-0", 3)
    first.review("D-1", 2)
    # Another session (or machine) never undoes a review it did not record.
    second = StudyService(db, now=clock)
    with pytest.raises(ValueError, match="not recorded by this service"):
        second.undo(review.id)
    assert len(_reviews(db)) == 2
    assert first.undo(review.id).status == "undone"


def test_interview_review_without_reschedule_leaves_schedule(
    db: Database, svc: StudyService
) -> None:
    add_cards(db, 1)
    before = svc.card("D-0")
    svc.review("D-0", 1, kind="interview", reschedule=False)
    assert svc.card("D-0") == before
    rows = _reviews(db)
    assert [(r.kind, r.scheduled) for r in rows] == [("interview", False)]


def test_bury_hides_a_card_until_tomorrow(db: Database, clock, svc: StudyService) -> None:
    add_cards(db, 2)
    svc.bury("D-0")
    assert [c.id for c in svc.queue()] == ["D-1"]
    clock.now += timedelta(days=1)
    assert [c.id for c in svc.queue()] == ["D-0", "D-1"]


def test_topic_filter_and_tree(db: Database, svc: StudyService) -> None:
    add_cards(db, 2, deck="NLP", topic=("RNN", "LSTM"))
    add_cards(db, 3, deck="CV", topic=("CNN",))
    assert {c.deck for c in svc.queue(topic="lstm")} == {"NLP"}
    assert len(svc.queue(topic="CV")) == 3
    assert svc.counts(topic="rnn").new == 2
    tree = svc.topic_tree()
    assert [(t.deck, t.topic, t.new, t.total) for t in tree] == [
        ("CV", ("CNN",), 3, 3),
        ("NLP", ("RNN", "LSTM"), 2, 2),
    ]


def test_unknown_card_and_bad_rating_are_refused(db: Database, svc: StudyService) -> None:
    add_cards(db, 1)
    with pytest.raises(CardNotFoundError):
        svc.review("nope", 3)
    with pytest.raises(ValueError, match="rating"):
        svc.review("D-0", 5)
    assert _reviews(db) == []


def _reviews(db: Database) -> list[Review]:
    with db.session(write=False) as s:
        return list(s.scalars(select(Review).order_by(Review.id)))
