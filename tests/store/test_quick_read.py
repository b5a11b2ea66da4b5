"""The first screen's read path (stdlib ``sqlite3``, no SQLAlchemy) and the study
service read the same queue: same cards in the same order, same counts, same tree.

Both run the SQL of ``quizapp.store.queue``; these tests hold them to it on a database
with every kind of card the queue distinguishes (the service on PostgreSQL too), and
check that the quick path steps aside (``None``) whenever it cannot be trusted, without
touching the file. The quick path exists for SQLite files only.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import card_row, review_row

from quizapp.store import queue as q
from quizapp.store.db import Database
from quizapp.store.quickread import quick_read
from quizapp.store.schema import Card, Meta
from quizapp.store.settings import SETTINGS, read_settings
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def _card(i: int, state: int, due: datetime, **extra: Any) -> Card:
    deck = extra.pop("deck", "Deck A")
    values: dict[str, Any] = {
        "deck": deck,
        "topic": ["Basics"],
        "front": f"question {i}",
        "back": f"answer {i}",
        "source": f"{deck}.md",
        "line": i + 1,
        "ordinal": i,
        "state": state,
        "step": 0 if state in (1, 3) else None,
        "stability": None if state == 0 else 2.5 + i,
        "difficulty": None if state == 0 else 5.0,
        "due": due,
        "last_review": None if state == 0 else due - timedelta(days=1),
        "reviews": 0 if state == 0 else 2,
        "lapses": 1 if state == 3 else 0,
    }
    values.update(extra)
    return card_row(f"c{i:02d}", at=datetime(2026, 1, 1, tzinfo=UTC), **values)


@pytest.fixture
def mixed(db: Database) -> Database:
    """Learning, relearning and review cards due and not, new cards in two decks and
    nested topics, buried and retired cards, a quiz card, and today's reviews."""
    m = timedelta(minutes=1)
    cards = [
        _card(0, 1, NOW - 5 * m),
        _card(1, 3, NOW - 30 * m, topic=["Basics", "Gates"]),
        _card(2, 1, NOW + 10 * m),  # learn-ahead only
        _card(3, 2, NOW - timedelta(days=2), topic=["Advanced"]),
        _card(4, 2, NOW - timedelta(days=1, microseconds=7)),
        _card(5, 2, NOW + timedelta(days=3)),
        _card(6, 2, NOW - timedelta(days=9), buried_until=NOW + timedelta(hours=5)),
        _card(7, 2, NOW - timedelta(days=9), buried_until=NOW - timedelta(hours=1)),
        _card(8, 2, NOW - timedelta(days=4), retired=True),
        _card(
            9,
            0,
            NOW,
            kind="quiz",
            quiz={"model": "gru_params", "ask": "GRU({m}, {n})?", "params": {}, "tolerance": None},
            parent="c10",
        ),
        *(_card(10 + i, 0, NOW, topic=["Basics", "Gates"]) for i in range(6)),
        *(_card(20 + i, 0, NOW, deck="Deck B", topic=["RNN 基础 · Basics"]) for i in range(5)),
    ]
    with db.session() as s:
        s.add_all(cards)
        s.add(Meta(key=SETTINGS["new-per-day"].meta_key, value=9))
        s.flush()
        for i, when in enumerate((NOW - timedelta(hours=2), NOW - timedelta(days=2))):
            s.add(review_row("c00", 3, at=when, scheduled=True, introduced=True, prev={"i": i}))
        s.add(review_row("c03", 3, at=NOW - 3 * m))
    return db


def _url(db: Database) -> str:
    return db.engine.url.render_as_string()


def _service(db: Database, now: datetime) -> StudyService:
    settings = StudySettings(enable_fuzzing=False, new_per_day=9)
    return StudyService(db, now=lambda: now, settings=settings)


def _quick(db: Database, now: datetime, **kwargs: Any) -> dict[str, Any]:
    with quick_read(_url(db)) as fetch:
        assert fetch is not None
        settings = read_settings(fetch)
        topic = kwargs.get("topic")
        return {
            "queue": q.queue(fetch, now, settings=settings, **kwargs),
            "next": q.next_card(fetch, now, settings=settings, topic=topic),
            "counts": q.counts(fetch, now, settings=settings, topic=topic),
            "tree": q.topic_tree(fetch, now, settings),
            "studied": q.studied_since(fetch, settings.day_start(now)),
        }


def _full(db: Database, now: datetime, **kwargs: Any) -> dict[str, Any]:
    svc = _service(db, now)
    topic = kwargs.get("topic")
    return {
        "queue": svc.queue(**kwargs),
        "next": svc.next_card(topic=topic),
        "counts": svc.counts(topic),
        "tree": svc.topic_tree(),
        "studied": svc.reviewed_today(),
    }


sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


@sqlite_only
@pytest.mark.parametrize("topic", [None, "deck a", "Gates", "rnn", "Deck A › Basics", "none"])
@pytest.mark.parametrize("limit", [None, 1, 4])
def test_quick_and_full_paths_read_the_same_queue(
    mixed: Database, topic: str | None, limit: int | None
) -> None:
    quick = _quick(mixed, NOW, topic=topic, limit=limit)
    assert quick == _full(mixed, NOW, topic=topic, limit=limit)


