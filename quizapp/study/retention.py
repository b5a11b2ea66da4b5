"""The recommended desired retention: the lowest study time per card remembered.

fsrs-rs's ``optimal_retention`` (what Anki calls the minimum recommended retention)
simulates a year of study at desired retentions between 0.70 and 0.95 and returns the
one where the seconds spent per card remembered at the end are lowest. Below it, every
card remembered costs more time; above it, more time buys more memory, a trade the user
may want to make (before an interview, for example).

The simulation is sized to the user's collection: as many cards as it holds (retired
ones aside; a history imported on its own, with no deck behind it, is sized by the
cards it reviewed), introduced at the user's new-cards-per-day limit over
:data:`LEARN_SPAN` days, with the seconds per review and the rating shares measured from
the user's own log (:mod:`quizapp.study.costs`), the user's daily review limit, maximum
interval and learning steps, and the parameters that schedule the cards. The cards
already studied enter as new ones: fsrs-rs keeps a studied card at the retention it was
given, so it could not tell retentions apart, and the recommendation is about the
steady state the collection settles into.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.store.db import Database
from quizapp.store.history import active_card_count, timed_reviews
from quizapp.store.settings import Settings
from quizapp.study.costs import StudyCosts, measure_costs
from quizapp.study.service import StudyService

#: days simulated (a year, as Anki's default)
LEARN_SPAN = 365
#: what fsrs-rs searches between
LOWEST, HIGHEST = 0.70, 0.95
#: fsrs-rs runs this many simulations (seeds) per retention tried, for a span of a year
RUNS_PER_TRY = 16
_DEFAULT_SETTINGS = Settings()
#: no cap on the seconds of a day (the app caps reviews, not time)
_UNLIMITED = 1e12


@dataclass(frozen=True)
class Recommendation:
    """The recommended desired retention and what it was computed from."""

    retention: float
    cards: int
    new_per_day: int
    days: int
    simulations: int
    seconds: float
    costs: StudyCosts

    def to_json(self) -> dict[str, Any]:
        """The JSON form (what ``optimize --json`` and ``stats --json`` show)."""
        return {
            "desired_retention": self.retention,
            "cards": self.cards,
            "new_per_day": self.new_per_day,
            "days": self.days,
            "simulations": self.simulations,
            "seconds": self.seconds,
            "costs": self.costs.to_json(),
        }


def simulator_config(cards: int, settings: Settings, costs: StudyCosts, *, days: int) -> Any:
    """fsrs-rs's simulator set up for this collection, these settings and costs."""
    from fsrs_rs_python import default_simulator_config

    config = default_simulator_config()
    config.deck_size = max(1, cards)
    config.learn_span = days
    config.learn_limit = max(1, settings.new_per_day)
    config.review_limit = max(1, settings.reviews_per_day)
    config.max_ivl = float(settings.maximum_interval)
    config.max_cost_perday = _UNLIMITED
    config.first_rating_prob = list(costs.first_rating)
    config.review_rating_prob = list(costs.review_rating)
    config.state_rating_costs = [list(row) for row in costs.seconds]
    config.learning_step_count = len(settings.learning_steps)
    config.relearning_step_count = len(settings.relearning_steps)
    return config


def optimal_retention(
    parameters: Sequence[float],
    *,
    cards: int,
    costs: StudyCosts,
    settings: Settings = _DEFAULT_SETTINGS,
    days: int = LEARN_SPAN,
    progress: Callable[[int], None] | None = None,
) -> Recommendation:
    """Run fsrs-rs's search; ``progress`` is called with the simulations run so far."""
    from fsrs_rs_python import optimal_retention as search

    config = simulator_config(cards, settings, costs, days=days)
    runs = 0

    def seconds_per_card_remembered(result: Any, _parameters: Sequence[float]) -> float:
        # fsrs-rs's own target, restated to count the simulations as they finish
        nonlocal runs
        runs += 1
        if progress is not None:
            progress(runs)
        remembered = float(result.memorized_cnt_per_day[-1])
        return float(sum(result.cost_per_day)) / max(remembered, 1e-9)

    started = time.perf_counter()
    retention = float(search(config, list(parameters), None, seconds_per_card_remembered))
    return Recommendation(
        retention=round(retention, 3),
        cards=config.deck_size,
        new_per_day=config.learn_limit,
        days=days,
        simulations=runs,
        seconds=time.perf_counter() - started,
        costs=costs,
    )


def recommend_retention(
    db: Database,
    parameters: Sequence[float],
    *,
    progress: Callable[[int], None] | None = None,
) -> Recommendation:
    """The recommended desired retention for this collection with ``parameters``."""
    settings = StudyService(db).settings
    reviews = timed_reviews(db)
    return optimal_retention(
        parameters,
        cards=active_card_count(db) or len({r.card_id for r in reviews}),
        costs=measure_costs(reviews),
        settings=settings,
        progress=progress,
    )
