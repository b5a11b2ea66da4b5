"""FSRS scheduling settings and the bridge between card rows and py-fsrs cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store.queue import DEFAULT_NEW_PER_DAY, LEARN_AHEAD, NEW_PER_DAY_KEY, new_per_day

#: meta-table keys where settings and fitted parameters live (and NEW_PER_DAY_KEY)
PARAMETERS_KEY = "fsrs.parameters"
RETENTION_KEY = "fsrs.desired_retention"


@dataclass(frozen=True)
class StudySettings:
    """How cards are scheduled. Stored in the ``meta`` table; these are the defaults."""

    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)
    desired_retention: float = 0.9
    new_per_day: int = DEFAULT_NEW_PER_DAY
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
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
    """Settings from the ``meta`` table's values (missing keys keep their defaults)."""
    kwargs: dict[str, Any] = {}
    params = values.get(PARAMETERS_KEY)
    if isinstance(params, Sequence) and len(params) == len(DEFAULT_PARAMETERS):
        kwargs["parameters"] = tuple(float(x) for x in params)
    if isinstance(values.get(RETENTION_KEY), int | float):
        kwargs["desired_retention"] = float(values[RETENTION_KEY])
    if NEW_PER_DAY_KEY in values:
        kwargs["new_per_day"] = new_per_day(values)
    return StudySettings(**kwargs)
