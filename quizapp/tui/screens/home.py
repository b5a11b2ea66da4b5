"""The home screen: decks and topics with their counts, today's progress, and the keys
that start everything else."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import ProgressBar, Static, Tree

from quizapp.present.sentences import limit_notes
from quizapp.study.options import StudyOptions
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.deck_tree import (
    DeckTree,
    Overview,
    TopicGroup,
    header_text,
)
from quizapp.tui.widgets.footer_slot import FooterSlot
from quizapp.tui.widgets.session_bar import counts_text
from quizapp.words import plural

if TYPE_CHECKING:
    from textual.worker import Worker

    from quizapp.study.fitness import RefitHint


class HomeScreen(QuizScreen):
    """Decks, counts and today's progress."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "study", "Study", tooltip="start studying every deck"),
        Binding("b", "browse", "Browse", tooltip="browse and search all cards"),
        Binding("t", "stats", "Stats", tooltip="statistics of your reviews"),
        Binding("i", "interview", "Interview", tooltip="a timed mock interview"),
        Binding("r", "refresh", "Re-read", tooltip="re-read the deck files"),
        Binding("c", "settings", "Settings", tooltip="settings: limits, retention, steps, decks"),
        Binding("question_mark", "app.help", "Keys", tooltip="every key (this page)"),
        Binding("q", "app.quit", "Quit", tooltip="quit"),
    ]

    class Loaded(Message):
        """The overview came back from the worker."""

        def __init__(self, overview: Overview) -> None:
            super().__init__()
            self.overview = overview

    class RefitDue(Message):
        """Enough new reviews to fit the scheduler again (said once per fit)."""

        def __init__(self, hint: RefitHint) -> None:
            super().__init__()
            self.hint = hint

    #: the overview the quick read showed, until the full stack has read it again
    _quick: Overview | None = None
    #: whether this screen has asked if the scheduler is due for a fit
    _refit_checked = False

    def compose(self) -> ComposeResult:
        # When the app has just started, the overview comes from the quick read
        # (:mod:`quizapp.study.quick`), before the full stack; the widgets are
        # built with their text, so the first frame drawn is the whole screen.
        app = self.quiz_app
        if not app.ready:
            from quizapp.study.quick import read_quickly

            self._quick = read_quickly(app.db_url, app.now(), Overview.read)
        ov = self._quick
        with Vertical(id="home-top"):
            yield Static(
                Text.assemble(("quizapp", "bold"), "  spaced repetition for ML / NLP interviews"),
                id="home-title",
            )
            with Horizontal(id="today-row"):
                yield Static(Text("today", style="bold"), id="today-label")
                yield ProgressBar(
                    total=_progress_total(ov),
                    show_eta=False,
                    show_percentage=False,
                    id="today-progress",
                )
                yield Static(_today_text(ov) if ov else "", id="today", markup=False)
            yield Static(
                _start_text(ov) if ov else Text("loading…", style="dim"),
                id="home-start",
                markup=False,
            )
        yield Static(header_text(ov.groups) if ov else "", id="tree-header", markup=False)
        yield DeckTree(id="decks")
        yield FooterSlot(now=app.ready)

    def on_mount(self) -> None:
        """The tree has the keyboard, and shows the quick read's decks, if any."""
        tree = self.query_one(DeckTree)
        tree.focus()
        if self._quick is not None:
            tree.show(self._quick.groups)
            self.query_one("#today-progress", ProgressBar).update(
                progress=self._quick.reviewed_today
            )

    def on_screen_resume(self) -> None:
        """Back from another screen: read the overview again. (The first read, which
        syncs the decks once per run, waits until the screen is drawn:
        :meth:`on_footer_slot_drawn`.)"""
        if self.quiz_app.ready:
            self._load(sync=False)

    def on_footer_slot_drawn(self) -> None:
        """The screen is on the terminal: read the overview with the full stack (not
        sooner: the first frame does not compete with its import)."""
        if not self.quiz_app.ready:
            self._load(sync=False)

    @work(thread=True, group="home-db", exit_on_error=False)
    def _load(self, *, sync: bool) -> None:
        app = self.quiz_app
        if sync:
            report = app.resync()
            # what changed, in the words of `quizapp sync`
            app.call_from_thread(self.notify, report.summary(), title="Deck files re-read")
        else:
            app.ensure_synced()
        self.post_message(self.Loaded(Overview.read(app.service)))

    def on_home_screen_loaded(self, message: Loaded) -> None:
        """Fill the tree and today's progress (unless the quick read already did)."""
        quick, self._quick = self._quick, None
        if message.overview != quick:
            self._show(message.overview)
        self.quiz_app.screen_ready()
        if not self._refit_checked:
            self._refit_checked = True
            self._check_refit()

    @work(thread=True, group="home-refit", exit_on_error=False)
    def _check_refit(self) -> None:
        # imported here: the first frame does not wait for the review-history readers
        from quizapp.study.fitness import refit_hint_once

        hint = refit_hint_once(self.quiz_app.db)
        if hint is not None:
            self.post_message(self.RefitDue(hint))

    def on_home_screen_refit_due(self, message: RefitDue) -> None:
        """Say that the scheduler can be fitted again, and how."""
        self.notify(refit_text(message.hint), title="Scheduler", timeout=15, markup=False)

    def _show(self, ov: Overview) -> None:
        self.query_one(DeckTree).show(ov.groups)
        self.query_one("#tree-header", Static).update(header_text(ov.groups))
        self.query_one("#today-progress", ProgressBar).update(
            total=_progress_total(ov), progress=ov.reviewed_today
        )
        self.query_one("#today", Static).update(_today_text(ov))
        self.query_one("#home-start", Static).update(_start_text(ov))

    def worker_failed(self, worker: Worker[object]) -> None:
        """After the error is shown: the keys held while loading are handled all the
        same."""
        self.quiz_app.screen_ready()

    # -- actions -------------------------------------------------------------------------

    def action_study(self) -> None:
        """Study every deck."""
        self.quiz_app.open_study()

    @on(Tree.NodeSelected, "#decks")
    def _node_selected(self, event: Tree.NodeSelected[TopicGroup]) -> None:
        event.stop()
        group = event.node.data
        if group is not None:
            self.quiz_app.open_study(StudyOptions(topic=group.topic))

    def action_browse(self) -> None:
        """Browse and search all cards."""
        self.quiz_app.open_browse()

    def action_refresh(self) -> None:
        """Re-read the deck files now."""
        self._load(sync=True)

    def action_stats(self) -> None:
        """Statistics of the review history."""
        self.quiz_app.open_stats()

    def action_settings(self) -> None:
        """The settings."""
        self.quiz_app.open_settings()

    def action_interview(self) -> None:
        """A timed mock interview."""
        self.quiz_app.open_interview_setup()


