"""The quizapp Textual app: ``make_app`` builds it (for the CLI and the tests alike).

The app owns the :class:`~quizapp.store.db.Database` (``app.db``), the
:class:`~quizapp.study.service.StudyService` every screen calls (``app.service``) and
the configured deck paths (``app.deck_paths``). Screens call the database and torch
from worker threads only.

Start-up is arranged so the first screen appears as early as a bare Textual app's:
the home and study screens draw it from a read-only standard-library ``sqlite3`` query
(:mod:`quizapp.study.quick`), running the study queue's own SQL through the engine.
Only once it is painted does a worker import and open the database stack (SQLAlchemy,
FSRS, the deck parser), sync the deck files and compute the screen again; the screen
then changes only if the decks changed on disk. Keys pressed meanwhile are held and
handled, in order, as soon as the screen is ready (:meth:`QuizApp.screen_ready`) —
unless what they were pressed on is no longer what the screen shows: then they are
dropped, and the screen says so.
"""

from __future__ import annotations

import os
import random
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType

from quizapp import collector
from quizapp.present.safe import visible
from quizapp.present.sentences import deck_problems
from quizapp.store.errors import EXIT_DB
from quizapp.study.options import InterviewOptions, StudyOptions

if TYPE_CHECKING:
    from quizapp.store.db import Database
    from quizapp.store.sync import SyncReport
    from quizapp.study.engine import GraderWarmUp
    from quizapp.study.service import StudyService
    from quizapp.tui.screens.help import HelpSection

#: set to 1 to run headless and exit as soon as the first card is on screen (start-up
#: benchmark)
EXIT_AFTER_FIRST_CARD_ENV = "QUIZAPP_EXIT_AFTER_FIRST_CARD"
StartScreen = Literal["home", "study", "interview"]
START_SCREENS: tuple[StartScreen, ...] = ("home", "study", "interview")
#: keys handled at once even while the first screen loads
_NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})


