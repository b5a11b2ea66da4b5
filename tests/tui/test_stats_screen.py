"""The stats screen in a real Textual app (Pilot) on a database with a known history."""

from __future__ import annotations

import asyncio
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_rows, card_row
from fsrs.scheduler import DEFAULT_PARAMETERS
from rich.cells import cell_len
from textual.app import App

from quizapp import locations
from quizapp.store.db import Database, open_db
from quizapp.store.sync import sync_decks
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService
from quizapp.tui.screens.stats import PLOTS, StatsPlot, StatsScreen, TopicBars
from tui.apptest import region_lines, screen_text

START = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
NOW = START + timedelta(days=6)
DECAY = DEFAULT_PARAMETERS[20]
FACTOR = 0.9 ** (1 / -DECAY) - 1


def add_card(db: Database, card_id: str, topic: list[str]) -> None:
    add_rows(db, card_row(card_id, at=START, deck="DL", topic=topic, source="dl.md"))


@pytest.fixture
def studied(db: Database) -> Database:
    """Card x: Good, Good 10 min later, Again ~3 days later, Good 10 min after that,
    Good the next day. Card y: never studied."""
    add_card(db, "x", ["RNN"])
    add_card(db, "y", ["CNN"])
    when = START
    svc = StudyService(db, now=lambda: when, settings=StudySettings(enable_fuzzing=False))
    for offset, rating in [
        (timedelta(0), 3),
        (timedelta(minutes=10), 3),
        (timedelta(days=3), 1),
        (timedelta(days=3, minutes=10), 3),
        (timedelta(days=4, hours=2), 3),
    ]:
        when = START + offset
        svc.review("x", rating)
    return db


class Host(App[None]):
    """A bare app with the stats screen on top of its default screen."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.db, now=lambda: NOW, tz=UTC))


def test_the_plots_show_the_history(studied: Database) -> None:
    asyncio.run(the_plots_show_the_history(studied))


async def the_plots_show_the_history(studied: Database) -> None:
    app = Host(studied)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.stats is not None
        plots = {p.id: p for p in screen.query(StatsPlot)}
        assert list(plots) == [*PLOTS, "workload"]

        per_day = plots["reviews-per-day"]
        assert len(per_day.values) == 84
        assert per_day.labels[-1] == "02-08"
        # 02-02: 2 reviews, 02-05: 2, 02-06: 1 (the last day shown is 02-08)
        assert per_day.values[-7:] == (2.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0)
        assert sum(per_day.values) == 5

        retention = plots["retention"]
        # days with long-term reviews: the Again of 02-05 (0 %), the Good of 02-06 (100 %)
        assert retention.labels == ("02-05", "02-06")
        assert retention.values == (0.0, 100.0)
        assert "50%" in retention.title and "desired 90%" in retention.title

        due = plots["due-forecast"]
        assert len(due.values) == 30 and sum(due.values) == 1

        mastery = plots["mastery"]
        assert mastery.labels == ("DL › CNN", "DL › RNN")
        assert mastery.values[0] == 0.0 and 0.0 < mastery.values[1] < 100.0

        calibration = plots["calibration"]
        again = (1 + FACTOR * 2 / DEFAULT_PARAMETERS[2]) ** -DECAY
        points = [
            (float(x), y) for x, y in zip(calibration.labels, calibration.values, strict=True)
        ]
        # two filled bins, in order: the Good of 02-06 (recalled), the Again of 02-05
        assert len(points) == 2
        assert points[1] == (pytest.approx(again, abs=1e-3), 0.0)
        assert points[0][0] < points[1][0] and points[0][1] == 1.0

        # what is drawn on screen, not only what was handed to plotext
        for plot in plots.values():
            assert plot.title.split(",")[0].split(":")[0] in plot.render().plain
        summary = str(screen.query_one("#stats-summary").render())
        assert "5 reviews in the last 12 weeks" in summary

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


def test_an_empty_database(db: Database) -> None:
    asyncio.run(an_empty_database(db))


async def an_empty_database(db: Database) -> None:
    app = Host(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        mastery = screen.query_one("#mastery", StatsPlot)
        assert mastery.values == () and "no cards yet" in mastery.title
        assert sum(screen.query_one("#reviews-per-day", StatsPlot).values) == 0


def test_the_home_screen_opens_it_on_the_apps_database(studied: Database) -> None:
    asyncio.run(home_screen_opens_it(studied))


async def home_screen_opens_it(studied: Database) -> None:
    from quizapp.tui.app import QuizApp

    app = QuizApp(studied, [], now=lambda: NOW, sync=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        home = type(app.screen)
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.stats is not None and screen.stats.reviews_total == 5
        assert screen.stats.generated_at == NOW  # the app's clock
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen) is home


@pytest.fixture(scope="module")
def bundled_history(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled deck (topic names in Chinese and English) after five weeks of study:
    a dozen cards a day, mostly recalled."""
    url = f"sqlite:///{tmp_path_factory.mktemp('stats') / 'bundled.db'}"
    db = open_db(url)
    sync_decks(db, [locations.bundled_deck()])
    rng = random.Random(5)
    when = NOW - timedelta(days=35)
    svc = StudyService(db, now=lambda: when, settings=StudySettings(enable_fuzzing=False))
    for day in range(35):
        when = NOW - timedelta(days=35 - day)
        for _ in range(12):
            card = svc.next_card()
            if card is None:
                break
            svc.review(card.id, rng.choice([1, 3, 3, 3, 4]))
    db.close()
    return url


