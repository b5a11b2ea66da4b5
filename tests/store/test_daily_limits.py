"""Daily study as a user meets it: limits that are counted, named and liftable, siblings
buried for the day, suspended cards kept out, and undo taking back skips too."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from factories import add_rows, card_row

from quizapp.store.db import Database
from quizapp.store.settings_db import save_setting
from quizapp.store.sync import sync_decks
from quizapp.study.engine import Prompt, SessionEnd, StudySession
from quizapp.study.interview.plan import plan_interview
from quizapp.study.service import StudyService

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


@pytest.fixture
def no_decks(tmp_path: Path) -> Path:
    """A deck folder with no files: the cards are the ones the test adds."""
    folder = tmp_path / "no-decks"
    folder.mkdir()
    return folder


def quizapp(*args: str, db: str, deck: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run quizapp on the database ``db`` and the deck folder ``deck``."""
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", db, "--deck", str(deck), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _new_cards(db: Database, n: int) -> None:
    add_rows(db, *(card_row(f"n{i}", ordinal=i, front=f"new {i}") for i in range(n)))


def _review_cards(db: Database, n: int) -> None:
    due = NOW - timedelta(days=1)
    add_rows(
        db,
        *(
            card_row(
                f"r{i}",
                state=2,
                step=None,
                stability=5.0,
                difficulty=5.0,
                due=due,
                last_review=due - timedelta(days=5),
                reviews=3,
            )
            for i in range(n)
        ),
    )


def test_counts_are_capped_by_todays_limits_with_the_totals_beside(db: Database) -> None:
    _new_cards(db, 40)
    _review_cards(db, 5)
    save_setting(db, "new-per-day", "20")
    save_setting(db, "reviews-per-day", "3")
    svc = StudyService(db, now=lambda: NOW)
    counts = svc.counts()
    assert (counts.new, counts.due, counts.new_uncapped, counts.due_uncapped) == (20, 3, 40, 5)
    assert (counts.new_held_back, counts.due_held_back) == (20, 2)
    [row] = svc.topic_tree()
    assert (row.new, row.due, row.new_uncapped, row.due_uncapped, row.total) == (20, 3, 40, 5, 45)


def test_the_reviews_limit_ends_reviews_and_counts_only_due_reviews(db: Database) -> None:
    _new_cards(db, 2)
    _review_cards(db, 4)
    save_setting(db, "reviews-per-day", "2")
    save_setting(db, "new-per-day", "1")
    svc = StudyService(db, now=lambda: NOW)
    session = StudySession(svc, rng=random.Random(1))
    studied = []
    step = session.next()
    while isinstance(step, Prompt):
        studied.append(step.card.id)
        step = session.rate_and_next(step, 3, seconds=5)
    # two reviews, then the one new card allowed; its learning steps don't count
    assert studied[:3] == ["r0", "r1", "n0"]
    assert isinstance(step, SessionEnd)
    assert (step.counts.due, step.counts.due_held_back, step.counts.new_held_back) == (0, 2, 1)


def test_line_mode_names_the_limit_and_extra_new_lifts_it(
    db_url: str, db: Database, no_decks: Path
) -> None:
    _new_cards(db, 5)
    save_setting(db, "new-per-day", "2")
    save_setting(db, "learning-steps", "none")  # Good makes a new card a review at once
    first = quizapp("study", "--plain", db=db_url, deck=no_decks, stdin="\n3\n\n3\n")
    assert first.returncode == 0, first.stderr
    assert (
        "Daily limit of 2 new cards reached; 3 more waiting. "
        "`quizapp study --plain --extra-new 10` gives 10 more today, or "
        "`quizapp config set new-per-day 12`." in first.stdout
    )
    more = quizapp("study", "--plain", "--extra-new", "1", db=db_url, deck=no_decks, stdin="q\n")
    assert more.stdout.startswith("1 more new card today: today's limit is 3.")
    assert StudyService(db).counts().new == 1


def test_nothing_to_study_because_of_a_limit_says_which(
    db_url: str, db: Database, no_decks: Path
) -> None:
    _new_cards(db, 3)
    save_setting(db, "new-per-day", "0")
    run = quizapp("study", "--plain", db=db_url, deck=no_decks)
    assert "Daily limit of 0 new cards reached; 3 more waiting." in run.stdout
    assert "Nothing to study now" not in run.stdout


