"""The study screen: one card at a time, reveal, rate 1–4, undo, skip, edit.

Every database and grading call runs in a worker thread; the screen only shows what
comes back. A rating is committed by the same worker that then fetches the next card,
so no card appears before the previous rating is saved. Keys are accepted only in the
phase they belong to (no rating before the answer is shown, nothing while saving).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import Worker

from quizapp.present.card import breadcrumb, format_intervals
from quizapp.present.sentences import (
    NOT_SAVED,
    NOTHING_TO_STUDY,
    cannot_draw_note,
    limit_notes,
    saved_note,
    session_over,
    undo_refused_note,
)
from quizapp.store.errors import StoreError
from quizapp.study.engine import (
    EXTRA_NEW_STEP,
    GOOD,
    Graded,
    Prompt,
    SessionEnd,
    Step,
    StudySession,
    UndoRefused,
)
from quizapp.study.options import StudyOptions
from quizapp.tui.editor import edit_in_terminal
from quizapp.tui.screens.card_screen import CardScreen, card_parts
from quizapp.tui.widgets.card_markdown import CardMarkdown
from quizapp.tui.widgets.footer_slot import FooterSlot
from quizapp.tui.widgets.grade_panel import GradePanel
from quizapp.tui.widgets.more_hint import MoreScroll
from quizapp.tui.widgets.rating_bar import RatingBar
from quizapp.tui.widgets.session_bar import SessionBar, counts_text
from quizapp.words import plural

#: how the app lifts today's new-card limit
MORE_NEW = f"Press + for {EXTRA_NEW_STEP} more today"

Phase = Literal["loading", "question", "answer", "typing", "grading", "graded", "saving", "done"]

#: which phases each action is available in
_ALLOWED: dict[str, frozenset[Phase]] = {
    "reveal": frozenset({"question"}),
    "good": frozenset({"answer"}),
    "accept": frozenset({"graded"}),
    "rate": frozenset({"answer", "graded"}),
    "undo": frozenset({"question", "answer", "graded", "done"}),
    # While the answer box has focus, letters are typed into it: undo is on ctrl+z.
    "undo_typing": frozenset({"typing"}),
    "skip": frozenset({"question", "answer", "graded"}),
    # While the answer box has focus, letters are typed into it: skip is on ctrl+s.
    "skip_typing": frozenset({"typing"}),
    "more_new": frozenset({"done"}),
    "edit": frozenset({"question", "answer", "graded"}),
    "home": frozenset({"question", "answer", "typing", "graded", "done", "loading"}),
}
_RATE = "rate: again, hard, good, easy (the next interval is shown under each)"


class StudyScreen(CardScreen):
    """A study session: question, answer, rating, next."""

    PHASES = _ALLOWED
    EMPTY_ANSWER_HINT = (
        "Type a number or an expression first; Enter on the empty box again shows the answer."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer", tooltip="show the answer"),
        Binding("space,enter", "good", "Good", tooltip="after the answer: rate good"),
        Binding(
            "space,enter",
            "accept",
            "Take suggestion",
            tooltip="after grading a typed answer: take the suggested rating",
        ),
        Binding("1", "rate(1)", "Again", show=False, tooltip=_RATE),
        Binding("2", "rate(2)", "Hard", show=False, tooltip=_RATE),
        Binding("3", "rate(3)", "Good", show=False, tooltip=_RATE),
        Binding("4", "rate(4)", "Easy", show=False, tooltip=_RATE),
        Binding("u", "undo", "Undo", tooltip="undo the last rating or skip"),
        Binding(
            "ctrl+z",
            "undo_typing",
            "Undo",
            tooltip="in the answer box: undo the last rating or skip",
        ),
        Binding("s", "skip", "Skip", tooltip="skip: hide the card until the next day starts"),
        Binding("ctrl+s", "skip_typing", "Skip", tooltip="in the answer box: skip the card"),
        Binding(
            "plus",
            "more_new",
            f"{EXTRA_NEW_STEP} more new",
            tooltip=f"{EXTRA_NEW_STEP} more new cards today, beyond the daily limit",
        ),
        Binding("e", "edit", "Edit", tooltip="edit the card in $EDITOR, at its line"),
        Binding("question_mark", "app.help", "Keys", tooltip="every key (this page)"),
        Binding("escape,q", "home", "Home", tooltip="back to the home screen"),
    ]

    class StepReady(Message):
        """A worker finished: the next card (or the end), ready to show."""

        def __init__(self, step: Step | None, note: str | None = None) -> None:
            super().__init__()
            self.step = step
            self.note = note

    class GradeReady(Message):
        """The grader answered."""

        def __init__(self, graded: Graded) -> None:
            super().__init__()
            self.graded = graded

    def __init__(self, options: StudyOptions | None = None) -> None:
        super().__init__()
        self.options = options or StudyOptions()
        self.session: StudySession | None = None
        self.prompt: Prompt | None = None
        self.graded: Graded | None = None
        self.suggested = GOOD
        #: until the session's first step is shown: what the quick read showed (None
        #: when it could not; then nothing was on screen while keys were held)
        self._first: Step | None = None
        self._opening = True
        self._answer_lock = asyncio.Lock()
        #: the prompt whose answer the (hidden) answer widget holds
        self._answer_for: Prompt | None = None
        #: whether the screen's first frame is on the terminal (work that can wait for
        #: it does)
        self._drawn = False

    def compose(self) -> ComposeResult:
        yield SessionBar(id="session-bar")
        with MoreScroll(id="card"):
            yield from card_parts()
            yield GradePanel(id="grade")
            yield Static(id="ended", markup=False)
        yield RatingBar(id="ratings")
        yield FooterSlot(now=self.quiz_app.ready)

    async def on_mount(self) -> None:
        """Show the first card; the session starts once the screen is drawn
        (:meth:`on_footer_slot_drawn`).

        When the app has just started, the first card comes from the quick read
        (:mod:`quizapp.study.quick`), before the full stack is loaded.
        """
        app = self.quiz_app
        for selector in ("#typed", "#divider", "#answer", "#grade", "#ended", "#ratings"):
            self.query_one(selector).display = False
        self._hint("loading…")
        if not app.ready:
            from quizapp.study.quick import first_step

            self._first = first_step(app.db_url, app.now(), self.options, app.rng)
            if isinstance(self._first, SessionEnd):
                self._show_end(self._first)
            elif self._first is not None:
                await self._show(self._first)

    def on_footer_slot_drawn(self) -> None:
        """The screen is on the terminal: open the session — open the database and sync
        the decks (once per run), and fetch the first card again with the full stack.
        Not sooner: the first frame does not compete with the database stack's
        import."""
        self._drawn = True
        if self.prompt is not None and self.prompt.card.kind != "quiz":
            # The first card's answer is laid out (hidden) now, not before the question
            # is on screen.
            self.call_after_refresh(self._render_answer, self.prompt)
        app = self.quiz_app

        def first() -> Step:
            app.ensure_synced()
            self.session = StudySession(app.service, self.options, rng=app.rng)
            return self.session.next()

        # A card from the quick read stays usable on screen while the session opens.
        self._work(first, "loading" if self._first is None else None)

    # -- workers -------------------------------------------------------------------

    def _work(
        self, job: Callable[[], Step | None], phase: Phase | None, note: str | None = None
    ) -> None:
        """Run ``job`` (database work) in a worker thread, in ``phase`` (None: the phase
        stays); its step comes back as a :class:`StepReady` message."""
        if phase is not None:
            self._set_phase(phase)
        self._step_worker(job, note)

    @work(thread=True, group="study-db", exit_on_error=False)
    def _step_worker(self, job: Callable[[], Step | None], note: str | None) -> None:
        self.post_message(self.StepReady(job(), note))

    def _look_ahead(self, prompt: Prompt) -> None:
        """Once the card is drawn: if a computational card is near, import torch in the
        background while the user reads."""
        session = self.session
        if session is not None and not self.quiz_app.exit_after_first_card:
            self._look_ahead_worker(session, prompt)

    @work(thread=True, group="look-ahead", exit_on_error=False)
    def _look_ahead_worker(self, session: StudySession, prompt: Prompt) -> None:
        with contextlib.suppress(StoreError):
            if session.quiz_ahead(prompt.card):
                self.quiz_app.warm_grader()

    def submit_answer(self, typed: str, seconds: float) -> None:
        """Grade the typed answer in a worker thread."""
        prompt, session = self.prompt, self.session
        if prompt is None or session is None:
            return
        self._set_phase("grading")
        self._grade_worker(session, prompt, typed, seconds)

    @work(thread=True, group="grading", exit_on_error=False)
    def _grade_worker(
        self, session: StudySession, prompt: Prompt, typed: str, seconds: float
    ) -> None:
        self.post_message(self.GradeReady(session.grade(prompt, typed, seconds)))

    # -- phases ----------------------------------------------------------------------

    async def on_study_screen_step_ready(self, message: StepReady) -> None:
        """Show the card a worker fetched, or the end of the session."""
        if message.note:
            self.notify(message.note, markup=False, timeout=3)
        step = message.step
        for skipped in step.skipped if step is not None else ():
            self.notify(
                cannot_draw_note(skipped.problem),
                title="Skipped",
                severity="warning",
                markup=False,
                timeout=6,
            )
        if self._opening:
            self._opening = False
            assert step is not None
            await self._show_first(step)
        elif step is None:
            # Nothing to undo after all: stay on the card shown before.
            if self.prompt is not None:
                await self._show(self.prompt)
        elif isinstance(step, SessionEnd):
            self._show_end(step)
        else:
            await self._show(step)

    async def _show_first(self, step: Step) -> None:
        """The session's first step. When it asks what the quick read showed, the screen
        stays (the reading time runs on) and takes its ratings and intervals, and the
        keys pressed meanwhile are handled. Otherwise it is shown instead, and those
        keys — pressed on another card, or on none — are dropped, saying so."""
        first, self._first = self._first, None
        same = (
            first.same_question(step) if isinstance(first, Prompt) else first == step
        ) and first is not None
        if same and isinstance(step, Prompt):
            if self._answer_for is self.prompt:
                self._answer_for = step
            self.prompt = step
            self.query_one(SessionBar).show(
                breadcrumb(step.card), step.counts, step.done, step.total
            )
            self.call_after_refresh(self._look_ahead, step)
        elif not same:
            if isinstance(step, SessionEnd):
                self._show_end(step)
            else:
                await self._show(step)
        dropped = self.quiz_app.screen_ready(keep_held=same)
        if dropped:
            what = (
                "the first card changed (the decks changed on disk)"
                if first
                else ("no card was shown yet")
            )
            self._hint(
                f"{plural(dropped, 'key')} pressed while loading "
                f"{'was' if dropped == 1 else 'were'} not used: {what}.",
                "yellow",
            )

    def worker_failed(self, worker: Worker[object]) -> None:
        """After the error is shown: back to the card as it was, so the user can try
        again (a rating is saved whole or not at all)."""
        if worker.group == "grading":
            self._set_phase("typing")
            typed = self.query_one("#typed", Input)
            typed.disabled = False
            typed.focus()
            self._hint("Enter: grade your answer")
            return
        if worker.group != "study-db":
            return
        if self.session is None:
            # The session could not open: a card from the quick read cannot be rated.
            self._first, self._opening = None, False
            self._hint("The session could not start (see the message). esc: home", "yellow")
            self._set_phase("done")
        else:
            self._set_phase(self._before if self.prompt is not None else "done")
        self.quiz_app.screen_ready()

    async def _show(self, prompt: Prompt) -> None:
        self.prompt = prompt
        self.graded = None
        card = prompt.card
        self.query_one(SessionBar).show(breadcrumb(card), prompt.counts, prompt.done, prompt.total)
        for selector in ("#divider", "#answer", "#grade", "#ended", "#ratings"):
            self.query_one(selector).display = False
        await self.query_one("#question", CardMarkdown).update(prompt.question)
        typed = self.query_one("#typed", Input)
        scroll = self.query_one("#card", VerticalScroll)
        scroll.scroll_home(animate=False)
        if card.kind == "quiz":
            typed.value = ""
            typed.disabled = False
            typed.display = True
            typed.focus()
            self._hint("Enter: grade your answer")
            self._set_phase("typing")
        else:
            typed.display = False
            scroll.focus()
            self._hint("space / enter: show answer")
            self._set_phase("question")
            if self._drawn:
                # The answer is laid out (hidden) once the question is on screen.
                self.call_after_refresh(self._render_answer, prompt)
        self._card_shown()
        self.call_after_refresh(self._look_ahead, prompt)

    async def _render_answer(self, prompt: Prompt) -> None:
        async with self._answer_lock:
            if self._answer_for is prompt or self.prompt is not prompt:
                return
            answer = self.query_one("#answer", CardMarkdown)
            await answer.update(prompt.answer.strip() or "*(no answer text)*")
            self._answer_for = prompt

    def _show_end(self, end: SessionEnd) -> None:
        self.prompt = None
        for selector in ("#typed", "#divider", "#answer", "#grade", "#ratings"):
            self.query_one(selector).display = False
        head = NOTHING_TO_STUDY if end.reason == "empty" else session_over(end.done)
        notes = limit_notes(end.counts, MORE_NEW)
        if end.reason == "empty" and notes:
            head = "Today's limits are reached."
        text = Text(head, style="bold")
        for note in notes:
            text.append("\n\n" + note, style="yellow")
        text.append("\n\nwaiting now: ")
        text.append_text(counts_text(end.counts))
        text.append("\n\nesc: home   u: undo   ctrl+q: quit", style="dim")
        ended = self.query_one("#ended", Static)
        ended.update(text)
        ended.display = True
        self._hint("")
        self.query_one("#question", CardMarkdown).update("")
        bar = self.query_one(SessionBar)
        bar.show("", end.counts, end.done, max(end.done, 1))
        self.query_one("#card", VerticalScroll).focus()
        self._set_phase("done")

    # -- actions --------------------------------------------------------------------

    async def action_reveal(self) -> None:
        """Show the answer and the four ratings."""
        prompt = self.prompt
        if self.phase != "question" or prompt is None:
            return
        self._answered()
        await self._render_answer(prompt)
        if self.prompt is not prompt:
            return
        self._hint("")
        self.query_one("#divider").display = True
        self.query_one("#answer").display = True
        ratings = self.query_one(RatingBar)
        ratings.show(format_intervals(prompt.intervals), suggested=GOOD)
        ratings.display = True
        self.suggested = GOOD
        self._set_phase("answer")

    def action_good(self) -> None:
        """Space/Enter after the answer: Good, as in line mode."""
        if self.phase == "answer":
            self._rate(GOOD, auto=True)

    def action_accept(self) -> None:
        """Take the grader's suggested rating."""
        if self.phase == "graded":
            self._rate(self.suggested, auto=True)

    def action_rate(self, rating: int) -> None:
        """Rate the card 1–4 (an override of any suggestion)."""
        if self.phase in ("answer", "graded"):
            self._rate(rating, auto=False)

    @on(RatingBar.Chosen)
    def _rating_clicked(self, message: RatingBar.Chosen) -> None:
        self.action_rate(message.rating)

    def _rate(self, rating: int, *, auto: bool) -> None:
        prompt, session = self.prompt, self.session
        if prompt is None or session is None:
            return
        graded, seconds = self.graded, self.answer_seconds or 0.0
        self._set_phase("saving")
        self._rate_worker(session, prompt, rating, seconds, graded, auto)

    @work(thread=True, group="study-db", exit_on_error=False)
    def _rate_worker(
        self,
        session: StudySession,
        prompt: Prompt,
        rating: int,
        seconds: float,
        graded: Graded | None,
        auto: bool,
    ) -> None:
        # Imported here: the screen is drawn before the database stack is loaded.
        from quizapp.store.reviews import CardNotFoundError

        try:
            step = session.rate_and_next(prompt, rating, seconds=seconds, graded=graded, auto=auto)
            note = saved_note(rating, prompt.intervals.get(rating))
        except CardNotFoundError:
            # A sync elsewhere renamed or retired the card on screen: the rating is
            # dropped, never moved onto another card.
            step, note = session.next(), NOT_SAVED
        self.post_message(self.StepReady(step, note))

    def on_study_screen_grade_ready(self, message: GradeReady) -> None:
        """Show the verdict, the reference answer, the derivation and the suggestion;
        an answer that cannot be read goes back to the box, to be fixed."""
        if self.phase != "grading" or self.prompt is None:
            return
        graded = message.graded
        if graded.needs_fix:
            self._set_phase("typing")
            typed = self.query_one("#typed", Input)
            typed.disabled = False
            typed.focus()
            problem = graded.grade.verdict.message
            self._hint(f"Cannot read your answer ({problem}): fix it and press Enter", "yellow")
            return
        self.graded = graded
        self.suggested = graded.suggested
        self._hint("")
        panel = self.query_one(GradePanel)
        panel.show(graded.grade, graded.typed, self.suggested)
        panel.display = True
        ratings = self.query_one(RatingBar)
        ratings.show(format_intervals(self.prompt.intervals), suggested=self.suggested)
        ratings.display = True
        self._set_phase("graded")
        self.call_after_refresh(panel.scroll_visible, animate=False)

    def action_undo_typing(self) -> None:
        """Undo from the answer box of a computational card."""
        self.action_undo()

    def action_undo(self) -> None:
        """Undo the session's last rating: that card comes back."""
        session = self.session
        if session is None or not (self.allowed("undo") or self.allowed("undo_typing")):
            return
        if not session.can_undo:
            self.notify("Nothing to undo in this session.", timeout=3)
            return
        self._set_phase("loading")
        self._undo_worker(session)

    @work(thread=True, group="study-db", exit_on_error=False)
    def _undo_worker(self, session: StudySession) -> None:
        outcome = session.undo()
        if isinstance(outcome, UndoRefused):
            self.post_message(self.StepReady(None, undo_refused_note(outcome.reason, outcome.card)))
        else:
            undone = "undone: the card is back as it was" if outcome is not None else None
            self.post_message(self.StepReady(outcome, undone))

    def action_skip(self) -> None:
        """Hide the card until the next day starts and go on (u brings it back)."""
        prompt, session = self.prompt, self.session
        if prompt is None or session is None:
            return
        if not (self.allowed("skip") or self.allowed("skip_typing")):
            return
        card_id = prompt.card.id
        self._work(lambda: session.skip(card_id), "saving", "skipped until tomorrow (u: undo)")

    def action_skip_typing(self) -> None:
        """Skip from the answer box of a computational card."""
        self.action_skip()

    def action_more_new(self) -> None:
        """Allow more new cards today (Anki's "increase today's limit") and go on."""
        session = self.session
        if session is None or not self.allowed("more_new"):
            return
        self._work(
            lambda: session.extra_new(EXTRA_NEW_STEP),
            "loading",
            f"{EXTRA_NEW_STEP} more new cards today",
        )

    def action_edit(self) -> None:
        """Open the card's deck file at its line in ``$EDITOR``, then re-read the decks."""
        prompt, session = self.prompt, self.session
        if prompt is None or session is None or not self.allowed("edit"):
            return
        card = prompt.card
        if not edit_in_terminal(self, card.source, card.line):
            return
        app = self.quiz_app
        card_id = card.id

        def reload() -> Step:
            app.resync()
            return session.reload(card_id)

        self._work(reload, "loading")

    def action_home(self) -> None:
        """Leave the session for the home screen (every rating is already saved)."""
        if self.allowed("home"):
            self.quiz_app.go_home()
