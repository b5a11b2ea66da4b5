"""One engine behind every front-end: the same keys in line mode and in the app give the
same verdicts and the same review log; a card that cannot be drawn is skipped, not fatal."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta
from pathlib import Path

from factories import add_rows, card_row

from quizapp.cli.plain import LineIO, run_study
from quizapp.store.db import open_db
from quizapp.store.schema import Card
from quizapp.store.sync import sync_decks
from quizapp.study.engine import StudySession
from quizapp.study.options import InterviewOptions, StudyOptions
from quizapp.study.service import StudyService
from quizapp.tui.screens.interview import InterviewScreen
from tui.apptest import (
    GATE,
    NOW,
    SEED,
    SIZE,
    AppFactory,
    reviews,
    run,
    screen_text,
    wait_for_phase,
    wait_until,
)

#: what the user answers, card by card in study order: a rating key for a card that is
#: revealed ("" is Enter: Good), or (typed answer, rating key) for the computational one
ANSWERS: list[str | tuple[str, str]] = ["1", "2", "", "4", "3", "", "2", ("12", "")]
#: the verdict line and the reference answer as the grade panel shows them
VERDICT = re.compile(r"│ ([✓✗~] [^│]*?|answer: +[^│]*?)\s*│")


def review_rows(db_url: str) -> list[tuple[object, ...]]:
    """The review log without its ids and durations (those depend on the run)."""
    return [
        (r.card_id, r.rating, r.kind, r.auto, r.scheduled, r.answer, r.params, r.verdict)
        for r in reviews(db_url)
    ]


def line_mode(db_url: str, deck: Path) -> tuple[str, list[tuple[object, ...]]]:
    db = open_db(db_url)
    try:
        sync_decks(db, [deck])
        typed: list[str] = []
        for answer in ANSWERS:
            if isinstance(answer, tuple):
                typed += list(answer)
            else:
                typed += ["", answer]  # Enter reveals, then the rating
        session = StudySession(
            StudyService(db, now=lambda: NOW),
            StudyOptions(limit=len(ANSWERS)),
            rng=random.Random(SEED),
        )
        out = io.StringIO()
        run_study(session, LineIO(io.StringIO("\n".join(typed) + "\n"), out))
    finally:
        db.close()
    return out.getvalue(), review_rows(db_url)


def test_line_mode_and_the_app_record_the_same_reviews(
    new_app: AppFactory, db_url: str, deck: Path, tmp_path: Path
) -> None:
    plain_out, plain_rows = line_mode(f"sqlite:///{tmp_path / 'plain.db'}", deck)
    app = new_app(limit=len(ANSWERS))
    verdicts: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            for answer in ANSWERS:
                await wait_for_phase(pilot, "question", "typing")
                if isinstance(answer, tuple):
                    assert app.screen.phase == "typing"  # type: ignore[attr-defined]
                    await pilot.press(*answer[0], "enter")
                    await wait_for_phase(pilot, "graded")
                    verdicts.extend(VERDICT.findall(screen_text(app)))
                    key = answer[1]
                else:
                    await pilot.press("space")
                    await wait_for_phase(pilot, "answer")
                    key = answer
                await pilot.press(key or "enter")
            await wait_for_phase(pilot, "done")

    run(scenario())
    app_rows = review_rows(db_url)
    assert len(app_rows) == len(ANSWERS)
    assert app_rows == plain_rows
    assert [r[1] for r in app_rows] == [1, 2, 3, 4, 3, 3, 2, 1]
    assert app_rows[-1][5:] == ("12", app_rows[-1][6], "wrong") and app_rows[-1][3] is True
    assert verdicts[0].startswith("✗ wrong —") and verdicts[1].startswith("answer: ")
    # (line mode prints the verdict right after the echo-less "answer> " prompt)
    assert f"answer> {verdicts[0]}\n" in plain_out
    assert "\n" + " ".join(verdicts[1].split()) + "\n" in plain_out


def add_undrawable_card(db_url: str, deck: Path) -> None:
    """Sync the fixture deck, then add a learning card (due first) whose quiz block
    cannot produce a question: its range holds no whole number."""
    db = open_db(db_url)
    try:
        sync_decks(db, [deck])
        add_rows(
            db,
            card_row(
                "broken/quiz-1",
                at=NOW,
                deck="Elsewhere",
                topic=["Broken"],
                front="A quiz that cannot be drawn",
                kind="quiz",
                quiz={
                    "model": "gru_params",
                    "ask": "nn.GRU({m}, {n})?",
                    "params": {"m": ["range", 8.2, 8.7], "n": ["fixed", 16]},
                    "tolerance": None,
                },
                parent="broken",
                source="/decks/elsewhere.md",
                line=12,
                state=1,
                stability=1.0,
                difficulty=5.0,
                due=NOW - timedelta(minutes=5),
                last_review=NOW - timedelta(minutes=10),
                reviews=1,
            ),
        )
    finally:
        db.close()


def buried_until(db_url: str, card_id: str) -> object:
    db = open_db(db_url)
    try:
        with db.session(write=False) as s:
            card = s.get(Card, card_id)
            assert card is not None
            return card.buried_until
    finally:
        db.close()


def test_an_undrawable_card_is_skipped_and_the_app_goes_on(
    new_app: AppFactory, db_url: str, deck: Path
) -> None:
    add_undrawable_card(db_url, deck)
    app = new_app(sync=False)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "question", "typing")
            assert GATE in screen_text(app)
            notes = [n.message for n in app._notifications]
            assert any(
                "cannot be asked (/decks/elsewhere.md:12:" in n and "skipped until tomorrow" in n
                for n in notes
            ), notes
            # The session goes on as usual.
            await pilot.press("space")
            await wait_for_phase(pilot, "answer")
            await pilot.press("3")
            await wait_until(pilot, lambda: len(reviews(db_url)) == 1, what="the rating")
            await wait_for_phase(pilot, "question", "typing")
            assert app.is_running

    run(scenario())
    assert app.return_code in (None, 0)
    assert buried_until(db_url, "broken/quiz-1") is not None
    assert [r.card_id for r in reviews(db_url)] == ["tui-gru-gate"]


def test_line_mode_skips_an_undrawable_card_with_one_line(db_url: str, deck: Path) -> None:
    add_undrawable_card(db_url, deck)
    db = open_db(db_url)
    try:
        session = StudySession(StudyService(db, now=lambda: NOW), StudyOptions(limit=1))
        out = io.StringIO()
        run_study(session, LineIO(io.StringIO("\n3\n"), out))
    finally:
        db.close()
    lines = out.getvalue().splitlines()
    skipped = [line for line in lines if "cannot be asked" in line]
    assert len(skipped) == 1 and skipped[0].startswith("✗ this card cannot be asked (")
    assert "/decks/elsewhere.md:12:" in skipped[0]
    assert "Session over: 1 card reviewed." in lines
    assert [r.card_id for r in reviews(db_url)] == ["tui-gru-gate"]


def test_an_interview_leaves_out_an_undrawable_card_and_says_so(
    new_app: AppFactory, db_url: str, deck: Path
) -> None:
    add_undrawable_card(db_url, deck)
    app = new_app(start="interview", sync=False, interview=InterviewOptions(questions=9))

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "question", "typing")
            screen = app.screen
            assert isinstance(screen, InterviewScreen) and screen.session is not None
            asked = [q.card.id for q in screen.session.questions]
            assert len(asked) == 8 and "broken/quiz-1" not in asked
            notes = [n.message for n in app._notifications]
            assert any(
                "cannot be asked (/decks/elsewhere.md:12:" in n and "left out" in n for n in notes
            ), notes
            assert app.is_running

    run(scenario())