# -- siblings ------------------------------------------------------------------------


SIBLINGS = """\
# Deck

## RNN

Fill in: {{c1::tanh}} squashes, {{c2::sigmoid}} gates.
"""

TWO_WAY = """\
---
tags: [flashcards]
---

GRU:::gated recurrent unit
"""


@pytest.fixture
def sibling_deck(tmp_path: Path, db: Database) -> Database:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "clozes.md").write_text(SIBLINGS, "utf-8")
    (deck / "osr.md").write_text(TWO_WAY, "utf-8")
    sync_decks(db, [deck], now=NOW - timedelta(days=1))
    return db


def _walk(svc: StudyService) -> list[str]:
    """Study every card shown now (rating Good) and return their fronts in order."""
    session = StudySession(svc, rng=random.Random(3))
    shown = []
    step = session.next()
    while isinstance(step, Prompt):
        if step.card.state == "new":
            shown.append(step.question.splitlines()[-1])
        step = session.rate_and_next(step, 3, seconds=4)
    return shown


def test_siblings_wait_for_the_next_day(sibling_deck: Database) -> None:
    clock = {"now": NOW}
    svc = StudyService(sibling_deck, now=lambda: clock["now"])
    assert svc.counts().new == 4
    first_day = _walk(svc)
    # one cloze of the note and one direction of the two-way card
    assert len(first_day) == 2
    clock["now"] = NOW + timedelta(days=1)
    second_day = _walk(svc)
    assert len(second_day) == 2 and not set(first_day) & set(second_day)


def test_siblings_are_shown_the_same_day_when_burying_is_off(sibling_deck: Database) -> None:
    save_setting(sibling_deck, "bury-siblings", "off")
    svc = StudyService(sibling_deck, now=lambda: NOW)
    assert len(_walk(svc)) == 4


# -- suspend ---------------------------------------------------------------------------


def test_a_suspended_card_stays_out_of_study_and_interviews(
    db_url: str, db: Database, no_decks: Path
) -> None:
    _new_cards(db, 3)
    run = quizapp("cards", "--no-sync", "--suspend", "n0", "n2", db=db_url, deck=no_decks)
    assert run.returncode == 0, run.stderr
    assert "suspended: n0" in run.stdout
    svc = StudyService(db)
    assert [c.id for c in svc.queue()] == ["n1"]
    planned = plan_interview(svc, questions=5, rng=random.Random(0))
    assert [q.card.id for q in planned] == ["n1"]
    listed = quizapp("cards", "--no-sync", db=db_url, deck=no_decks)
    assert "(suspended)" in listed.stdout
    quizapp("cards", "--no-sync", "--unsuspend", "n0", db=db_url, deck=no_decks)
    assert [c.id for c in StudyService(db).queue()] == ["n0", "n1"]


def test_suspending_an_unknown_card_changes_nothing(
    db_url: str, db: Database, no_decks: Path
) -> None:
    _new_cards(db, 2)
    run = quizapp("cards", "--no-sync", "--suspend", "n0", "nope", db=db_url, deck=no_decks)
    assert run.returncode == 1
    assert "no card with id nope; nothing changed" in run.stderr
    assert len(StudyService(db).queue()) == 2


# -- undo covers skips ------------------------------------------------------------------


def test_undo_takes_back_a_skip_before_the_rating_before_it(db: Database) -> None:
    _new_cards(db, 3)
    svc = StudyService(db, now=lambda: NOW)
    session = StudySession(svc, rng=random.Random(0))
    first = session.next()
    assert isinstance(first, Prompt) and first.card.id == "n0"
    second = session.rate_and_next(first, 3, seconds=3)
    assert isinstance(second, Prompt) and second.card.id == "n1"
    session.skip("n1")
    back = session.undo()
    assert isinstance(back, Prompt) and back.card.id == "n1"
    assert svc.card("n0").reviews == 1  # type: ignore[union-attr]
    assert "n1" in [c.id for c in svc.queue()]
    again = session.undo()
    assert isinstance(again, Prompt) and again.card.id == "n0"
    assert svc.card("n0").reviews == 0  # type: ignore[union-attr]
    assert session.undo() is None
