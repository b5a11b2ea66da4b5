"""The statistics screen: the numbers of ``quizapp stats``, plotted.

The statistics are computed in a worker thread (they read the whole review log) and
come back as a message; the plots only ever see the frozen :class:`Stats` value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.worker import Worker
from textual_plotext import PlotextPlot

from quizapp.present.safe import visible_line
from quizapp.store.db import Database
from quizapp.store.errors import StoreError
from quizapp.study.service import StudyService
from quizapp.study.stats import Stats, TopicMastery, collect_stats
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.more_hint import MoreScroll

#: plot ids, in the order the screen shows them: the charts' grid, then mastery under it
PLOTS = ("reviews-per-day", "retention", "due-forecast", "calibration", "mastery")
#: the charts of the grid
CHARTS = PLOTS[:-1]
#: the narrowest terminal that shows the panels in two columns
TWO_COLUMNS = 100
#: the fewest lines a panel is given (a chart's title, axes and a few rows of data)
MIN_PANEL_HEIGHT = 11
#: what an empty chart says in its box
NO_REVIEWS = "no reviews yet"
#: the ticks of the calibration chart's axes (both are recall, 0–1)
_UNIT_TICKS = [0.0, 0.25, 0.5, 0.75, 1.0]


def _pct(value: float | None) -> str:
    """``90%``: no space that a line could break at, leaving ``%`` alone."""
    return "-" if value is None else f"{100 * value:.0f}%"


def count_ticks(top: float, lines: int) -> list[int]:
    """Whole-number ticks from 0 to at least ``top`` (steps of 1, 2, 5, 10, 20 …), at
    most one every other line of a chart ``lines`` high: a count axis never reads
    ``33.3``."""
    most = max(2, lines // 2)
    step = 1
    while math.ceil(top / step) + 1 > most:
        step = _next_step(step)
    last = step * max(1, math.ceil(top / step))
    return list(range(0, last + 1, step))


def _next_step(step: int) -> int:
    digits = str(step)
    return step * 5 // 2 if digits[0] == "2" else step * 2


def _ticks(labels: Sequence[str], every: int) -> tuple[list[float], list[str]]:
    """Positions and labels of every ``every``-th bar, the last one always included."""
    positions = [float(i) for i in range(0, len(labels), every)]
    if labels and positions[-1] != len(labels) - 1:
        positions.append(float(len(labels) - 1))
    return positions, [labels[int(i)] for i in positions]


class StatsPlot(Widget):
    """A panel of the stats screen that remembers what it shows (its title and series),
    for the screen and for tests: plotext keeps no readable copy of the data once drawn."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title = ""
        self.labels: tuple[str, ...] = ()
        self.values: tuple[float, ...] = ()

    def _remember(self, title: str, labels: Sequence[str], values: Sequence[float]) -> None:
        self.title = title
        self.labels = tuple(labels)
        self.values = tuple(float(v) for v in values)


