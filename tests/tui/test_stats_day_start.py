"""The stats screen counts the same days as the home screen: local time, each day
beginning at the day-start hour (4 a.m. unless set)."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from quizapp.store.db import open_db
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.stats import ChartPlot, StatsScreen
from tui.apptest import CONV, GATE, AppFactory, region_lines, run, screen_text, wait_until

LOCAL = ZoneInfo("Asia/Shanghai")  # UTC+8, no DST
#: 02:00 on the 3rd: still the day that began at 04:00 on the 2nd
NOW = datetime(2026, 3, 3, 2, 0, tzinfo=LOCAL)


def _review_around_the_day_start(db_url: str, deck: Path) -> None:
    """One card at 03:59 on the 2nd (the 1st's day), another at 04:01 (the 2nd's)."""
    db = open_db(db_url)
    try:
        sync_decks(db, [deck])
        clock = {"now": datetime(2026, 3, 2, 3, 59, tzinfo=LOCAL)}
        svc = StudyService(db, now=lambda: clock["now"])
        first, second = svc.queue()[:2]
        assert (first.front, second.front) == (GATE, CONV)
        svc.review(first.id, 3)
        clock["now"] = datetime(2026, 3, 2, 4, 1, tzinfo=LOCAL)
        svc.review(second.id, 3)
    finally:
        db.close()


def test_reviews_around_the_day_start_count_as_the_home_screen_counts(
    new_app: AppFactory, db_url: str, deck: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    _review_around_the_day_start(db_url, deck)
    app = new_app(start="home", now=lambda: NOW)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
                what="home screen",
            )
            assert "1 reviewed" in screen_text(app)  # today: the review of 04:01

            await pilot.press("t")
            await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen))
            screen = app.screen
            assert isinstance(screen, StatsScreen)
            await wait_until(pilot, lambda: screen.stats is not None, what="statistics")
            stats = screen.stats
            assert stats is not None and stats.today == date(2026, 3, 2)
            assert [(d.day, d.count) for d in stats.reviews_per_day[-2:]] == [
                (date(2026, 3, 1), 1),
                (date(2026, 3, 2), 1),
            ]
            assert stats.workloads[0].days[0].day == date(2026, 3, 2)
            chart = screen.query_one("#reviews-per-day", ChartPlot)
            assert chart.labels[-1] == "03-02" and chart.values[-2:] == (1.0, 1.0)
            # the last day on the chart's axis, as the terminal shows it, is today
            await pilot.pause()
            shown = "\n".join(region_lines(app, chart))
            assert "03-02" in shown and "03-03" not in shown, shown
            due = screen.query_one("#due-forecast", ChartPlot)
            assert due.labels[0] == "03-02"

    run(scenario())
