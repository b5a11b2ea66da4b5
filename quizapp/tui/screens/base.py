"""What the app's full screens share: the typed app accessor and the one error path
of their workers.

Screens never import the app module at run time (it imports them, to navigate): they
reach it through :attr:`QuizScreen.quiz_app`, typed for the checker only.
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from quizapp.store.errors import StoreError

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class QuizScreen(Screen[None]):
    """A screen of :class:`~quizapp.tui.app.QuizApp`.

    Its workers run with ``exit_on_error=False``: an exception in one comes here, in
    :meth:`on_worker_state_changed`, which shows it and lets the screen recover
    (:meth:`worker_failed`); the app keeps running.
    """

    @property
    def quiz_app(self) -> QuizApp:
        """The app, with its database, study service and navigation."""
        return cast("QuizApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one error path of every worker of the screen: say what went wrong (a
        database problem in its own words, anything else with its type) and carry on."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, StoreError):
            self.notify(str(error), title="Database", severity="error", markup=False)
        elif error is not None:
            self.log.error("".join(traceback.format_exception(error)))
            self.notify(
                f"{type(error).__name__}: {error}",
                title="Something went wrong (nothing saved was lost)",
                severity="error",
                markup=False,
                timeout=10,
            )
        self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[object]) -> None:
        """Put the screen back in a usable state after ``worker`` failed (its error has
        been shown). Screens whose workers change what keys do override it."""