#: the characters of a mastery bar (full block, then the eighths)
BAR = "█▏▎▍▌▋▊▉"


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 50)])
def test_every_panel_reads_right_with_wide_topic_names(
    bundled_history: str, size: tuple[int, int]
) -> None:
    asyncio.run(every_panel_reads_right(bundled_history, size))


async def every_panel_reads_right(url: str, size: tuple[int, int]) -> None:
    db = open_db(url)
    app = Host(db)
    try:
        async with app.run_test(size=size) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StatsScreen) and screen.stats is not None
            stats = screen.stats
            assert any(cell_len(m.label) > len(m.label) for m in stats.mastery)  # wide names
            body = screen.query_one("#stats-body")
            for plot_id in PLOTS:
                panel = screen.query_one(f"#{plot_id}", StatsPlot)
                plot = panel
                body.scroll_to_widget(panel, animate=False, top=True)
                await pilot.pause()
                lines = region_lines(app, panel)
                shown = "\n".join(lines)
                # the title and data: nothing blank, whatever the size
                assert plot.title.split(" (")[0].split(",")[0] in shown, (plot_id, shown)
                marks = "•▄▀▞▚▗▖▘▝" if plot_id == "calibration" else "█"
                assert any(m in shown for m in marks), (plot_id, shown)
                assert len([line for line in lines if line.strip()]) >= min(len(lines), 8)

            mastery = screen.query_one("#mastery", TopicBars)
            rows = mastery.render().plain.splitlines()
            starts = set()
            for topic in stats.mastery:
                name = topic.topic or topic.deck
                percent = f"{100 * topic.mastery:4.0f} %"
                # the row of this topic: its name (cut short with … only when the panel is
                # too narrow for it), its bar, its percentage
                row = next(r for r in rows if r[2:].startswith(name[:2]) and r.endswith(percent))
                first = next(i for i in range(2, len(row)) if row[i] in BAR and row[i - 1] == " ")
                label = row[2:first].rstrip()
                assert label == name or (label.endswith("…") and name.startswith(label[:-1])), (
                    name,
                    row,
                )
                bar = row[first : -len(percent)]
                filled = bar.count("█") + (1 if bar.rstrip()[-1:] in BAR[1:] else 0)
                assert abs(filled - topic.mastery * cell_len(bar)) <= 1, (row, topic.mastery)
                # the bar starts in the same column on every row, wide names or not
                starts.add(cell_len(row[:first]))
            assert len(starts) == 1, starts
            # and that is what the terminal shows in the panel
            body.scroll_to_widget(mastery, animate=False, top=True)
            await pilot.pause()
            # (the lines above the page's bottom border, which says what is below)
            shown_lines = body.content_region.bottom - mastery.region.y
            on_screen = region_lines(app, mastery, mastery.size.width)[:shown_lines]
            assert on_screen[0].strip() == mastery.title
            assert [line.rstrip() for line in rows[1 : len(on_screen)]] == [
                line.rstrip() for line in on_screen[1:]
            ]
            # The rows are part of the page, not an inner box: scrolling the page to its
            # end (as End or pgdn do) shows the last topic of the last deck.
            await pilot.press("end")
            await pilot.pause()
            assert rows[-1].rstrip() in screen_text(app)
            assert "more" not in str(body.border_subtitle) or "above" in str(body.border_subtitle)
    finally:
        db.close()


