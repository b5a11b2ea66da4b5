"""The home screen names the daily limit that holds cards back, and how to go on."""

from __future__ import annotations

from pathlib import Path

from quizapp.store.db import open_db
from quizapp.store.settings_db import save_setting
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService
from tui.apptest import NOW, AppFactory, run, screen_text, wait_until


def _five_cards(db_url: str, tmp_path: Path, *, new_per_day: int, reviewed: int) -> Path:
    """A deck of five new cards, synced, with ``new_per_day`` set and the first
    ``reviewed`` cards rated Easy today; returns the deck file."""
    deck = tmp_path / "five.md"
    deck.write_text(
        "# Five\n\n" + "".join(f"## Question {i}?\n\nAnswer {i}.\n\n" for i in range(5)),
        encoding="utf-8",
    )
    db = open_db(db_url)
    try:
        sync_decks(db, [deck])
        save_setting(db, "new-per-day", str(new_per_day))
        service = StudyService(db, now=lambda: NOW)
        for card in service.queue()[:reviewed]:
            service.review(card.id, 4)
    finally:
        db.close()
    return deck


def test_a_reached_new_card_limit_is_named_with_the_cards_it_holds_back(
    new_app: AppFactory, db_url: str, tmp_path: Path
) -> None:
    deck = _five_cards(db_url, tmp_path, new_per_day=1, reviewed=1)
    app = new_app(start="home", deck_paths=[deck])

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(
                pilot, lambda: "Daily limit" in screen_text(app), what="the limit named"
            )
            text = screen_text(app)
            # (read as a person does: lines wrap at 80 columns)
            words = " ".join(text.split())
            assert "Daily limit of 1 new card reached; 4 more waiting." in words, text
            assert "Press s, then + for 10 more today" in words, text
            assert "0 new · 0 learning · 0 due" in words, text
            assert "All done for now" not in text
            await pilot.press("ctrl+q")

    run(scenario())


def test_new_cards_beyond_todays_limit_are_counted_beside_it(
    new_app: AppFactory, db_url: str, tmp_path: Path
) -> None:
    deck = _five_cards(db_url, tmp_path, new_per_day=2, reviewed=0)
    app = new_app(start="home", deck_paths=[deck])

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: "more new" in screen_text(app), what="held back")
            words = " ".join(screen_text(app).split())
            assert "2 new · 0 learning · 0 due" in words, words
            assert "press s to study the 2 cards waiting" in words, words
            assert "3 more new after today's limit of 2" in words, words
            await pilot.press("ctrl+q")

    run(scenario())