class QuizApp(App[None]):
    """Home, study, browse: spaced repetition in the terminal."""

    CSS_PATH = "quizapp.tcss"
    TITLE = "quizapp"
    # Classes every screen gets from its size; 80x24, the design size, is narrow and
    # short (quizapp.tcss adds room from 100 columns and 30 lines).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, tooltip="quit"),
        Binding("f1", "help", "Keys", show=False, tooltip="every key (this page)"),
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",
            show=False,
            tooltip="command palette (themes, screenshots)",
        ),
    ]

    def __init__(
        self,
        db: Database | str,
        deck_paths: Sequence[Path],
        *,
        start: StartScreen = "home",
        study: StudyOptions | None = None,
        interview: InterviewOptions | None = None,
        now: Callable[[], datetime] | None = None,
        sync: bool = True,
        exit_after_first_card: bool = False,
    ) -> None:
        super().__init__()
        #: an already open database, or the URL the first worker opens
        self._db: Database | None = None if isinstance(db, str) else db
        self.db_url = db if isinstance(db, str) else db.engine.url.render_as_string()
        self.deck_paths = list(deck_paths)
        self.start = start
        #: what the study session opened at start asks for (its seed fixes the numbers
        #: drawn in every study session of the run)
        self.study = study or StudyOptions()
        #: what the interview opened at start asks for
        self.interview = interview or InterviewOptions()
        #: draws the values of computational cards (seeded in tests)
        self.rng = random.Random(self.study.seed)
        self.exit_after_first_card = exit_after_first_card
        #: why the app had to stop (the database could not be opened), for the terminal
        self.fatal: str | None = None
        self._now = now
        self._service: StudyService | None = None
        self._open_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._synced = not sync
        self._warm_up: GraderWarmUp | None = None
        self._warm_lock = threading.Lock()
        #: keys pressed before the start screen was ready (None once it is)
        self._held_keys: list[events.Key] | None = [] if start in ("home", "study") else None

    def now(self) -> datetime:
        """The app's clock (aware UTC)."""
        return (self._now() if self._now is not None else datetime.now(UTC)).astimezone(UTC)

    # -- start-up --------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Hold keys while the start screen loads (see :meth:`screen_ready`)."""
        if (
            self._held_keys is not None
            and isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key not in _NEVER_HELD
        ):
            self._held_keys.append(event)
            return
        await super().on_event(event)

    @property
    def held(self) -> int:
        """How many keys are held now, waiting for the start screen."""
        return len(self._held_keys or ())

    @property
    def ready(self) -> bool:
        """Whether the start screen has its full stack (keys are no longer held)."""
        return self._held_keys is None

    def screen_ready(self, *, keep_held: bool = True) -> int:
        """The start screen has loaded the full stack: handle the keys held meanwhile,
        in the order they were pressed (or end a start-up benchmark run).

        With ``keep_held=False`` (the screen now shows something else than what the
        keys were pressed on) they are dropped instead; returns how many were.
        """
        held, self._held_keys = self._held_keys, None
        if held is None:
            return 0
        if self.exit_after_first_card:
            self.call_after_refresh(self.exit)
            return 0
        if not keep_held:
            return len(held)
        for key in held:
            # Sent by the app, as a terminal's key is: it bubbles up to the app's
            # bindings (a message stops below its sender).
            self.post_message(events.Key(key.key, key.character).set_sender(self))
        return 0

    def on_key(self, event: events.Key) -> None:
        """A key that came up unused from where it was sent, typed right behind the
        key that moved the focus on: the new screen's, while it is being built
        (:class:`~quizapp.tui.screens.box_screen.BoxScreen`), or the text box's that
        has the focus now (:class:`~quizapp.tui.widgets.typed_input.TypedInput`)."""
        for take in (
            getattr(self.screen, "hold_key", None),
            getattr(self.focused, "take_stray_key", None),
        ):
            if take is not None and take(event):
                event.prevent_default()
                return

    def on_footer_slot_drawn(self) -> None:
        """A screen is on the terminal: once the first is, the garbage collector runs
        again (it waits while the app starts, :mod:`quizapp.collector`)."""
        collector.resume(freeze=True)

    def on_mount(self) -> None:
        """Open on the home screen, or straight on a study session or an interview."""
        if self.start == "study":
            self.open_study(self.study)
        elif self.start == "interview":
            self.open_interview(self.interview)
        else:
            self.go_home()

    # -- navigation (screens ask the app; they never import one another) ----------------
    # Each screen module is imported when first opened: start-up pays only for the first.

    def open_study(self, options: StudyOptions | None = None) -> None:
        """A study session on every deck, or on the options' topic."""
        from quizapp.tui.screens.study import StudyScreen

        self.push_screen(StudyScreen(options or StudyOptions()))

    def open_interview(self, options: InterviewOptions | None = None) -> None:
        """A mock interview."""
        from quizapp.tui.screens.interview import InterviewScreen

        self.push_screen(InterviewScreen(options or InterviewOptions()))

    def open_interview_setup(self) -> None:
        """The choices of a new interview, and the past ones."""
        from quizapp.tui.screens.interview_setup import InterviewSetupScreen

        self.push_screen(InterviewSetupScreen())

    def start_interview(self, options: InterviewOptions) -> None:
        """The interview chosen on the setup screen, in its place (closing the report
        goes back to the screen below it). Without a seed of its own, it draws with the
        seed the app was started with."""
        from quizapp.tui.screens.interview import InterviewScreen

        if options.seed is None:
            options = replace(options, seed=self.interview.seed)
        self.switch_screen(InterviewScreen(options))

    def open_interview_report(self, interview_id: int) -> None:
        """The stored report of a past interview."""
        from quizapp.tui.screens.interview_report import InterviewReportScreen

        self.push_screen(InterviewReportScreen(interview_id))

    def close_interview(self) -> None:
        """Leave an interview's report: back to the shell when the app was started for
        the interview (``quizapp interview``), else to the home screen."""
        if self.start == "interview":
            self.exit()
        else:
            self.go_home()

    def open_browse(self) -> None:
        """Browse and search every card."""
        from quizapp.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    def open_stats(self) -> None:
        """Statistics of the review history."""
        from quizapp.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def open_settings(self) -> None:
        """The settings (those of ``quizapp config``)."""
        from quizapp.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def go_home(self) -> None:
        """Back to the home screen: the one below, else a new one in place of this one."""
        from quizapp.tui.screens.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            return
        if any(isinstance(s, HomeScreen) for s in self.screen_stack):
            self.pop_screen()
        elif len(self.screen_stack) > 1:
            self.switch_screen(HomeScreen())
        else:
            self.push_screen(HomeScreen())

    # -- the database (first use from a worker thread) -----------------------------------

    @property
    def db(self) -> Database:
        """The open database, opened (and migrated) on first use.

        A database that cannot be used (busy, corrupt, newer, unwritable) ends the app
        with its message and exit code 3, as the command line does.
        """
        with self._open_lock:
            if self._db is None:
                from quizapp.store.db import open_db
                from quizapp.store.errors import StoreError

                try:
                    self._db = open_db(self.db_url)
                except StoreError as exc:
                    if self.is_running:
                        self._fail(str(exc))
                    raise
            return self._db

    @property
    def service(self) -> StudyService:
        """The study service every screen uses (the app's clock)."""
        db = self.db
        with self._open_lock:
            if self._service is None:
                from quizapp.study.service import StudyService

                self._service = StudyService(db, now=self._now)
            return self._service

    def _fail(self, message: str) -> None:
        def stop() -> None:
            self.fatal = message
            self.exit(return_code=EXIT_DB)

        if threading.get_ident() == self._thread_id:
            stop()
        else:
            self.call_from_thread(stop)

    def ensure_synced(self) -> None:
        """Sync the deck files once per run (worker threads only; the first caller syncs,
        the others wait for it)."""
        with self._sync_lock:
            if self._synced:
                return
            self._sync()
            self._synced = True

    def resync(self) -> SyncReport:
        """Sync the deck files again, after an edit (worker threads only); returns what
        changed."""
        with self._sync_lock:
            report = self._sync()
            self._synced = True
            return report

    def _sync(self) -> SyncReport:
        from quizapp.store.sync import sync_decks

        report = sync_decks(self.db, self.deck_paths)
        errors = [d for d in report.diagnostics if d.severity == "error"]
        if errors:
            self.call_from_thread(
                self.notify,
                deck_problems(len(errors)),
                title="Deck files",
                severity="warning",
                markup=False,
                timeout=8,
            )
        return report

    def close_db(self) -> None:
        """Release the database connections (after the app has stopped)."""
        if self._db is not None:
            self._db.close()

    # -- torch ---------------------------------------------------------------------------

    @property
    def warming(self) -> bool:
        """Whether torch's warm-up has been started."""
        return self._warm_up is not None and self._warm_up.started

    def warm_grader(self) -> None:
        """Import torch in the background, once, before a computational card needs it.

        Safe to call from any thread. The import runs in a daemon thread rather than a
        Textual worker: quitting must not wait for torch to finish importing.
        """
        # A start-up benchmark run ends at the first card: nothing to grade.
        if self.exit_after_first_card:
            return
        with self._warm_lock:
            if self._warm_up is None:
                from quizapp.study.engine import GraderWarmUp

                self._warm_up = GraderWarmUp()
        self._warm_up.start()

    def join_warm_up(self) -> None:
        """Wait for torch's warm-up, if one was started (before the process exits)."""
        if self._warm_up is not None:
            self._warm_up.join()

    # -- actions -------------------------------------------------------------------------

    def help_sections(self) -> list[HelpSection]:
        """What the help page lists: the keys of the app, then of each screen (the one
        on top first)."""
        from quizapp.tui.screens.browse import BrowseScreen
        from quizapp.tui.screens.help import HelpSection
        from quizapp.tui.screens.home import HomeScreen
        from quizapp.tui.screens.interview import InterviewScreen
        from quizapp.tui.screens.settings import SettingsScreen
        from quizapp.tui.screens.stats import StatsScreen
        from quizapp.tui.screens.study import StudyScreen
        from quizapp.tui.widgets.deck_tree import DeckTree

        screens = [
            HelpSection("Home", (HomeScreen, DeckTree)),
            HelpSection("Study", (StudyScreen,)),
            HelpSection("Interview", (InterviewScreen,)),
            HelpSection("Browse", (BrowseScreen,)),
            HelpSection("Statistics", (StatsScreen,)),
            HelpSection("Settings", (SettingsScreen,)),
        ]
        current = type(self.screen)
        screens.sort(key=lambda section: current not in section.owners)
        return [HelpSection("Everywhere", (type(self),)), *screens]

    def action_help(self) -> None:
        """Show every key."""
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))


