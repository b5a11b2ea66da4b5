"""The first screen's data, read before SQLAlchemy, Alembic and FSRS are imported.

``quizapp`` and ``quizapp study`` draw their first screen from a read-only standard
library connection (:mod:`quizapp.store.quickread`) running the study queue's own SQL
and rules (:mod:`quizapp.store.queue`); the full stack loads right after that first
paint, syncs the deck files and computes the screen again, and the screen changes only
if the decks changed on disk meanwhile. Every function here returns ``None`` when the
quick path cannot be trusted (a new database, a schema to migrate, PostgreSQL, a read
error): the screen then waits for the full path, as it always could.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.store import queue as q
from quizapp.store.quickread import quick_read
from quizapp.store.settings import read_settings
from quizapp.study.engine import CannotDraw, Prompt, SessionEnd, Step, draw_card

if TYPE_CHECKING:
    from quizapp.tui.widgets.deck_tree import Overview


def first_study_step(
    url: str, now: datetime, *, topic: str | None, limit: int | None, rng: random.Random
) -> Step | None:
    """The study session's first card (or its end), as the session would show it.

    The values of a computational card are drawn from a copy of ``rng``, so the full
    path, drawing from ``rng`` itself, shows the same numbers. The intervals under the
    ratings are left empty: they need FSRS, and the ratings are hidden until the full
    path has filled them in.
    """
    try:
        with quick_read(url) as fetch:
            if fetch is None:
                return None
            settings = read_settings(fetch)
            card = q.next_card(fetch, now, settings=settings, topic=topic)
            counts = q.counts(fetch, now, settings=settings, topic=topic)
    except (sqlite3.Error, ValueError):
        return None
    if card is None:
        return SessionEnd("empty", 0, counts)
    twin = random.Random()
    twin.setstate(rng.getstate())
    try:
        drawn = draw_card(card, twin)
    except CannotDraw:
        # The session skips such a card, and says so.
        return None
    total = counts.total if limit is None else min(counts.total, limit)
    return Prompt(
        card=drawn.card,
        question=drawn.question,
        answer=drawn.answer,
        params=drawn.params,
        intervals={},
        counts=counts,
        done=0,
        total=max(total, 1),
    )


def first_overview(url: str, now: datetime) -> Overview | None:
    """The home screen's decks, topics and counts."""
    from quizapp.tui.widgets.deck_tree import Overview, group_topics

    try:
        with quick_read(url) as fetch:
            if fetch is None:
                return None
            settings = read_settings(fetch)
            rows = q.topic_tree(fetch, now, settings)
            counts = q.counts(fetch, now, settings=settings)
            reviewed = q.studied_since(fetch, settings.day_start(now))
    except (sqlite3.Error, ValueError):
        return None
    return Overview(
        groups=group_topics(rows),
        counts=counts,
        reviewed_today=reviewed,
        cards=sum(r.total for r in rows),
    )
