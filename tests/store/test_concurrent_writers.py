"""Several writers on one database at the same instant, each with its own connection
(as several machines sharing a PostgreSQL database, or several processes on one SQLite
file): no review is lost, no card is synced twice, no history is imported twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from fsrs import Rating
from sqlalchemy import func, select

from quizapp.store.db import open_db
from quizapp.store.errors import DatabaseBusyError
from quizapp.store.schema import Card, Review
from quizapp.store.sync import sync_decks
from quizapp.study.reviews_csv import import_reviews, read_reviews_csv
from quizapp.study.scheduler import StudySettings, from_fsrs, to_fsrs
from quizapp.study.service import StudyService

WRITERS = 4
REVIEWS_EACH = 10
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T = TypeVar("T")


def all_at_once(jobs: list[Callable[[], T]]) -> list[T | BaseException]:
    """Run ``jobs`` in threads released together; their results or exceptions."""
    gate = threading.Barrier(len(jobs))
    results: list[T | BaseException] = [RuntimeError("did not run")] * len(jobs)

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = jobs[i]()
        except BaseException as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def deck(cards: int) -> str:
    lines = ["# Shared", ""]
    for i in range(cards):
        lines += [f"## Question {i}?", "", f"Answer {i}, with a few words more.", ""]
    return "\n".join(lines)


def test_four_writers_rating_one_card_lose_no_update(
    db_url: str, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("shared.md", deck(3))
    first = open_db(db_url)
    sync_decks(first, [path], now=NOW)
    with first.session(write=False) as s:
        card_id = s.scalars(select(Card.id).order_by(Card.ordinal)).first()
    assert card_id is not None
    settings = StudySettings(enable_fuzzing=False)
    databases = [open_db(db_url) for _ in range(WRITERS)]
    services = [StudyService(d, now=lambda: NOW, settings=settings) for d in databases]

    def rate_ten(svc: StudyService) -> Callable[[], int]:
        def run() -> int:
            for _ in range(REVIEWS_EACH):
                svc.review(card_id, 3)
            return REVIEWS_EACH

        return run

    try:
        results = all_at_once([rate_ten(svc) for svc in services])
        assert results == [REVIEWS_EACH] * WRITERS
        with first.session(write=False) as s:
            card = s.get_one(Card, card_id)
            logged = s.scalar(select(func.count()).where(Review.card_id == card_id))
            before = [r.prev["reviews"] for r in s.scalars(select(Review).order_by(Review.id))]
        total = WRITERS * REVIEWS_EACH
        assert logged == total
        assert card.reviews == total
        # Each review started from the state the one before it left: the counters the
        # reviews saw (for undo) are 0, 1, ..., 39 -- no two read the same state.
        assert sorted(before) == list(range(total))
        # ... and the card's FSRS state is forty Good ratings in a row.
        sched = settings.scheduler(fuzz=False)
        state = to_fsrs(state=1, step=0, stability=None, difficulty=None, due=NOW, last_review=None)
        for _ in range(total):
            state, _ = sched.review_card(state, Rating.Good, NOW)
        expected = from_fsrs(state)
        assert {f: getattr(card, f) for f in expected} == expected
    finally:
        for d in (first, *databases):
            d.close()


def test_two_syncs_at_once_make_one_set_of_cards(
    db_url: str, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("big.md", deck(600))
    open_db(db_url).close()  # created and migrated: the race is the sync, not the schema
    databases = [open_db(db_url) for _ in range(2)]
    try:
        results = all_at_once([lambda d=d: sync_decks(d, [path]) for d in databases])
        # One waited for the other (and found nothing to do), or gave up "busy".
        for r in results:
            assert not isinstance(r, BaseException) or isinstance(r, DatabaseBusyError), r
        done = [r for r in results if not isinstance(r, BaseException)]
        assert sorted(r.added for r in done)[-1] == 600
        assert sum(r.added for r in done) == 600
        with databases[0].session(write=False) as s:
            assert s.scalar(select(func.count()).select_from(Card)) == 600
    finally:
        for d in databases:
            d.close()


def test_importing_one_history_twice_at_once_imports_it_once(db_url: str, tmp_path: Path) -> None:
    rows = ["card_id,rating,review_time,review_duration"]
    for card in range(300):
        for day in range(1, 5):
            rows.append(f"c{card},3,2025-0{day}-0{day}T10:00:00Z,1500")
    history = tmp_path / "history.csv"
    history.write_text("\n".join(rows) + "\n", encoding="utf-8")
    reviews = read_reviews_csv(history)
    open_db(db_url).close()
    databases = [open_db(db_url) for _ in range(2)]
    try:
        results = all_at_once(
            [lambda d=d: import_reviews(d, reviews, source=str(history)) for d in databases]
        )
        for r in results:
            assert not isinstance(r, BaseException) or isinstance(r, DatabaseBusyError), r
        done = [r for r in results if not isinstance(r, BaseException)]
        assert max(r.imported for r in done) == 1200
        assert sum(r.imported for r in done) == 1200
        with databases[0].session(write=False) as s:
            assert s.scalar(select(func.count()).select_from(Review)) == 1200
            assert s.scalar(select(func.count()).select_from(Card)) == 300
            assert set(s.scalars(select(Card.reviews))) == {4}
    finally:
        for d in databases:
            d.close()


def test_undo_never_throws_away_a_later_review_from_elsewhere(
    db_url: str, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("shared.md", deck(2))
    laptop, desktop = open_db(db_url), open_db(db_url)
    try:
        sync_decks(laptop, [path], now=NOW)
        settings = StudySettings(enable_fuzzing=False)
        here = StudyService(laptop, now=lambda: NOW, settings=settings)
        there = StudyService(desktop, now=lambda: NOW, settings=settings)
        card_id = here.queue()[0].id
        mine = here.review(card_id, 1)
        theirs = there.review(card_id, 4)
        # The laptop's undo would restore the card from before its own review, losing
        # the desktop's Easy: it is refused, and both reviews stay.
        refused = here.undo(mine.id)
        assert refused.status == "reviewed_since"
        card = here.card(card_id)
        assert card is not None and card.reviews == 2
        with laptop.session(write=False) as s:
            assert s.scalar(select(func.count()).select_from(Review)) == 2
        # The desktop's own undo (of the newest review) works.
        undone = there.undo(theirs.id)
        assert undone.status == "undone" and undone.card is not None
        assert undone.card.reviews == 1
    finally:
        laptop.close()
        desktop.close()


def test_a_writer_held_up_too_long_is_told_busy_not_left_hanging(
    db_url: str, write_deck: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_deck("shared.md", deck(3))
    first = open_db(db_url)
    sync_decks(first, [path], now=NOW)
    card_id = StudyService(first, now=lambda: NOW).queue()[0].id
    monkeypatch.setenv("QUIZAPP_BUSY_TIMEOUT_MS", "300")
    late = open_db(db_url)
    svc = StudyService(late, now=lambda: NOW)
    try:
        # Another writer is in the middle of rating the card (holding its row lock on
        # PostgreSQL, the write lock on SQLite) and does not finish.
        with first.session() as s:
            s.scalars(select(Card).where(Card.id == card_id).with_for_update()).one()
            t0 = time.monotonic()
            with pytest.raises(DatabaseBusyError, match=r"busy .* try again"):
                svc.review(card_id, 3)
            assert time.monotonic() - t0 >= 0.3
            path.write_text(deck(4), encoding="utf-8")
            with pytest.raises(DatabaseBusyError):
                sync_decks(late, [path])
        # Once it is done, the same review goes through.
        assert svc.review(card_id, 3).rating == 3
    finally:
        first.close()
        late.close()
