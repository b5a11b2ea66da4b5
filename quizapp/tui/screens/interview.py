"""The interview screen: a timed mock interview, one question at a time, then the report.

A bar on top shows the question number, its topic and a live timer against the
per-question budget (red once over). Open questions: space/Enter shows the reference
answer, then 0–3 scores it. Computational questions: type the answer in the box and
press Enter; the reference model grades it in a worker thread, and Enter goes on.
Esc twice ends the interview early (every answer given is already saved). The report
(score per topic, time per question, weakest cards, what to study next) is shown at the
end and, when a report file was asked for, written there as markdown.

Planning, saving and grading run in worker threads (``@work(thread=True)``), never on the
UI thread; the screen only shows what comes back. Deck text is shown through the card
markdown widget or as :class:`~rich.text.Text`, never as markup.
"""

from __future__ import annotations

import time
from typing import ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker

from quizapp.present.interview_document import report_markdown
from quizapp.present.labels import verdict_mark
from quizapp.present.safe import visible_line
from quizapp.present.sentences import (
    LEFT_OUT_OF_INTERVIEW,
    NO_QUESTION_ANSWERED,
    cannot_draw_note,
    report_not_written,
    report_written,
    timer_line,
)
from quizapp.study.interview.plan import NothingToAskError, Question
from quizapp.study.interview.report import AnswerRecord, InterviewReport
from quizapp.study.interview.report_file import save_report
from quizapp.study.interview.scoring import MAX_SCORE, SCORE_NAMES
from quizapp.study.interview.session import InterviewSession, Unreadable
from quizapp.study.options import InterviewOptions
from quizapp.tui.screens.card_screen import CardScreen, card_parts
from quizapp.tui.widgets.card_markdown import CardMarkdown
from quizapp.tui.widgets.footer_slot import FooterSlot
from quizapp.tui.widgets.grade_panel import verdict_style
from quizapp.tui.widgets.more_hint import MoreScroll
from quizapp.tui.widgets.report_markdown import ReportMarkdown

Phase = Literal[
    "loading", "question", "typing", "grading", "scoring", "graded", "saving", "report", "empty"
]

#: which phases each action is available in
_ALLOWED: dict[str, frozenset[Phase]] = {
    "reveal": frozenset({"question"}),
    "score": frozenset({"scoring"}),
    "next": frozenset({"graded"}),
    "stop": frozenset({"question", "typing", "scoring", "graded"}),
    "close": frozenset({"report", "empty"}),
}
#: seconds within which a second Esc ends the interview
_STOP_CONFIRM = 3.0


