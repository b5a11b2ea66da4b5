"""The stats screen's workload chart and scheduler line, in a real Textual app."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from factories import add_rows, card_row
from textual.app import App

from quizapp.store.db import Database
from quizapp.store.history import store_meta
from quizapp.study.fitness import LAST_OPTIMIZE_KEY
from quizapp.tui.screens.stats import ChartPlot, StatsScreen
from tui.apptest import region_lines

NOW = datetime(2026, 2, 8, 9, 0, tzinfo=UTC)
RECORD = {
    "at": (NOW - timedelta(days=3)).isoformat(),
    "kept": True,
    "reviews": 12580,
    "test": 4139,
    "folds": [{"counted": False}] + [{"counted": True}] * 4,
    "default": {"log_loss": 0.4366, "rmse_bins": 0.0722},
    "current": None,
    "fitted": {"log_loss": 0.4294, "rmse_bins": 0.0499},
    "retention": {"desired_retention": 0.74},
}


class Host(App[None]):
    """A bare app with the stats screen on top of its default screen."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.db, now=lambda: NOW, tz=UTC))


def _collection(db: Database) -> None:
    """200 studied cards due over the next weeks, 50 new ones, and an optimize record."""
    rows = [
        card_row(
            f"s{i}",
            at=NOW - timedelta(days=40),
            state=2,
            step=None,
            stability=5.0 + i % 30,
            difficulty=5.0,
            last_review=NOW - timedelta(days=5 + i % 30),
            due=NOW + timedelta(days=i % 25),
            reviews=4,
        )
        for i in range(200)
    ] + [card_row(f"n{i}", at=NOW - timedelta(days=1)) for i in range(50)]
    add_rows(db, *rows)
    store_meta(db, {LAST_OPTIMIZE_KEY: RECORD})


def test_the_workload_at_both_retentions_and_what_the_parameters_earned(db: Database) -> None:
    _collection(db)
    asyncio.run(_scenario(db))


async def _scenario(db: Database) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.stats is not None
        chart = screen.query_one("#workload", ChartPlot)
        assert [name for name, _ in chart.series] == ["0.90", "0.74"]
        at_90, at_74 = (values for _, values in chart.series)
        assert len(at_90) == len(at_74) == 30
        # aiming lower costs fewer reviews over the month
        assert sum(at_74) < sum(at_90)
        assert chart.labels[0] == "02-08"

        summary = screen.query_one("#scheduler-summary")
        body = screen.query_one("#stats-body")
        body.scroll_to_widget(chart, animate=False, top=True)
        await pilot.pause()
        shown = "\n".join(region_lines(app, chart))
        # the whole title, at 80 columns
        title = "Reviews a day, next 30 days, simulated at desired retention 0.90 and 0.74"
        assert chart.title == title
        assert title in shown, shown
        # narrower than the design size: a shorter title, never none
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        body.scroll_to_widget(chart, animate=False, top=True)
        await pilot.pause()
        shown = "\n".join(region_lines(app, chart))
        assert "Reviews a day, next 30 days (simulated)" in shown, shown
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        body.scroll_to_widget(summary, animate=False)
        await pilot.pause()
        text = " ".join(" ".join(region_lines(app, summary)).split())
        assert "log loss 0.4294 (defaults 0.4366)" in text, text
        assert "recommended retention 0.74 (yours 0.90)" in text, text
        assert "quizapp config set desired-retention 0.74" in text, text