class ChartPlot(StatsPlot, PlotextPlot):
    """A plotext chart: bars over days, or calibration points (ASCII labels only:
    plotext counts every character as one column)."""

    # StatsPlot comes first, for the CSS type of the panel; plotext's own size rules
    # are restated here.
    DEFAULT_CSS = """
    ChartPlot {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        #: the named series of a line chart, as drawn
        self.series: tuple[tuple[str, tuple[float, ...]], ...] = ()
        #: what the box says instead of a chart (no data to draw), or ""
        self.empty = ""
        #: the highest count of a count chart (its ticks depend on the height drawn)
        self._count_top: float | None = None
        #: the title drawn when the whole one does not fit the width (plotext would
        #: drop it), or ""
        self._short_title = ""

    def render(self) -> RenderResult:
        """The chart, or its title over a box that says why there is none."""
        if not self.empty:
            if self._count_top is not None:
                # title, frame and tick labels take 4 lines; the rest are data rows
                ticks = count_ticks(self._count_top, self.size.height - 4)
                self.plt.ylim(0, ticks[-1])
                self.plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])
            if self._short_title:
                self.plt.title(self._fitting_title())
            return super().render()
        width, height = self.size.width, max(self.size.height, 3)
        lines = [Text(self.title, style="bold", no_wrap=True, overflow="ellipsis")]
        lines[0].truncate(width)
        lines.append(Text("┌" + "─" * max(0, width - 2) + "┐", style="dim"))
        inner = max(0, height - 3)
        for row in range(inner):
            label = self.empty if row == (inner - 1) // 2 else ""
            middle = Text(label.center(max(0, width - 2))[: max(0, width - 2)], style="italic")
            lines.append(Text("│", style="dim") + middle + Text("│", style="dim"))
        lines.append(Text("└" + "─" * max(0, width - 2) + "┘", style="dim"))
        for line in lines[:1]:
            line.align("center", width)
        return Text("\n").join(lines)

    def _fitting_title(self) -> str:
        """The title, or the short one when the whole title is wider than plotext
        draws: it centres a title on the canvas, which the count labels narrow by up to
        four columns."""
        return self.title if len(self.title) <= self.size.width - 4 else self._short_title

    def show_bars(
        self,
        title: str,
        labels: Sequence[str],
        values: Sequence[float],
        *,
        tick_every: int = 1,
        limit: tuple[float, float] | None = None,
        line: float | None = None,
        empty: str = NO_REVIEWS,
    ) -> None:
        """Draw a bar chart (``line``: a horizontal reference at that height); with
        nothing but zeros, the box says ``empty`` instead."""
        self._remember(title, labels, values)
        plt = self.plt
        plt.clear_figure()
        plt.title(title)
        self.empty = "" if any(values) else empty
        self._count_top = None
        if not values:
            self.refresh()
            return
        xs = list(range(len(values)))
        plt.bar(xs, list(values), width=0.7)
        plt.xlim(-0.5, len(values) - 0.5)
        positions, names = _ticks(labels, tick_every)
        plt.xticks(positions, names)
        if limit is not None:
            plt.ylim(*limit)
        else:
            # counts start at 0 and are labelled in whole numbers (see render)
            self._count_top = max(values)
        if line is not None:
            plt.hline(line, "red")
        self.refresh()

    def show_lines(
        self,
        title: str,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[float]]],
        *,
        tick_every: int = 1,
        empty: str = "nothing to review",
        short_title: str = "",
    ) -> None:
        """Draw one line of counts per ``(name, values)`` over the same days, with a
        legend; with nothing but zeros, the box says ``empty`` instead. ``short_title``
        is drawn instead of ``title`` when the chart is too narrow for it."""
        self._remember(title, labels, series[0][1] if series else ())
        self._short_title = short_title
        self.series = tuple((name, tuple(float(v) for v in values)) for name, values in series)
        plt = self.plt
        plt.clear_figure()
        plt.title(title)
        top = max((v for _, values in self.series for v in values), default=0.0)
        self.empty = "" if top > 0 else empty
        # counts start at 0 and are labelled in whole numbers (see render)
        self._count_top = top
        for (name, values), color in zip(self.series, ("blue", "green", "orange"), strict=False):
            plt.plot(list(range(len(values))), list(values), label=name, color=color)
        if labels:
            plt.xlim(-0.5, len(labels) - 0.5)
            plt.xticks(*_ticks(labels, tick_every))
        self.refresh()

    def show_calibration(
        self, title: str, predicted: Sequence[float], observed: Sequence[float]
    ) -> None:
        """Observed against predicted recall, with the diagonal of a perfect forecast."""
        self._remember(title, [f"{p:.3f}" for p in predicted], observed)
        plt = self.plt
        plt.clear_figure()
        plt.title(title)
        self.empty = "" if predicted else NO_REVIEWS
        plt.plot([0.0, 1.0], [0.0, 1.0], color="gray")
        if predicted:
            plt.plot(list(predicted), list(observed), marker="dot")
        plt.xlim(0.0, 1.0)
        plt.ylim(0.0, 1.0)
        names = [f"{t:.2f}" for t in _UNIT_TICKS]
        plt.xticks(_UNIT_TICKS, names)
        plt.yticks(_UNIT_TICKS, names)
        plt.xlabel("predicted recall")
        plt.ylabel("observed")
        self.refresh()


class TopicBars(StatsPlot):
    """Mastery per topic: one row per topic under its deck, the label, a bar and the
    percentage. Drawn as text measured in terminal cells, so topic names in Chinese or
    Japanese (two cells a character) line up with their bars at any width."""

    DEFAULT_CSS = """
    TopicBars {
        height: auto;
    }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._rows: tuple[TopicMastery, ...] = ()

    def show_topics(self, title: str, topics: Sequence[TopicMastery]) -> None:
        """Show ``topics`` (mastery 0–1) as percentages."""
        self._rows = tuple(topics)
        self._remember(title, [t.label for t in topics], [100 * t.mastery for t in topics])
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        title = Text(self.title, style="bold", no_wrap=True)
        title.truncate(width, overflow="ellipsis")
        title.pad_left(max(0, (width - title.cell_len) // 2))
        lines = [title]
        if not self._rows:
            return lines
        names = [t.topic if t.topic is not None else t.deck for t in self._rows]
        longest = max(cell_len(visible_line(n)) for n in names)
        # the label column: as wide as the longest name, but never more than ~half the row
        label_width = max(4, min(longest, (width - _INDENT - _PERCENT) * 45 // 100))
        bar_width = max(1, width - _INDENT - label_width - 1 - _PERCENT)
        deck = None
        for topic, name in zip(self._rows, names, strict=True):
            if topic.deck != deck:
                deck = topic.deck
                lines.append(Text(visible_line(deck), style="bold", no_wrap=True))
                lines[-1].truncate(width, overflow="ellipsis")
            label = Text(visible_line(name), no_wrap=True)
            label.truncate(label_width, overflow="ellipsis", pad=True)
            row = Text(" " * _INDENT)
            row.append_text(label)
            row.append(" ")
            row.append(_bar(topic.mastery, bar_width), style="green")
            row.append(f"{100 * topic.mastery:4.0f} %")
            lines.append(row)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A line for the title, each deck and each topic."""
        return len(self._lines(width))

    def render(self) -> Text:
        """The rows at the widget's width."""
        return Text("\n").join(self._lines(self.size.width))


#: spaces before a topic's name (it sits under its deck)
_INDENT = 2
#: cells of `` 100 %``
_PERCENT = 6
_EIGHTHS = " ▏▎▍▌▋▊▉"


def _bar(fraction: float, width: int) -> str:
    """A bar ``fraction`` (0–1) of ``width`` cells long, in eighths of a cell, padded."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar + " " * (width - len(bar))


class StatsBody(MoreScroll):
    """The charts, in two columns when the terminal is wide enough and one otherwise,
    then mastery per topic, as long as it has topics. Each chart gets an equal share of
    the height but never less than it needs to be read; the whole body scrolls (and
    says so on its bottom border) when it does not all fit."""

    def on_resize(self, event: events.Resize) -> None:
        """Lay the charts out for the new size."""
        super().on_resize(event)
        columns = 2 if event.size.width >= TWO_COLUMNS else 1
        rows = math.ceil(len(CHARTS) / columns)
        height = max(MIN_PANEL_HEIGHT, event.size.height // rows)
        grid = self.query_one("#stats-grid", Grid)
        grid.styles.grid_size_columns = columns
        grid.styles.grid_size_rows = rows
        grid.styles.grid_rows = str(height)
        grid.styles.height = rows * height


def summary_text(stats: Stats) -> str:
    """The two lines over the charts: the reviews of the period and the cards due, then
    true retention against the desired one (or why there is none yet)."""
    days = stats.reviews_per_day
    total = sum(d.count for d in days)
    due = sum(d.count for d in stats.due_forecast)
    r = stats.retention
    first = (
        f"{_plural(total, 'review')} in the last {len(days) // 7} weeks · "
        f"{_plural(due, 'card')} due in the next {len(stats.due_forecast)} days"
    )
    if r.reviews and r.rate is not None:
        second = (
            f"true retention {_pct(r.rate)} over {_plural(r.reviews, 'review')} of "
            f"learned cards in {len(r.per_day)} days (desired {_pct(r.desired)})"
        )
    else:
        second = (
            f"true retention: none yet (no learned card reviewed in {len(r.per_day)} "
            f"days; desired {_pct(r.desired)})"
        )
    return f"{first}\n{second}"


def _plural(count: int, noun: str) -> str:
    """``1 card``, ``2 cards``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class StatsScreen(QuizScreen):
    """Reviews per day, true retention, due forecast, mastery per topic, calibration."""

    DEFAULT_CSS = """
    StatsScreen #stats-summary {
        height: auto;
        padding: 0 1;
    }
    StatsScreen #stats-body {
        border-bottom: solid $panel-lighten-2;
        border-subtitle-color: $accent;
        border-subtitle-style: bold;
    }
    StatsScreen #stats-grid {
        grid-size: 2 2;
        grid-gutter: 0 1;
        height: auto;
    }
    StatsScreen #mastery {
        margin: 1 1 0 1;
    }
    StatsScreen #workload {
        height: 14;
    }
    StatsScreen #scheduler-summary {
        height: auto;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back"),
        Binding("q", "close", "back", show=False),
        Binding("r", "reload", "refresh", tooltip="compute again"),
    ]

    class Loaded(Message):
        """The statistics are ready."""

        def __init__(self, stats: Stats) -> None:
            super().__init__()
            self.stats = stats

    def __init__(
        self,
        db: Database | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        """``db`` and ``now`` default to the app's database and its study service's
        clock; ``tz`` (the zone of "a day") to the system's."""
        super().__init__()
        self._db = db
        self._now = now
        self._tz = tz
        #: the statistics on screen (None until the worker has finished)
        self.stats: Stats | None = None

    def compose(self) -> ComposeResult:
        """A summary line over a grid of five plots."""
        yield Static("Computing statistics…", id="stats-summary", markup=False)
        with StatsBody(id="stats-body"):
            with Grid(id="stats-grid"):
                for chart in CHARTS:
                    yield ChartPlot(id=chart)
            yield TopicBars(id="mastery")
            yield ChartPlot(id="workload")
            yield Static("", id="scheduler-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Start computing."""
        self.load()

    def action_close(self) -> None:
        """Back to the previous screen."""
        self.app.pop_screen()

    def action_reload(self) -> None:
        """Compute again (after studying in another window, say)."""
        self.load()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def load(self) -> None:
        """Read and compute the statistics off the UI thread (the app's database and
        clock, unless the screen was given its own)."""
        if self._db is None:
            app_db = getattr(self.app, "db", None)
            if not isinstance(app_db, Database):
                raise StoreError("no database is open")
            self._db = app_db
        if self._now is None:
            service = getattr(self.app, "service", None)
            if isinstance(service, StudyService):
                self._now = service.now
        now = self._now() if self._now is not None else None
        self.post_message(self.Loaded(collect_stats(self._db, now=now, tz=self._tz)))

    def worker_failed(self, worker: Worker[object]) -> None:
        """Say what went wrong in place of the summary."""
        self.query_one("#stats-summary", Static).update(
            f"Statistics unavailable: {worker.error} (r: try again)"
        )

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        """Draw every plot from the new statistics."""
        self.show(message.stats)

    def show(self, stats: Stats) -> None:
        """Put ``stats`` on screen."""
        self.stats = stats
        days = stats.reviews_per_day
        total = sum(d.count for d in days)
        r = stats.retention
        self.query_one("#stats-summary", Static).update(summary_text(stats))
        self.query_one("#reviews-per-day", ChartPlot).show_bars(
            f"Reviews per day, last {len(days) // 7} weeks ({total})",
            [f"{d.day:%m-%d}" for d in days],
            [d.count for d in days],
            tick_every=14,
        )
        # Only days with reviews: a day without any is not a day of 0 % retention.
        reviewed = [d for d in r.per_day if d.reviews]
        self.query_one("#retention", ChartPlot).show_bars(
            f"True retention, {len(r.per_day)} days: {_pct(r.rate)} "
            f"(desired {_pct(r.desired)}, red)",
            [f"{d.day:%m-%d}" for d in reviewed],
            [100 * d.recalled / d.reviews for d in reviewed],
            tick_every=max(1, len(reviewed) // 5),
            limit=(0.0, 100.0),
            line=100 * r.desired,
            empty="no review of a learned card yet" if not reviewed else "",
        )
        due = stats.due_forecast
        self.query_one("#due-forecast", ChartPlot).show_bars(
            f"Due, next {len(due)} days ({stats.overdue} overdue today)",
            [f"{d.day:%m-%d}" for d in due],
            [d.count for d in due],
            tick_every=7,
            empty="nothing due",
        )
        self.query_one("#mastery", TopicBars).show_topics(
            "Mastery per topic (mean recall now, %)"
            if stats.mastery
            else "Mastery per topic: no cards yet",
            stats.mastery,
        )
        self._show_workload(stats)
        cal = [b for b in stats.calibration.bins if b.reviews]
        rmse = stats.calibration.rmse
        self.query_one("#calibration", ChartPlot).show_calibration(
            f"Calibration: {stats.calibration.reviews} reviews"
            + (f", RMSE {rmse:.3f}" if rmse is not None else ""),
            [b.predicted or 0.0 for b in cal],
            [b.observed or 0.0 for b in cal],
        )

    def _show_workload(self, stats: Stats) -> None:
        """The simulated next days, and what the scheduler's parameters earned."""
        chart = self.query_one("#workload", ChartPlot)
        if stats.workloads:
            first = stats.workloads[0]
            # the whole title, retentions included, fits the 80 columns of the design
            # size; a narrower terminal gets the short one (the legend names them)
            retentions = " and ".join(f"{w.desired_retention:.2f}" for w in stats.workloads)
            chart.show_lines(
                f"Reviews a day, next {len(first.days)} days, simulated at desired "
                f"retention {retentions}",
                [f"{d.day:%m-%d}" for d in first.days],
                [
                    (f"{w.desired_retention:.2f}", [d.reviews for d in w.days])
                    for w in stats.workloads
                ],
                tick_every=7,
                short_title=f"Reviews a day, next {len(first.days)} days (simulated)",
            )
        self.query_one("#scheduler-summary", Static).update(scheduler_summary(stats))


def scheduler_summary(stats: Stats) -> str:
    """What the scheduler's parameters earned and the retention recommended, in a line
    or two."""
    f = stats.fitness
    if f is None or f.earned is None or f.default is None:
        return "Scheduler: default parameters (fit them to your reviews: quizapp optimize)"
    which = "fitted" if f.kept else "kept over a fit"
    text = (
        f"Scheduler: parameters {which} {f.at.astimezone():%Y-%m-%d}; cross-validated "
        f"log loss {f.earned.log_loss:.4f} (defaults {f.default.log_loss:.4f}), "
        f"RMSE(bins) {f.earned.rmse_bins:.4f} ({f.default.rmse_bins:.4f})"
    )
    desired = stats.retention.desired
    if f.recommended_retention is not None:
        text += f" · recommended retention {f.recommended_retention:.2f} (yours {desired:.2f})"
        if round(f.recommended_retention, 2) != round(desired, 2):
            text += f": quizapp config set desired-retention {f.recommended_retention:.2f}"
    return text
