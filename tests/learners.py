"""Simulated learners: review histories whose memory follows known FSRS parameters."""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.study.evaluation import ReviewEvent

START = datetime(2025, 1, 1, 9, tzinfo=UTC)

#: a learner who forgets faster than FSRS's average user: small initial stabilities,
#: slower growth after a success, a steeper forgetting curve
FORGETFUL = list(DEFAULT_PARAMETERS)
for _index, _value in {0: 0.05, 1: 0.2, 2: 0.5, 3: 1.5, 8: 0.9, 20: 0.5}.items():
    FORGETFUL[_index] = _value


def simulate(
    parameters: Sequence[float],
    *,
    cards: int = 300,
    new_per_day: int = 10,
    days: int = 120,
    seed: int = 1,
    later: Sequence[float] | None = None,
    switch_day: int = 0,
) -> list[ReviewEvent]:
    """A daily morning session: the default scheduler picks what is due (learning steps
    come back within the session), recall is drawn from the *true* retrievability.

    The truth is ``parameters``; with ``later``, from ``switch_day`` on the learner's
    recall follows ``later`` instead (both memories replay the whole history).
    """
    rng = random.Random(seed)
    truths = [Scheduler(parameters=parameters, enable_fuzzing=False)]
    if later is not None:
        truths.append(Scheduler(parameters=later, enable_fuzzing=False))
    scheduler = Scheduler(enable_fuzzing=False)
    memory: list[dict[str, Card]] = [{} for _ in truths]
    plan: dict[str, Card] = {}
    events: list[ReviewEvent] = []
    for day in range(days):
        now = START + timedelta(days=day)
        end = now + timedelta(hours=3)
        truth = 1 if later is not None and day >= switch_day else 0
        for _ in range(new_per_day):
            if len(plan) < cards:
                card_id = f"sim-{len(plan)}"
                for m in memory:
                    m[card_id] = Card(card_id=0, due=now)
                plan[card_id] = Card(card_id=0, due=now)
        queue = [(c.due, card_id) for card_id, c in plan.items() if c.due <= end]
        heapq.heapify(queue)
        while queue:
            due, card_id = heapq.heappop(queue)
            now = max(now, due) + timedelta(seconds=20)
            if now > end:
                break
            card = memory[truth][card_id]
            if card.last_review is None:
                rating = rng.choices([1, 2, 3, 4], [0.3, 0.1, 0.5, 0.1])[0]
            elif rng.random() < truths[truth].get_card_retrievability(card, now):
                rating = rng.choices([2, 3, 4], [0.1, 0.8, 0.1])[0]
            else:
                rating = 1
            events.append(ReviewEvent(card_id, rating, now))
            for i, t in enumerate(truths):
                memory[i][card_id], _ = t.review_card(memory[i][card_id], Rating(rating), now)
            plan[card_id], _ = scheduler.review_card(plan[card_id], Rating(rating), now)
            if plan[card_id].due <= end:
                heapq.heappush(queue, (plan[card_id].due, card_id))
    return events
