"""``u`` takes back this session's own rating only, never another machine's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from quizapp.tui.screens.study import StudyScreen
from tui.apptest import (
    CONV,
    GATE,
    MARKUP,
    SIZE,
    AppFactory,
    run,
    wait_for_phase,
    wait_until,
)

#: the other machine: rates the given cards Good through its own connection and process
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


def _notes(pilot: Pilot[Any]) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def _rate_good(pilot: Pilot[Any], question: str) -> str:
    """Rate the card on screen Good; returns its id."""
    await wait_for_phase(pilot, "question")
    screen = pilot.app.screen
    assert isinstance(screen, StudyScreen) and screen.prompt is not None
    assert screen.prompt.question.startswith(question), screen.prompt.question
    card_id = screen.prompt.card.id
    await pilot.press("space")
    await wait_for_phase(pilot, "answer")
    await pilot.press("3")
    return card_id


def test_undo_leaves_a_card_reviewed_elsewhere_and_takes_back_the_one_before(
    new_app: AppFactory, db_url: str, deck: Path
) -> None:
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            # (The database is not opened in this process meanwhile: a second
            # connection's open and close would drop the app's file locks.)
            x = await _rate_good(pilot, GATE)
            y = await _rate_good(pilot, CONV)
            await wait_for_phase(pilot, "question")
            screen = pilot.app.screen
            assert isinstance(screen, StudyScreen) and screen.prompt is not None
            z = screen.prompt.card.id
            assert screen.prompt.question.startswith(MARKUP)
            # The other machine rates Y (rated here just before), then Z.
            other = subprocess.run(
                [sys.executable, "-c", OTHER_MACHINE, db_url, y, z],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert other.returncode == 0, other.stderr

            await pilot.press("u")
            await wait_until(
                pilot, lambda: any("Not undone" in n for n in _notes(pilot)), what="refusal"
            )
            await wait_for_phase(pilot, "question")
            assert screen.prompt.question.startswith(MARKUP)
            assert any("both reviews are kept" in n for n in _notes(pilot))

            await pilot.press("u")
            await wait_until(
                pilot,
                lambda: screen.prompt is not None and screen.prompt.card.id == x,
                what="X back",
            )
            await pilot.press("ctrl+q")
            ids.extend((x, y, z))

    ids: list[str] = []
    run(scenario())
    # Read back as the user would, from a new process: X's rating is undone, both of
    # Y's stay, and the other machine's rating of Z is untouched.
    listed = subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", db_url, "--deck", str(deck), "cards", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    counts = {card["id"]: card["reviews"] for card in json.loads(listed.stdout) if card["reviews"]}
    x, y, z = ids
    assert x not in counts
    assert counts == {y: 2, z: 1}