def make_app(
    *,
    db_url: str,
    deck_paths: Sequence[Path],
    start: StartScreen = "home",
    study: StudyOptions | None = None,
    interview: InterviewOptions | None = None,
    now: Callable[[], datetime] | None = None,
    sync: bool = True,
    exit_after_first_card: bool | None = None,
) -> QuizApp:
    """Build the app on the database at ``db_url`` and the decks at ``deck_paths``,
    opening on ``start`` with the options of that use (``study``, ``interview``).

    The database is opened by the first worker that needs it. ``now`` fixes the clock
    (tests); ``exit_after_first_card`` defaults to the ``QUIZAPP_EXIT_AFTER_FIRST_CARD``
    environment variable (start-up benchmark).
    """
    if start not in START_SCREENS:
        raise ValueError(f"unknown start screen {start!r}")
    if exit_after_first_card is None:
        exit_after_first_card = os.environ.get(EXIT_AFTER_FIRST_CARD_ENV) == "1"
    return QuizApp(
        db_url,
        deck_paths,
        start=start,
        study=study,
        interview=interview,
        now=now,
        sync=sync,
        exit_after_first_card=exit_after_first_card,
    )


def run_app(app: QuizApp) -> int:
    """Run ``app`` in the terminal until the user quits; returns the exit code."""
    try:
        # The start-up benchmark measures a real launch without a terminal to draw on.
        app.run(headless=app.exit_after_first_card)
    finally:
        app.close_db()
        # torch aborts the process if the interpreter exits while it is half imported.
        app.join_warm_up()
    if app.fatal is not None:
        print(visible(f"quizapp: {app.fatal}"), file=sys.stderr)
    return app.return_code or 0