class InterviewBar(Horizontal):
    """Question number and topic on the left, the question's timer on the right."""

    DEFAULT_CSS = """
    InterviewBar {
        height: 1;
        padding: 0 2;
    }
    InterviewBar #iv-progress { width: 1fr; text-style: bold; }
    InterviewBar #iv-timer { width: auto; padding-left: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="iv-progress", markup=False)
        yield Static(id="iv-timer", markup=False)

    def show(self, text: str) -> None:
        """Set the left-hand text (deck text: never markup, controls made visible)."""
        self.query_one("#iv-progress", Static).update(
            Text(visible_line(text), no_wrap=True, overflow="ellipsis")
        )

    def tick(self, seconds: float, budget: float | None) -> None:
        """Show ``seconds`` against ``budget`` (red past it)."""
        over = budget is not None and seconds > budget
        text = Text("⏱ " + timer_line(seconds, budget), style="bold red" if over else "bold")
        self.query_one("#iv-timer", Static).update(text)


_SCORE = "score your answer: blank, weak, good, complete"


class InterviewScreen(CardScreen):
    """A timed mock interview in the app."""

    PHASES = _ALLOWED
    EMPTY_ANSWER_HINT = (
        "Type a number or an expression first; Enter on the empty box again "
        "gives up on this question."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer", tooltip="show the reference answer"),
        Binding("space,enter", "next", "Next question", tooltip="after grading: next question"),
        Binding("0", "score(0)", "blank", tooltip=_SCORE),
        Binding("1", "score(1)", "weak", tooltip=_SCORE),
        Binding("2", "score(2)", "good", tooltip=_SCORE),
        Binding("3", "score(3)", "complete", tooltip=_SCORE),
        Binding("escape", "stop", "End interview", tooltip="end the interview early (press twice)"),
        Binding("escape,q", "close", "Close", tooltip="on the report: close it"),
    ]

    class Started(Message):
        """The interview is planned and stored; its first question can be shown."""

        def __init__(self, session: InterviewSession) -> None:
            super().__init__()
            self.session = session

    class Saved(Message):
        """An answer was graded (computational) or stored (open)."""

        def __init__(self, record: AnswerRecord) -> None:
            super().__init__()
            self.record = record

    class CannotRead(Message):
        """The typed answer cannot be read as one: nothing was stored."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    class Finished(Message):
        """The interview is over: its report (None when nothing was answered)."""

        def __init__(self, report: InterviewReport | None, note: str | None = None) -> None:
            super().__init__()
            self.report = report
            self.note = note

    class NothingToAsk(Message):
        """No card matches the interview's topics; ``message`` says so."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, options: InterviewOptions | None = None) -> None:
        super().__init__()
        self.options = options or InterviewOptions()
        self.session: InterviewSession | None = None
        self.question: Question | None = None
        self.report: InterviewReport | None = None
        self._stop_asked_at: float | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield InterviewBar(id="iv-bar")
        with MoreScroll(id="card"):
            yield from card_parts()
            yield Static(id="iv-scoring", markup=False)
            yield Static(id="iv-verdict", markup=False)
            yield ReportMarkdown(id="iv-report")
        yield FooterSlot(now=self.quiz_app.ready)

    def on_mount(self) -> None:
        """Plan the interview (syncing the decks first) in a worker; start the timer."""
        for selector in ("#typed", "#divider", "#answer", "#iv-scoring", "#iv-verdict"):
            self.query_one(selector).display = False
        self.query_one("#iv-report").display = False
        self.query_one(InterviewBar).show("Mock interview")
        self._hint("planning the interview…")
        self._timer = self.set_interval(0.25, self._tick)
        self._start()

    # -- workers -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="interview-start", exit_on_error=False)
    def _start(self) -> None:
        app = self.quiz_app
        app.ensure_synced()
        try:
            session = InterviewSession.start(app.service, self.options)
        except NothingToAskError as exc:
            self.post_message(self.NothingToAsk(str(exc)))
            return
        self.post_message(self.Started(session))

    @work(thread=True, exclusive=True, group="interview", exit_on_error=False)
    def _save_open(self, q: Question, score: int, seconds: float) -> None:
        assert self.session is not None
        self.post_message(self.Saved(self.session.answer_open(q, score, seconds)))

    @work(thread=True, exclusive=True, group="interview", exit_on_error=False)
    def _grade(self, q: Question, typed: str, seconds: float) -> None:
        assert self.session is not None
        graded = self.session.answer_computational(q, typed, seconds)
        if isinstance(graded, Unreadable):
            self.post_message(self.CannotRead(graded.problem))
        else:
            self.post_message(self.Saved(graded))

    @work(thread=True, exclusive=True, group="interview", exit_on_error=False)
    def _finish(self) -> None:
        assert self.session is not None
        report = self.session.finish(report_markdown)
        note = None
        path = self.options.report
        if report is not None and path is not None:
            try:
                save_report(path, report_markdown(report))
                note = report_written(path)
            except OSError as exc:
                note = report_not_written(path, exc.strerror or str(exc), report.interview_id)
        self.post_message(self.Finished(report, note))

    # -- phases ----------------------------------------------------------------------

    def _tick(self) -> None:
        session = self.session
        if session is None or self.question is None or self.phase in ("report", "empty"):
            return
        seconds = self.answer_seconds
        if seconds is None:
            seconds = self.clock() - self.shown_at
        self.query_one(InterviewBar).tick(seconds, session.budget_seconds)

    def on_interview_screen_started(self, message: Started) -> None:
        """Show the first question; warm torch up if a computational one is coming."""
        self.session = message.session
        for skipped in message.session.skipped:
            self.notify(
                cannot_draw_note(skipped.problem, LEFT_OUT_OF_INTERVIEW),
                title="Skipped",
                severity="warning",
                markup=False,
                timeout=6,
            )
        if any(q.kind == "computational" for q in message.session.questions):
            self.quiz_app.warm_grader()
        self._show_next()

    def on_interview_screen_nothing_to_ask(self, message: NothingToAsk) -> None:
        """Say there is nothing to ask; esc closes the screen."""
        self.notify(message.message, title="Interview", severity="error", markup=False)
        self._cannot_start(message.message)

    def _cannot_start(self, why: str) -> None:
        self.query_one(InterviewBar).show("Mock interview")
        self._hint(f"{why}\n\nesc: close", style="")
        self._set_phase("empty")

    def worker_failed(self, worker: Worker[object]) -> None:
        """After the error is shown: an interview that could not start can only be
        closed; a failed save can be tried again (nothing was lost)."""
        if worker.group == "interview-start":
            self._cannot_start(str(worker.error))
            return
        self._set_phase(self._before)
        if self.phase == "typing":
            typed = self.query_one("#typed", Input)
            typed.disabled = False
            typed.focus()

    def _show_next(self) -> None:
        session = self.session
        assert session is not None
        remaining = session.remaining
        if not remaining:
            self._end()
            return
        q = remaining[0]
        self.question = q
        kind = "compute" if q.kind == "computational" else "open"
        # The kind before the topic: a long topic is cut at the bar's end, never the kind.
        self.query_one(InterviewBar).show(
            f"Question {q.position} of {len(session.questions)} · {kind} · {q.topic}"
        )
        for selector in ("#divider", "#answer", "#iv-scoring", "#iv-verdict"):
            self.query_one(selector).display = False
        self.query_one("#question", CardMarkdown).update(session.prompt(q))
        scroll = self.query_one("#card", VerticalScroll)
        scroll.scroll_home(animate=False)
        typed = self.query_one("#typed", Input)
        if q.kind == "computational":
            self.query_one("#answer", CardMarkdown).update("")
            typed.value = ""
            typed.disabled = False
            typed.display = True
            typed.focus()
            self._hint("Enter: submit your answer · esc esc: end the interview")
            self._set_phase("typing")
        else:
            self.query_one("#answer", CardMarkdown).update(
                session.answer(q).strip() or "*(no answer text)*"
            )
            typed.display = False
            scroll.focus()
            self._hint("answer out loud, then space / enter: show the reference answer")
            self._set_phase("question")
        self._card_shown()
        self._tick()

    def _end(self) -> None:
        self.question = None
        self._hint("")
        self._set_phase("saving")
        self._finish()

    # -- actions --------------------------------------------------------------------

    def action_reveal(self) -> None:
        """Show the reference answer of an open question and ask for a 0–3 score."""
        if self.phase != "question":
            return
        self._answered()
        self._tick()
        self.query_one("#divider").display = True
        self.query_one("#answer").display = True
        self._hint("")
        scoring = self.query_one("#iv-scoring", Static)
        text = Text("How well did you answer?", style="bold")
        for n, name in SCORE_NAMES.items():
            text.append(f"   {n}", style="bold")
            text.append(f" {name}")
        scoring.update(text)
        scoring.display = True
        self._set_phase("scoring")
        self.call_after_refresh(scoring.scroll_visible, animate=False)

    def action_score(self, score: int) -> None:
        """Self-score an open question 0–3; saved before the next question is shown."""
        if self.phase != "scoring" or self.question is None or self.answer_seconds is None:
            return
        self._hint("saving…")
        self._set_phase("saving")
        self._save_open(self.question, score, self.answer_seconds)

    def action_next(self) -> None:
        """Go on after a graded computational answer."""
        if self.phase == "graded":
            self._show_next()

    def submit_answer(self, typed: str, seconds: float) -> None:
        """Grade the typed answer (and save it) in a worker thread."""
        q = self.question
        if q is None:
            return
        self._tick()
        self._set_phase("grading")
        self._grade(q, typed, seconds)

    def on_interview_screen_cannot_read(self, message: CannotRead) -> None:
        """Not a wrong answer: back to the box with the text kept, to be fixed."""
        if self.phase != "grading":
            return
        self._set_phase("typing")
        typed = self.query_one("#typed", Input)
        typed.disabled = False
        typed.focus()
        self._hint(f"Cannot read your answer ({message.problem}): fix it and press Enter", "yellow")

    def on_interview_screen_saved(self, message: Saved) -> None:
        """An open answer is saved: next question. A computational one: its verdict."""
        record = message.record
        if record.kind == "open":
            self.notify(f"saved: {record.score}/{MAX_SCORE}", timeout=2)
            self._show_next()
            return
        text = Text()
        text.append(verdict_mark(record.verdict), style=verdict_style(record.verdict))
        if record.message:
            text.append(f" — {record.message}")
        text.append("\nyour answer: ", style="dim")
        text.append(record.answer or "")
        text.append("\nanswer:      ", style="dim")
        text.append(record.truth or "", style="bold")
        if record.derivation:
            text.append("\n\n")
            text.append(record.derivation)
        text.append(f"\n\nscore: {record.score}/{MAX_SCORE} (saved)", style="bold")
        last = self.session is not None and not self.session.remaining
        text.append(
            "\nspace / enter: " + ("see the report" if last else "next question"), style="dim"
        )
        verdict = self.query_one("#iv-verdict", Static)
        verdict.update(text)
        verdict.display = True
        self._hint("")
        self._set_phase("graded")
        self.call_after_refresh(verdict.scroll_visible, animate=False)

    def on_interview_screen_finished(self, message: Finished) -> None:
        """Show the report (or say that nothing was answered)."""
        self.report = message.report
        if message.note:
            self.notify(message.note, markup=False, timeout=5)
        for selector in ("#question", "#typed", "#divider", "#answer", "#iv-scoring"):
            self.query_one(selector).display = False
        self.query_one("#iv-verdict").display = False
        if message.report is None:
            self.query_one(InterviewBar).show("Mock interview")
            self._hint(f"{NO_QUESTION_ANSWERED}\n\nesc: close", style="")
        else:
            r = message.report
            self.query_one(InterviewBar).show(
                f"Interview over · {r.score}/{r.max_score} ({r.percent}%)"
            )
            shown = self.query_one("#iv-report", ReportMarkdown)
            shown.update(report_markdown(r))
            shown.display = True
            self._hint(
                f"Saved as interview #{r.interview_id}: i on the home screen lists it, "
                "as `quizapp interview --list` does. esc: close",
                style="",
            )
        self.query_one("#iv-timer", Static).update("")
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.query_one("#card", VerticalScroll).focus()
        self._set_phase("report")

    def action_stop(self) -> None:
        """End the interview early (asks for a second Esc first)."""
        if not self.allowed("stop"):
            return
        now = time.monotonic()
        if self._stop_asked_at is None or now - self._stop_asked_at > _STOP_CONFIRM:
            self._stop_asked_at = now
            self.notify(
                "Press esc again to end the interview now; the answers given are saved.",
                timeout=_STOP_CONFIRM,
            )
            return
        self._end()

    def action_close(self) -> None:
        """Leave the report: back to the shell when the app was started for this
        interview, else to the home screen."""
        if self.allowed("close"):
            self.quiz_app.close_interview()
