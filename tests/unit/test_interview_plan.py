"""Planning a mock interview on a hand-built database: topic coverage, weak cards first."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_rows, card_row, review_row

from quizapp.deckfile.types import QuizSpec
from quizapp.store.convert import quiz_to_json
from quizapp.store.db import Database
from quizapp.store.queries import list_cards
from quizapp.study.interview.plan import (
    NEW_WEIGHT,
    Weakness,
    card_weight,
    load_weakness,
    plan_interview,
)
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
GRU = QuizSpec("gru_params", "GRU({m}, {n})?", {"m": ("fixed", 8), "n": ("fixed", 16)})


def add_card(
    db: Database,
    card_id: str,
    *,
    deck: str = "D",
    topic: tuple[str, ...] = ("T",),
    strength: str = "new",
    kind: str = "basic",
    parent: str | None = None,
    retired: bool = False,
) -> None:
    """A card that is new, ``strong`` (reviewed yesterday, stable for a year) or
    ``weak`` (last seen two months ago with a one-day stability)."""
    sched: dict[str, object] = {"state": 0, "due": NOW, "reviews": 0}
    if strength == "strong":
        sched = {
            "state": 2,
            "stability": 400.0,
            "difficulty": 4.0,
            "last_review": NOW - timedelta(days=1),
            "due": NOW + timedelta(days=300),
            "reviews": 6,
        }
    elif strength == "weak":
        sched = {
            "state": 2,
            "stability": 1.0,
            "difficulty": 8.0,
            "last_review": NOW - timedelta(days=60),
            "due": NOW - timedelta(days=59),
            "reviews": 3,
        }
    add_rows(
        db,
        card_row(
            card_id,
            at=NOW,
            deck=deck,
            topic=list(topic),
            front=f"question {card_id}",
            back=f"answer {card_id}",
            kind=kind,
            quiz=quiz_to_json(GRU) if kind == "quiz" else None,
            parent=parent,
            source=f"{deck}.md",
            retired=retired,
            **sched,
        ),
    )


@pytest.fixture
def svc(db: Database) -> StudyService:
    return StudyService(db, now=lambda: NOW, settings=StudySettings(enable_fuzzing=False))


def plan_ids(svc: StudyService, n: int, seed: int, topics: list[str] | None = None) -> list[str]:
    return [
        q.card.id for q in plan_interview(svc, questions=n, topics=topics, rng=random.Random(seed))
    ]


def four_topics(db: Database) -> None:
    for deck in ("NLP", "Vision"):
        for heading in ("Basics", "Models"):
            for i in range(5):
                add_card(db, f"{deck}-{heading}-{i}", deck=deck, topic=(heading, "Sub"))


def test_card_weight_values() -> None:
    assert card_weight(Weakness(None)) == NEW_WEIGHT == 0.5
    assert card_weight(Weakness(1.0)) == pytest.approx(0.05)
    assert card_weight(Weakness(0.25)) == pytest.approx(0.8)
    assert card_weight(Weakness(0.25, recent_fails=2)) == pytest.approx(1.3)
    # the bonus for recent failures stops at four of them
    assert card_weight(Weakness(None, recent_fails=10)) == pytest.approx(1.5)


def test_every_top_level_topic_is_covered_when_n_allows(db: Database, svc: StudyService) -> None:
    four_topics(db)
    for seed in range(30):
        plan = plan_interview(svc, questions=4, rng=random.Random(seed))
        assert sorted(q.topic for q in plan) == [
            "NLP › Basics",
            "NLP › Models",
            "Vision › Basics",
            "Vision › Models",
        ]
        assert all(q.card.id.startswith(q.topic.replace(" › ", "-")) for q in plan)
        six = plan_interview(svc, questions=6, rng=random.Random(seed))
        assert len({q.topic for q in six}) == 4 and len({q.card.id for q in six}) == 6


def test_fewer_questions_than_topics_covers_distinct_weak_topics_first(
    db: Database, svc: StudyService
) -> None:
    for i in range(4):
        add_card(db, f"weak-{i}", deck="Weak", strength="weak")
        add_card(db, f"strong-{i}", deck="Strong", strength="strong")
        add_card(db, f"new-{i}", deck="New")
    picks: Counter[str] = Counter()
    for seed in range(200):
        plan = plan_interview(svc, questions=2, rng=random.Random(seed))
        assert len({q.topic for q in plan}) == 2
        picks.update(q.card.deck for q in plan)
    # weak (mean weight ~1) > new (0.5) > strong (0.05)
    assert picks["Weak"] > picks["New"] > picks["Strong"]
    assert picks["Weak"] >= 170


def test_draws_lean_toward_weak_cards(db: Database, svc: StudyService) -> None:
    for i in range(10):
        add_card(db, f"weak-{i}", strength="weak")
        add_card(db, f"strong-{i}", strength="strong")
    # the hand-built states are what they claim: weak cards are overdue, strong ones are not
    assert [c.id for c in svc.queue()] == [f"weak-{i}" for i in range(10)]
    r = {c: w.retrievability for c, w in load_weakness(svc, list_cards(db)).items()}
    assert r["weak-0"] is not None and r["weak-0"] < 0.6
    assert r["strong-0"] is not None and r["strong-0"] > 0.99

    picks: Counter[str] = Counter()
    for seed in range(200):
        picks.update(i.split("-")[0] for i in plan_ids(svc, 5, seed))
    assert picks["weak"] + picks["strong"] == 1000
    assert picks["weak"] > 850
    assert picks["strong"] > 0  # known cards still come up now and then


def test_recent_failures_raise_the_weight(db: Database, svc: StudyService) -> None:
    add_card(db, "failed")
    add_card(db, "failed-long-ago")
    add_card(db, "fresh")
    add_rows(
        db,
        *(
            review_row(
                "failed", 1, at=NOW - timedelta(days=days), kind="interview", scheduled=False
            )
            for days in (1, 5, 20)
        ),
        review_row("failed", 3, at=NOW, kind="interview"),
        review_row("failed-long-ago", 1, at=NOW - timedelta(days=40)),
    )
    weakness = load_weakness(svc, list_cards(db))
    assert weakness["failed"] == Weakness(None, recent_fails=3)
    assert weakness["failed-long-ago"] == Weakness(None, recent_fails=0)

    firsts = Counter(plan_ids(svc, 1, seed)[0] for seed in range(300))
    # weights 1.25 : 0.5 : 0.5
    assert firsts["failed"] > 160
    assert firsts["failed-long-ago"] > 40 and firsts["fresh"] > 40


def test_topic_filters_choose_the_topics(db: Database, svc: StudyService) -> None:
    four_topics(db)
    add_card(db, "other", deck="Other", topic=("Basics",))
    for seed in range(20):
        plan = plan_interview(
            svc, questions=3, topics=["vision", "NLP › Models"], rng=random.Random(seed)
        )
        assert len(plan) == 3
        assert {q.topic for q in plan} == {"vision", "NLP › Models"}
        for q in plan:
            expected = "vision" if q.card.deck == "Vision" else "NLP › Models"
            assert q.topic == expected
            assert q.card.deck == "Vision" or q.card.topic[0] == "Models"


def test_one_card_per_family(db: Database, svc: StudyService) -> None:
    add_card(db, "gru")
    for i in (1, 2, 3):
        add_card(db, f"gru/quiz-{i}", kind="quiz", parent="gru")
    for i in (1, 2):
        add_card(db, f"note/c{i}", kind="cloze")
    add_card(db, "alone")
    for seed in range(30):
        ids = plan_ids(svc, 10, seed)
        assert len(ids) == 4
        assert sum(i.startswith("gru/quiz-") for i in ids) == 1
        assert sum(i.startswith("note/") for i in ids) == 1
        assert {"gru", "alone"} <= set(ids)


def test_seeded_plans_repeat_and_retired_cards_stay_out(db: Database, svc: StudyService) -> None:
    four_topics(db)
    add_card(db, "retired", deck="NLP", topic=("Basics",), retired=True)
    first = plan_interview(svc, questions=8, rng=random.Random(7))
    again = plan_interview(svc, questions=8, rng=random.Random(7))
    assert [(q.position, q.card.id, q.topic) for q in first] == [
        (q.position, q.card.id, q.topic) for q in again
    ]
    assert [q.position for q in first] == list(range(1, 9))
    orders = {tuple(plan_ids(svc, 8, seed)) for seed in range(5)}
    assert len(orders) > 1
    everything = {i for seed in range(40) for i in plan_ids(svc, 20, seed)}
    assert "retired" not in everything
    assert len(everything) == 20


def test_fewer_cards_than_questions(db: Database, svc: StudyService) -> None:
    add_card(db, "a")
    add_card(db, "b", deck="E")
    assert sorted(plan_ids(svc, 10, 0)) == ["a", "b"]
    assert plan_ids(svc, 10, 0, topics=["nothing like this"]) == []
