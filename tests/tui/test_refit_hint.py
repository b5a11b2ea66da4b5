"""The home screen says once that the scheduler can be fitted again, and how."""

from __future__ import annotations

from datetime import timedelta

from factories import add_rows, card_row, review_row

from quizapp.store.db import open_db
from quizapp.store.history import read_meta, store_meta
from quizapp.study.fitness import LAST_OPTIMIZE_KEY, REFIT_SAID_KEY
from quizapp.tui.screens.home import HomeScreen
from tui.apptest import NOW, SIZE, AppFactory, run, screen_text, wait_until

FITTED = NOW - timedelta(days=60)
HINT = "it can be fitted again"


def _history(db_url: str, *, before: int, after: int) -> None:
    """``before`` reviews over the month before the last fit, ``after`` since it."""
    db = open_db(db_url)
    try:
        rows = [
            review_row("x", at=FITTED - timedelta(days=30) + timedelta(days=30) * i / before)
            for i in range(before)
        ] + [review_row("x", at=FITTED + timedelta(hours=1 + i)) for i in range(after)]
        add_rows(db, card_row("x", at=FITTED - timedelta(days=31)), *rows)
        record = {"at": FITTED.isoformat(), "kept": True, "reviews": before, "folds": []}
        store_meta(db, {LAST_OPTIMIZE_KEY: record})
    finally:
        db.close()


def _said(db_url: str) -> object:
    db = open_db(db_url)
    try:
        return read_meta(db, REFIT_SAID_KEY)
    finally:
        db.close()


def _home_and_refit_checked(new_app: AppFactory) -> str:
    """Open the home screen, wait for its check, and return what it notified."""
    app = new_app(start="home")
    shown: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
                what="home screen",
            )
            await wait_until(
                pilot,
                lambda: (
                    getattr(app.screen, "_refit_checked", False)
                    and all(w.is_finished for w in app.workers if w.group == "home-refit")
                ),
                what="the refit check",
            )
            await pilot.pause(0.2)
            shown.extend(n.message for n in app._notifications)

    run(scenario())
    return "\n".join(shown)


def test_the_home_screen_says_once_that_the_scheduler_can_be_fitted_again(
    new_app: AppFactory, db_url: str
) -> None:
    _history(db_url, before=100, after=450)
    text = _home_and_refit_checked(new_app)
    assert f"450 reviews since the scheduler was fitted on {FITTED.astimezone():%Y-%m-%d}" in text
    assert "quizapp optimize" in text
    assert _said(db_url) == {"fit": FITTED.isoformat()}
    # said once: the next start stays quiet until the scheduler is fitted again
    assert HINT not in _home_and_refit_checked(new_app)


def test_fewer_than_a_months_worth_of_new_reviews_says_nothing(
    new_app: AppFactory, db_url: str
) -> None:
    # 900 reviews in the month before the fit: 450 since are half a month's worth
    _history(db_url, before=900, after=450)
    assert HINT not in _home_and_refit_checked(new_app)
    assert _said(db_url) is None
