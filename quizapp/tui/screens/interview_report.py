"""The stored report of a past interview, as it was written when the interview ended."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, Static

from quizapp.present.sentences import rewrite_hint
from quizapp.store.interviews import interview_report
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.more_hint import MoreScroll
from quizapp.tui.widgets.report_markdown import ReportMarkdown


class InterviewReportScreen(QuizScreen):
    """One past interview's report (esc: back to the list)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", tooltip="back to the interviews"),
    ]

    class Loaded(Message):
        """The stored markdown (None: the interview was cut off before its end)."""

        def __init__(self, report: str | None) -> None:
            super().__init__()
            self.report = report

    def __init__(self, interview_id: int) -> None:
        super().__init__()
        self.interview_id = interview_id

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                (f"Interview #{self.interview_id}", "bold"),
                (f"  write it to a file: {rewrite_hint(self.interview_id)}", "dim"),
            ),
            id="iv-report-title",
        )
        with MoreScroll(id="card"):
            yield ReportMarkdown(id="iv-stored-report")
        yield Footer()

    def on_mount(self) -> None:
        """Read the report."""
        self.query_one("#card").focus()
        self._load()

    @work(thread=True, exclusive=True, group="iv-report", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(self.Loaded(interview_report(self.quiz_app.db, self.interview_id)))

    async def on_interview_report_screen_loaded(self, message: Loaded) -> None:
        """Show it."""
        await self.query_one("#iv-stored-report", ReportMarkdown).update(
            message.report
            or "*This interview was cut off before its end: its answers are kept, but it "
            "has no report.*"
        )

    def action_back(self) -> None:
        """Back to the list of interviews."""
        self.dismiss()
