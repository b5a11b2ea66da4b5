"""Before a mock interview in the app: the choices ``quizapp interview`` has (how many
questions, the minutes for the whole interview, which decks or topics, whether the
answers reschedule the cards), and the interviews taken before, whose stored reports
open with Enter."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, SelectionList, Static

from quizapp.present.safe import visible_line
from quizapp.study.interview.history import InterviewSummary, list_interviews
from quizapp.study.interview.limits import MAX_MINUTES, MAX_QUESTIONS
from quizapp.study.interview.session import DEFAULT_MINUTES_PER_QUESTION
from quizapp.study.options import DEFAULT_QUESTIONS, InterviewOptions
from quizapp.tui.screens.box_screen import BoxScreen
from quizapp.tui.widgets.more_hint import MoreScroll
from quizapp.tui.widgets.typed_input import TypedInput


def parse_choices(questions: str, minutes: str) -> tuple[int, float | None] | str:
    """The number of questions and the minutes (None: the default per question) the
    boxes hold, or what is wrong with them, in the words ``quizapp interview`` uses."""
    try:
        count = int(questions.strip() or DEFAULT_QUESTIONS)
    except ValueError:
        return f"questions: a whole number from 1 to {MAX_QUESTIONS}, not {questions!r}"
    if not 1 <= count <= MAX_QUESTIONS:
        return f"questions: a whole number from 1 to {MAX_QUESTIONS}, not {count}"
    if not minutes.strip():
        return count, None
    try:
        total = float(minutes)
    except ValueError:
        return f"minutes: a number above 0, at most {MAX_MINUTES:g}, not {minutes!r}"
    if not 0 < total <= MAX_MINUTES:
        return f"minutes: a number above 0, at most {MAX_MINUTES:g}, not {total:g}"
    return count, total


#: cells of the past interviews' topics (the table fits 80 columns)
_TOPICS_WIDTH = 30


class InterviewSetupScreen(BoxScreen):
    """The choices of a new interview, and the past ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", tooltip="start the interview with these choices"),
        Binding("escape", "back", "Back", tooltip="back"),
    ]

    class Loaded(Message):
        """The decks' topics and the past interviews, read by a worker."""

        def __init__(self, topics: list[str], past: list[InterviewSummary]) -> None:
            super().__init__()
            self.topics = topics
            self.past = past

    def compose(self) -> ComposeResult:
        with MoreScroll(id="iv-setup"):
            yield Static(Text("A new mock interview", style="bold"), classes="iv-heading")
            with Horizontal(classes="iv-choice"):
                yield Static("questions", classes="iv-label")
                yield TypedInput(
                    str(DEFAULT_QUESTIONS), id="iv-questions", compact=True, type="integer"
                )
                yield Static(f"1 to {MAX_QUESTIONS}", classes="iv-note")
            with Horizontal(classes="iv-choice"):
                yield Static("minutes", classes="iv-label")
                yield TypedInput(
                    id="iv-minutes", compact=True, type="number", placeholder="default"
                )
                yield Static(
                    f"for the whole interview (default {DEFAULT_MINUTES_PER_QUESTION:g} a "
                    "question)",
                    classes="iv-note",
                )
            yield Static(
                "topics (space picks; none picked: every top-level topic)", classes="iv-section"
            )
            yield SelectionList[str](id="iv-topics", compact=True)
            yield Checkbox("the answers reschedule the cards", id="iv-reschedule", compact=True)
            yield Static("", id="iv-problem", markup=False)
            yield Button("Start (ctrl+s)", id="iv-start", compact=True, variant="primary")
            yield Static(Text("Past interviews", style="bold"), classes="iv-heading")
            past: DataTable[Text] = DataTable(id="iv-past", cursor_type="row")
            yield past
            yield Static("", id="iv-past-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """The number of questions has the keyboard (with the keys typed while the
        screen was being built); read topics and past interviews."""
        past = self.query_one("#iv-past", DataTable)
        past.add_columns("#", "when", "score", "answered", "topics")
        self.query_one("#iv-problem").display = False
        self.take_keys(self.query_one("#iv-questions", Input))
        self._load()

    @work(thread=True, exclusive=True, group="iv-setup", exit_on_error=False)
    def _load(self) -> None:
        app = self.quiz_app
        app.ensure_synced()
        topics: dict[str, None] = {}
        for row in app.service.topic_tree():
            topics.setdefault(row.deck, None)
            if row.topic:
                topics.setdefault(" › ".join((row.deck, row.topic[0])), None)
        self.post_message(self.Loaded(list(topics), list_interviews(app.db)))

    def on_interview_setup_screen_loaded(self, message: Loaded) -> None:
        """Offer the topics; list the past interviews, newest first."""
        topics = self.query_one("#iv-topics", SelectionList)
        topics.clear_options()
        topics.add_options([(Text(visible_line(t)), t) for t in message.topics])
        past = self.query_one("#iv-past", DataTable)
        past.clear()
        for iv in reversed(message.past):
            asked = Text(visible_line(", ".join(iv.topics) or "all"))
            asked.truncate(_TOPICS_WIDTH, overflow="ellipsis")
            past.add_row(
                Text(str(iv.id)),
                Text(iv.started_at.astimezone().strftime("%Y-%m-%d %H:%M")),
                Text(f"{iv.score}/{iv.max_score} ({iv.percent}%)"),
                Text(f"{iv.answered} of {iv.questions}"),
                asked,
                key=str(iv.id),
            )
        note = (
            "Enter on one shows its report; `quizapp interview --list` lists them too."
            if message.past
            else "None yet: each report is kept here once an interview ends."
        )
        self.query_one("#iv-past-note", Static).update(Text(note, style="dim"))

    # -- actions ---------------------------------------------------------------------

    @on(TypedInput.Submitted)
    def _submitted(self, event: TypedInput.Submitted) -> None:
        # The box's text when Enter was pressed, not with the keys typed behind it.
        event.stop()
        self._start({event.input.id: event.value})

    @on(Button.Pressed, "#iv-start")
    def action_start(self) -> None:
        """Start with the choices on screen (or say what is wrong with them)."""
        self._start({})

    def _start(self, typed: dict[str | None, str]) -> None:
        """Start with the choices on screen; a box named in ``typed`` with the text
        given there (what it held when Enter was pressed)."""

        def value(box: str) -> str:
            return typed.get(box, self.query_one(f"#{box}", Input).value)

        choices = parse_choices(value("iv-questions"), value("iv-minutes"))
        problem = self.query_one("#iv-problem", Static)
        if isinstance(choices, str):
            problem.update(Text(choices, style="bold red"))
            problem.display = True
            return
        questions, minutes = choices
        topics = self.query_one("#iv-topics", SelectionList).selected
        self.quiz_app.start_interview(
            InterviewOptions(
                questions=questions,
                minutes=minutes,
                topics=tuple(str(t) for t in topics),
                reschedule=self.query_one("#iv-reschedule", Checkbox).value,
            )
        )

    @on(DataTable.RowSelected, "#iv-past")
    def _past_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.quiz_app.open_interview_report(int(event.row_key.value))

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss()
