"""The study queue read before the database stack is loaded: the app's first screen.

``quizapp`` and ``quizapp study`` draw their first screen from a read-only standard
library ``sqlite3`` transaction (:mod:`quizapp.store.quickread`) running the queue's
own SQL and rules (:mod:`quizapp.store.queue`), before SQLAlchemy, Alembic and FSRS are
imported. :class:`QuickQueue` is a :class:`~quizapp.study.reader.QueueReader` over it:
the study screen's first card is the first prompt of a
:class:`~quizapp.study.engine.StudySession` walking it, the same engine code as the
session that follows. It only reads: the intervals under the ratings are left unknown
(they need FSRS), and a card that would have to be buried ends the quick read.

Every function here returns ``None`` when the quick path cannot be trusted (a new
database, a schema to migrate, PostgreSQL, another program's tables, a read error or a
read past the deadline): the screen then waits for the full path, as it always could.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from quizapp.store import queue
from quizapp.store.queue import Fetch
from quizapp.store.quickread import quick_read
from quizapp.store.settings import read_settings
from quizapp.store.views import CardView, Counts, TopicCounts
from quizapp.study.engine import Step, StudySession
from quizapp.study.options import StudyOptions

T = TypeVar("T")


class ReadOnlyQueue(Exception):
    """The quick read was asked to write (bury a card): the full path must do it."""


class QuickQueue:
    """The study queue on one read-only ``sqlite3`` transaction, at ``now``."""

    def __init__(self, fetch: Fetch, now: datetime) -> None:
        self._fetch = fetch
        self._now = now
        #: the user's settings, read as the full path reads them
        self.settings = read_settings(fetch)

    def next_card(self, topic: str | None = None, exclude: Collection[str] = ()) -> CardView | None:
        """The next card to study, as the study service would give it."""
        return queue.next_card(
            self._fetch, self._now, settings=self.settings, topic=topic, exclude=exclude
        )

    def counts(self, topic: str | None = None) -> Counts:
        """Cards waiting now."""
        return queue.counts(self._fetch, self._now, settings=self.settings, topic=topic)

    def preview(self, card_id: str) -> dict[int, timedelta]:
        """Not known here (FSRS is not loaded): the ratings wait for the full path."""
        return {}

    def bury(self, card_id: str) -> datetime | None:
        """A read-only transaction cannot bury: the full path will."""
        raise ReadOnlyQueue(card_id)

    def topic_tree(self) -> list[TopicCounts]:
        """Per (deck, topic path) counts of active cards."""
        return queue.topic_tree(self._fetch, self._now, self.settings)

    def reviewed_today(self) -> int:
        """Study reviews made since the day started."""
        return queue.studied_since(self._fetch, self.settings.day_start(self._now))

    def queue(self, topic: str | None = None) -> list[CardView]:
        """Every card to study now, in order, as the study service lists them."""
        return queue.queue(self._fetch, self._now, settings=self.settings, topic=topic)

    def decks_synced(self, paths: Sequence[Path]) -> bool:
        """Whether a sync of ``paths`` would find nothing to do (and nothing to say)."""
        # Imported here: the first screen never scans the deck files.
        from quizapp.store.deckscan import KNOWN_FILES, scan_decks

        known = {str(path): str(digest) for path, digest in self._fetch(KNOWN_FILES, {})}
        scan = scan_decks(paths, known)
        return scan.nothing_to_do and not scan.diagnostics


def read_quickly(
    url: str, now: datetime, job: Callable[[QuickQueue], T], *, bounded: bool = True
) -> T | None:
    """``job`` run on the quick queue of the database at ``url``, or None when the
    quick path cannot be trusted (the caller waits for the full path). ``bounded``:
    within :data:`~quizapp.store.quickread.READ_DEADLINE`, as on the UI thread."""
    try:
        with quick_read(url, bounded=bounded) as fetch:
            if fetch is None:
                return None
            return job(QuickQueue(fetch, now))
    except (sqlite3.Error, ValueError, ReadOnlyQueue):
        return None


def due_cards(
    url: str, now: datetime, paths: Sequence[Path] | None, topic: str | None
) -> list[CardView] | None:
    """The study queue (``quizapp cards --due``), or None when the full path must sync
    or read it: the deck files at ``paths`` changed since the last sync (None: no sync
    asked for), or the quick path cannot be trusted."""

    def job(reader: QuickQueue) -> list[CardView] | None:
        if paths is not None and not reader.decks_synced(paths):
            return None
        return reader.queue(topic)

    return read_quickly(url, now, job, bounded=False)


def first_step(url: str, now: datetime, options: StudyOptions, rng: random.Random) -> Step | None:
    """A study session's first step, as the session will show it.

    The values of a computational card are drawn from a copy of ``rng``, so the full
    session, drawing from ``rng`` itself, shows the same numbers.
    """
    twin = random.Random()
    twin.setstate(rng.getstate())
    return read_quickly(url, now, lambda reader: StudySession(reader, options, rng=twin).next())
