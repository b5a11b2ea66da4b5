"""``quizapp cards`` says why a card is out of study: suspended, or buried (skipped for
the day with ``s``, or buried in Anki) until a given time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from quizapp.store.db import open_db
from quizapp.study.service import StudyService

DECK = """\
# Held deck

## Basics

### Skipped question?

Skipped answer.

### Suspended and skipped question?

Its answer.

### Studied question?

Studied answer.
"""
#: the zone the command runs in: the times it prints are local ones
ZONE = "Asia/Shanghai"


def quizapp(db: Path, deck: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "TZ": ZONE},
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_buried_and_suspended_cards_are_marked_in_the_list_and_the_json(tmp_path: Path) -> None:
    deck = tmp_path / "held.md"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "q.db"
    first: list[dict[str, Any]] = json.loads(quizapp(db, deck, "cards", "--json"))
    ids = {c["front"]: c["id"] for c in first}
    assert not any("buried_until" in c for c in first)

    # what `s` in the app does: skip the card until the next day starts
    service = StudyService(open_db(f"sqlite:///{db}"))
    service.bury(ids["Skipped question?"])
    service.bury(ids["Suspended and skipped question?"])
    service.suspend([ids["Suspended and skipped question?"]])
    until = service.day_start() + timedelta(days=1)  # the next day's start
    local = until.astimezone(ZoneInfo(ZONE))

    listed = quizapp(db, deck, "cards").splitlines()
    line = {front: next(x for x in listed if front in x) for front in ids}
    assert line["Skipped question?"].endswith(f"Skipped question? (buried until {local:%H:%M})")
    assert line["Suspended and skipped question?"].endswith(
        f"(suspended, buried until {local:%H:%M})"
    )
    assert line["Studied question?"].endswith("Studied question?")

    cards = {c["front"]: c for c in json.loads(quizapp(db, deck, "cards", "--json"))}
    assert datetime.fromisoformat(cards["Skipped question?"]["buried_until"]) == until
    assert "suspended" not in cards["Skipped question?"]
    both = cards["Suspended and skipped question?"]
    assert both["suspended"] is True
    assert datetime.fromisoformat(both["buried_until"]) == until
    assert "buried_until" not in cards["Studied question?"]


def test_a_burial_that_has_ended_is_not_shown(tmp_path: Path) -> None:
    deck = tmp_path / "held.md"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "q.db"
    ids = {c["front"]: c["id"] for c in json.loads(quizapp(db, deck, "cards", "--json"))}
    # buried yesterday (as a card buried in Anki on an earlier day): back in study today
    service = StudyService(
        open_db(f"sqlite:///{db}"), now=lambda: datetime.now(UTC) - timedelta(days=2)
    )
    service.bury(ids["Skipped question?"])
    assert "buried" not in quizapp(db, deck, "cards")
    assert "buried_until" not in quizapp(db, deck, "cards", "--json")


def test_the_help_says_what_the_marks_mean(tmp_path: Path) -> None:
    text = " ".join(quizapp(tmp_path / "q.db", tmp_path, "cards", "--help").split())
    assert "(buried until 04:00)" in text
    assert '"buried_until"' in text
    assert "(suspended)" in text