def refit_text(hint: RefitHint) -> str:
    """What the home screen says when the scheduler can be fitted (again)."""
    if hint.last_fit is None:
        since = f"Your {hint.new_reviews:,} reviews are enough to fit the scheduler to you"
    else:
        since = (
            f"{hint.new_reviews:,} reviews since the scheduler was fitted on "
            f"{hint.last_fit.astimezone():%Y-%m-%d}: it can be fitted again"
        )
    return (
        f"{since}. Run `quizapp optimize`: it keeps the fit only if it predicts your "
        "reviews better."
    )


def _progress_total(ov: Overview | None) -> int:
    return 1 if ov is None else max(ov.reviewed_today + ov.counts.total, 1)


def _today_text(ov: Overview) -> Text:
    """Today's reviews and the counts waiting now."""
    text = Text(f"{ov.reviewed_today} reviewed · waiting now: ")
    text.append_text(counts_text(ov.counts))
    return text


def _start_text(ov: Overview) -> Text:
    """What to press next (or that there is nothing to study)."""
    if ov.cards == 0:
        return Text(
            "No cards yet: point --deck (or $QUIZAPP_DECK) at a markdown deck.", style="yellow"
        )
    if ov.counts.total:
        text = Text.assemble(
            ("press ", "dim"),
            ("s", "bold reverse"),
            (f" to study the {plural(ov.counts.total, 'card')} waiting, or ", "dim"),
            ("enter", "bold reverse"),
            (" on a deck or topic", "dim"),
        )
        held = ov.counts.new_held_back
        if held:
            # The counts are capped by today's limit, as Anki's are; the rest is named.
            limit = ov.counts.new_limit or 0
            text.append(f"\n{held:,} more new after today's limit of {limit:,}", style="dim")
        return text
    notes = limit_notes(ov.counts, "Press s, then + for 10 more today")
    if notes:
        # Nothing left today only because of a limit: say which, and how to go on.
        return Text("\n".join(notes), style="yellow")
    return Text("All done for now. Come back later.", style="green")
