"""What the app's full screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

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
