"""A sync in another terminal changes the card on screen before it is rated: the rating
is dropped with a note, never recorded on another card, and the session goes on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from quizapp.present.sentences import NOT_SAVED
from quizapp.store.db import open_db
from quizapp.store.schema import Review
from quizapp.store.sync import sync_decks
from quizapp.tui.screens.study import StudyScreen
from tui.apptest import GATE, SIZE, AppFactory, run, screen_text, wait_for_phase, wait_until


def test_a_rating_of_a_card_a_sync_retired_is_not_saved(
    new_app: AppFactory, db_url: str, deck: Path
) -> None:
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_phase(pilot, "question")
            assert GATE in screen_text(app)
            await pilot.press("space")
            await wait_for_phase(pilot, "answer")

            # Another terminal: the card's id is edited and the deck synced.
            text = deck.read_text(encoding="utf-8")
            deck.write_text(text.replace("{#tui-gru-gate}", "{#tui-gru-gate-2}"), "utf-8")
            other = open_db(db_url)
            try:
                report = sync_decks(other, [deck])
            finally:
                other.close()
            assert (report.added, report.retired) == (1, 1)

            await pilot.press("3")
            await wait_until(
                pilot,
                lambda: any(n.message == NOT_SAVED for n in app._notifications),
                what="the not-saved note",
            )
            # The session goes on: the card under its new id is new, and comes first.
            await wait_for_phase(pilot, "question", "typing")
            assert GATE in screen_text(app)
            assert isinstance(app.screen, StudyScreen)
            assert not [n for n in app._notifications if n.severity == "error"]

    run(scenario())
    database = open_db(db_url)
    try:
        with database.session(write=False) as s:
            assert s.scalar(select(func.count()).select_from(Review)) == 0
    finally:
        database.close()
