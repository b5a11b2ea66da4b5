"""What the study and interview screens share: the parts of a card, phases and the
answer box.

Both screens show one card at a time and move through phases (``question``,
``typing``, ``grading`` …); each names in :attr:`CardScreen.PHASES` which phases an
action belongs to, and keys are offered (and run) only there. The answer box of a
computational card works the same on both: an empty Enter asks once for an answer,
then the screen's :meth:`CardScreen.submit_answer` gets what was typed and the time it
took. Its keys act in the order typed (:class:`TypedInput`): what is graded and
recorded is what the user typed, however fast.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Rule, Static

from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.card_markdown import CardMarkdown
from quizapp.tui.widgets.typed_input import TypedInput

#: the answer box of computational cards (study and interview screens)
ANSWER_PLACEHOLDER = "a number or an expression, e.g. 3*(64*32+64*64)"


class CardScreen(QuizScreen):
    """A screen that asks cards: the study screen and the interview screen."""

    #: action → the phases it is available in (actions not named are always available)
    PHASES: ClassVar[Mapping[str, frozenset[str]]] = {}
    #: shown on the first Enter in an empty answer box
    EMPTY_ANSWER_HINT: ClassVar[str] = "Type a number or an expression first."

    def __init__(self) -> None:
        super().__init__()
        self.phase = "loading"
        self._before = "loading"
        #: the clock cards are timed with (tests replace it)
        self.clock: Callable[[], float] = time.monotonic
        #: when the card on screen was shown, by :attr:`clock`
        self.shown_at = 0.0
        #: seconds from showing the card to the answer (None until answered)
        self.answer_seconds: float | None = None
        self._empty_submits = 0

    # -- phases ----------------------------------------------------------------------

    def _set_phase(self, phase: str) -> None:
        self._before = self.phase
        self.phase = phase
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer (and run) only the actions of the current phase."""
        allowed = self.PHASES.get(action)
        if allowed is None:
            return True
        return self.phase in allowed

    def allowed(self, action: str) -> bool:
        """Whether ``action`` belongs to the current phase."""
        return self.check_action(action, ()) is True

    def _hint(self, text: str, style: str = "dim") -> None:
        hint = self.query_one("#hint", Static)
        hint.update(Text(text, style=style))
        hint.display = bool(text)

    # -- the answer box --------------------------------------------------------------

    def _card_shown(self) -> None:
        """Start timing the card just shown."""
        self.shown_at = self.clock()
        self.answer_seconds = None
        self._empty_submits = 0

    def _answered(self) -> float:
        """Stop timing: the seconds the card took."""
        self.answer_seconds = self.clock() - self.shown_at
        return self.answer_seconds

    @on(TypedInput.Submitted, "#typed")
    def _answer_submitted(self, event: TypedInput.Submitted) -> None:
        event.stop()
        if self.phase != "typing":
            return
        typed = event.value.strip()
        if not typed and self._empty_submits == 0:
            self._empty_submits += 1
            self._hint(self.EMPTY_ANSWER_HINT, "yellow")
            return
        seconds = self._answered()
        box = self.query_one("#typed", TypedInput)
        # Keys typed behind the Enter are not taken while grading: the box shows the
        # answer graded, and the keys after this go to the card, where the phase's
        # keys apply.
        box.value = event.value
        box.disabled = True
        self.set_focus(self.query_one("#card", VerticalScroll))
        self._hint("grading…")
        self.submit_answer(typed, seconds)

    def submit_answer(self, typed: str, seconds: float) -> None:
        """Grade what was typed (in a worker)."""
        raise NotImplementedError


def card_parts() -> Iterator[Widget]:
    """The body of a card, as the study and interview screens show it: the question,
    the answer box of computational cards, a hint line, a divider and the answer."""
    yield CardMarkdown(id="question")
    yield TypedInput(id="typed", placeholder=ANSWER_PLACEHOLDER)
    yield Static(id="hint", markup=False)
    yield Rule(id="divider")
    yield CardMarkdown(id="answer")
