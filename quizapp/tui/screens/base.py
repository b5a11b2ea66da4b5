"""What the app's full screens share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Rule, Static

from quizapp.tui.widgets.card_markdown import CardMarkdown

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

#: the answer box of computational cards (study and interview screens)
ANSWER_PLACEHOLDER = "your answer: a number or an expression like 3*(64*32+64*64), then Enter"


class QuizScreen(Screen[None]):
    """A screen of :class:`~quizapp.tui.app.QuizApp`."""

    @property
    def quiz_app(self) -> QuizApp:
        """The app, with its database and study service."""
        from quizapp.tui.app import QuizApp

        assert isinstance(self.app, QuizApp)
        return self.app


def card_parts() -> Iterator[Widget]:
    """The body of a card, as the study and interview screens show it: the question,
    the answer box of computational cards, a hint line, a divider and the answer."""
    yield CardMarkdown(id="question")
    yield Input(id="typed", placeholder=ANSWER_PLACEHOLDER)
    yield Static(id="hint", markup=False)
    yield Rule(id="divider")
    yield CardMarkdown(id="answer")