def test_axes_read_in_whole_counts_and_even_recall_steps(studied: Database) -> None:
    asyncio.run(axes_read_right(studied))


async def axes_read_right(studied: Database) -> None:
    app = Host(studied)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        body = screen.query_one("#stats-body")
        for plot_id in ("reviews-per-day", "due-forecast"):
            plot = screen.query_one(f"#{plot_id}", StatsPlot)
            body.scroll_to_widget(plot, animate=False, top=True)
            await pilot.pause()
            labels = [
                m.group(1)
                for line in region_lines(app, plot)
                if (m := re.match(r"\s*([0-9.]+)┤", line))
            ]
            # a count axis: whole numbers from 0 up, never 0.83 or 33.3
            assert labels and labels[-1] == "0", (plot_id, labels)
            assert all(label.isdigit() for label in labels), (plot_id, labels)
        calibration = screen.query_one("#calibration", StatsPlot)
        body.scroll_to_widget(calibration, animate=False, top=True)
        await pilot.pause()
        drawn = "\n".join(region_lines(app, calibration))
        for tick in ("0.00", "0.25", "0.50", "0.75", "1.00"):
            assert tick in drawn, drawn


def test_an_empty_history_says_so(db: Database) -> None:
    asyncio.run(empty_history_says_so(db))


async def empty_history_says_so(db: Database) -> None:
    add_card(db, "x", ["RNN"])
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        summary = str(screen.query_one("#stats-summary").render())
        assert "0 reviews in the last 12 weeks" in summary
        assert "true retention: none yet" in summary and " - over" not in summary
        body = screen.query_one("#stats-body")
        said = {
            "reviews-per-day": "no reviews yet",
            "retention": "no review of a learned card yet",
            "due-forecast": "nothing due",
            "calibration": "no reviews yet",
        }
        for plot_id, words in said.items():
            plot = screen.query_one(f"#{plot_id}", StatsPlot)
            body.scroll_to_widget(plot, animate=False, top=True)
            await pilot.pause()
            assert words in "\n".join(region_lines(app, plot)), plot_id


def test_the_summary_keeps_every_percentage_whole_at_80_columns(db: Database) -> None:
    # 100 learned cards, each reviewed again three days on: 99 recalled, 1 forgotten
    svc_time = START
    svc = StudyService(db, now=lambda: svc_time, settings=StudySettings(enable_fuzzing=False))
    for n in range(100):
        add_card(db, f"c{n}", ["RNN"])
        svc_time = START
        svc.review(f"c{n}", 3)
        svc.review(f"c{n}", 3)
        svc_time = START + timedelta(days=3)
        svc.review(f"c{n}", 1 if n == 0 else 3)
    asyncio.run(summary_whole(db))


async def summary_whole(db: Database) -> None:
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen.query_one("#stats-summary")
        lines = region_lines(app, summary)
        # no unit torn from its number onto a line of its own
        assert not any(line.strip().startswith("%") for line in lines), lines
        assert any("99%" in line for line in lines), lines
        assert any("90%)" in line for line in lines), lines
        shown = " ".join(" ".join(lines).split())
        assert "true retention 99% over 100 reviews" in shown, lines