def test_the_shared_queue_is_the_documented_order(mixed: Database, backend: str) -> None:
    got = _full(mixed, NOW)
    if backend == "sqlite":
        assert _quick(mixed, NOW) == got
    # learning/relearning due by due time, reviews due by due time (the buried card
    # whose day is over comes back), then new cards in deck order up to the 9 - 1
    # introduced today; retired, buried and not-yet-due cards stay out.
    assert [c.id for c in got["queue"]] == [
        "c01", "c00", "c07", "c03", "c04",
        "c09", "c10", "c11", "c12", "c13", "c14", "c15", "c20",
    ]  # fmt: skip
    assert got["next"].id == "c01"
    assert got["counts"] == q.Counts(
        8, 2, 3, new_uncapped=12, due_uncapped=3, new_limit=9, due_limit=200
    )
    assert got["studied"] == 2
    tree = {(t.deck, t.topic): (t.new, t.learning, t.due, t.total) for t in got["tree"]}
    assert tree == {
        ("Deck A", ("Advanced",)): (0, 0, 1, 1),
        ("Deck A", ("Basics",)): (1, 1, 2, 6),  # c06 is buried: not counted at all
        ("Deck A", ("Basics", "Gates")): (6, 1, 0, 7),
        ("Deck B", ("RNN 基础 · Basics",)): (5, 0, 0, 5),
    }
    assert got["next"].quiz is None
    quiz = next(c for c in got["queue"] if c.kind == "quiz")
    assert quiz.quiz is not None and quiz.quiz.model == "gru_params"
    assert quiz.due == NOW and quiz.parent == "c10"


@sqlite_only
def test_learn_ahead_and_the_new_card_cap_agree(mixed: Database) -> None:
    later = NOW + timedelta(minutes=1)
    # Everything due studied: only the learning card due within 20 minutes is left.
    with mixed.session() as s:
        for card in s.query(Card).filter(Card.id != "c02"):
            card.retired = True
        s.add(Meta(key="unrelated", value={"a": [1]}))
    quick, full = _quick(mixed, later), _full(mixed, later)
    assert quick == full
    assert [c.id for c in quick["queue"]] == ["c02"] and quick["next"].id == "c02"
    assert _quick(mixed, NOW - timedelta(hours=1))["next"] is None


@sqlite_only
def test_every_stored_time_compares_as_the_orm_stores_it(mixed: Database) -> None:
    # The text the ORM writes for a time is the text the SQL's :now is compared with.
    raw = sqlite3.connect(mixed.engine.url.database)
    (stored,) = raw.execute("SELECT due FROM cards WHERE id = 'c04'").fetchone()
    raw.close()
    assert stored == q.sqlite_time(NOW - timedelta(days=1, microseconds=7))
    assert q.sqlite_time(datetime(2026, 1, 1, 12, tzinfo=UTC)) == "2026-01-01 12:00:00.000000"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@sqlite_only
def test_the_quick_path_steps_aside_when_it_cannot_be_trusted(
    tmp_path: Path, mixed: Database
) -> None:
    assert _quick(mixed, NOW)["next"] is not None
    missing = tmp_path / "new.db"
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE cards (id TEXT)")
    con.commit()
    con.close()
    before = _digest(foreign)
    listing = sorted(tmp_path.iterdir())
    for url in (
        f"sqlite:///{missing}",
        f"sqlite:///{foreign}",
        "sqlite:///:memory:",
        "sqlite://",
        f"sqlite:///{mixed.engine.url.database}?mode=ro",
        "postgresql+psycopg://u@localhost/quiz",
    ):
        with quick_read(url) as fetch:
            assert fetch is None, url
    assert not missing.exists()
    assert _digest(foreign) == before
    # Not even a write-ahead log beside another program's file.
    assert sorted(tmp_path.iterdir()) == listing

    # A database that needs a migration takes the full path, which migrates it.
    older = tmp_path / "older.db"
    con = sqlite3.connect(older)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("INSERT INTO alembic_version VALUES ('0000')")
    con.commit()
    con.close()
    with quick_read(f"sqlite:///{older}") as fetch:
        assert fetch is None


@sqlite_only
def test_a_writer_holding_the_lock_does_not_stop_the_quick_read(mixed: Database) -> None:
    # Another process in the middle of a write transaction: readers see the last commit.
    path = mixed.engine.url.database
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sqlite3, sys
                con = sqlite3.connect({path!r}, isolation_level=None)
                con.execute("BEGIN IMMEDIATE")
                con.execute("UPDATE cards SET state = 0 WHERE id = 'c01'")
                print("locked", flush=True)
                sys.stdin.read()
                con.execute("ROLLBACK")
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        got = _quick(mixed, NOW)
        assert got["next"].id == "c01"
        assert got["counts"] == q.Counts(
            8, 2, 3, new_uncapped=12, due_uncapped=3, new_limit=9, due_limit=200
        )
    finally:
        holder.communicate("", timeout=30)
