"""FSRS scheduling settings and the bridge between card rows and py-fsrs cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store.queue import LEARN_AHEAD
from quizapp.store.settings import Settings, settings_from_values

#: meta-table key of the fitted parameters (the user's settings: store.settings)
PARAMETERS_KEY = "fsrs.parameters"


@dataclass(frozen=True)
class StudySettings(Settings):
    """How cards are scheduled: the user's settings (``quizapp config``) plus the
    scheduler's fitted parameters; these are the defaults."""

    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)
    #: learning cards due within this window are shown when nothing else is left
    learn_ahead: timedelta = LEARN_AHEAD
    enable_fuzzing: bool = True

    def scheduler(self, *, fuzz: bool | None = None) -> Scheduler:
        """A py-fsrs scheduler with these settings."""
        return Scheduler(
            parameters=self.parameters,
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval,
            enable_fuzzing=self.enable_fuzzing if fuzz is None else fuzz,
        )


def to_fsrs(
    *,
    state: int,
    step: int | None,
    stability: float | None,
    difficulty: float | None,
    due: datetime,
    last_review: datetime | None,
) -> FsrsCard:
    """A py-fsrs card from stored scheduling fields."""
    return FsrsCard(
        card_id=0,
        state=State(state),
        step=step,
        stability=stability,
        difficulty=difficulty,
        due=due,
        last_review=last_review,
    )


def from_fsrs(card: FsrsCard) -> dict[str, Any]:
    """Stored scheduling fields from a py-fsrs card."""
    return {
        "state": int(card.state),
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
    }


def settings_from_meta(values: dict[str, Any]) -> StudySettings:
    """Settings from the ``meta`` table's values (missing keys keep their defaults):
    the user's settings as :func:`quizapp.store.settings.settings_from_values` reads
    them, and the fitted parameters."""
    user = settings_from_values(values)
    kwargs: dict[str, Any] = {f.name: getattr(user, f.name) for f in fields(Settings)}
    params = values.get(PARAMETERS_KEY)
    if isinstance(params, Sequence) and len(params) == len(DEFAULT_PARAMETERS):
        kwargs["parameters"] = tuple(float(x) for x in params)
    return StudySettings(**kwargs)
