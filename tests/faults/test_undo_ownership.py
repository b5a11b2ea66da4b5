"""Undo takes back only what this session recorded, never another machine's review.

Session A (the app's engine, in this process) rates X and Y; session B -- another
process on the same database, as a second machine would be -- rates Y, then Z. A's
first undo finds Y reviewed since: it says so and both reviews of Y stay. A's second
undo takes back A's own rating of X. B's rating of Z is never touched.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from quizapp.store.db import open_db
from quizapp.study.engine import Prompt, StudySession, UndoRefused
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService

#: the other machine: rates the given cards Good through its own connection
OTHER_MACHINE = """
import sys
from quizapp.store.db import open_db
from quizapp.study.service import StudyService
db = open_db(sys.argv[1])
service = StudyService(db)
for card_id in sys.argv[2:]:
    service.review(card_id, 3)
db.close()
"""


def _url(db: Path | str) -> str:
    return db if isinstance(db, str) else f"sqlite:///{db}"


def test_undo_never_deletes_another_machines_review(
    fault_db: Path | str, fault_deck: Any, prepare: Any, probe: Any
) -> None:
    deck = fault_deck(5)
    prepare(fault_db, deck)
    url = _url(fault_db)
    database = open_db(url)
    try:
        service = StudyService(database, settings=StudySettings(enable_fuzzing=False))
        session = StudySession(service)
        first = session.next()
        assert isinstance(first, Prompt)
        x = first.card.id
        second = session.rate_and_next(first, 3, seconds=2.0)
        assert isinstance(second, Prompt) and second.card.id != x
        y = second.card.id
        session.rate(second, 3, seconds=2.0)
        third = session.next()
        assert isinstance(third, Prompt)
        z = next(card.id for card in service.queue() if card.id not in {x, y})

        other = subprocess.run(
            [sys.executable, "-c", OTHER_MACHINE, url, y, z],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert other.returncode == 0, other.stderr

        refused = session.undo()
        assert isinstance(refused, UndoRefused)
        assert refused.reason == "reviewed_since"
        assert refused.card is not None and refused.card.id == y

        back = session.undo()
        assert isinstance(back, Prompt) and back.card.id == x
        assert session.undo() is None
    finally:
        database.close()

    counts = dict(probe.rows(fault_db, "SELECT card_id, count(*) FROM reviews GROUP BY card_id"))
    # X's own rating is gone; both ratings of Y stay; the other machine's Z is untouched.
    assert counts == {y: 2, z: 1}
