"""``kill -9`` during ``quizapp study --plain``: every acknowledged rating is kept.

Each round starts a real ``quizapp study --plain`` process, answers its prompts like a
user (Enter to reveal, a rating), records every rating the process acknowledged with
``saved:``, and sends SIGKILL at a random moment: during start-up, while a card is
shown, right after a rating was typed (while it is being committed), or just after an
acknowledgement. After each kill the database -- a SQLite file, then a PostgreSQL
database -- must hold every acknowledged review, for the right card and with the right
rating, in order (and the SQLite file must pass ``PRAGMA integrity_check``).
A kill may also land after a commit but before its acknowledgement was printed: such a
review may be present, but no review may appear that nobody typed.

5 blocks × 10 rounds = 50 kills on SQLite, 20 on PostgreSQL; the blocks run in parallel
under xdist.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The prompts of ``study --plain`` (quizapp/cli/plain.py); the two prompts end without a
# newline, so they are recognised at the end of what the process printed so far.
REVEAL_PROMPT = "[Enter] show answer "
RATING_PROMPT_END = "]: "
ACK = "saved: "
ROUNDS = 10
BLOCKS = 5
#: PostgreSQL rolls a dead client's transaction back itself: fewer rounds prove it
PG_BLOCKS = 2


@dataclass
class Ledger:
    """What the user saw acknowledged, and what they typed but never saw acknowledged."""

    acked: list[tuple[str, int]] = field(default_factory=list)
    unacked: list[tuple[str, int]] = field(default_factory=list)


def _session(proc: Any, rng: random.Random, ledger: Ledger, ids: dict[str, str]) -> None:
    """Play one session until the chosen kill moment, then SIGKILL the process."""
    plan = rng.choice(("delay", "after_ack", "after_rating", "at_reveal"))
    target = rng.randint(0, 5)
    kill_at = time.monotonic() + rng.uniform(0.05, 1.5) if plan == "delay" else None
    buf = ""
    expect_front = False
    card: str | None = None
    pending: tuple[str, int] | None = None
    acks = 0
    while True:
        if kill_at is not None and time.monotonic() >= kill_at:
            break
        new = proc.read(0.02 if kill_at is not None else 20.0)
        if new is None:
            if kill_at is not None and proc.proc.poll() is None:
                continue
            raise AssertionError(
                f"the session stopped by itself ({plan}, {target}, {acks}):\n"
                f"{proc.stdout}\n{proc.stderr}"
            )
        buf += new
        *lines, buf = buf.split("\n")
        for line in lines:
            if expect_front:
                card, expect_front = ids[line], False
            elif re.match(r"\[\d+\] ", line):
                expect_front = True  # the question is on the next line
            elif line.startswith(ACK):
                assert pending is not None, f"acknowledged a rating nobody typed: {line}"
                ledger.acked.append(pending)
                pending = None
                acks += 1
                if plan == "after_ack" and acks >= target:
                    time.sleep(rng.uniform(0, 0.01))
                    proc.kill()
                    return
        # A prompt is what is left after the last newline; answering it consumes it.
        if buf.endswith(REVEAL_PROMPT):
            if plan == "at_reveal" and acks >= target:
                break
            buf = ""
            proc.send("")
        elif buf.endswith(RATING_PROMPT_END):
            assert card is not None
            rating = rng.randint(1, 4)
            pending = (card, rating)
            buf = ""
            proc.send(str(rating))
            if plan == "after_rating" and acks >= target:
                # Kill while the rating is on its way to the database.
                time.sleep(rng.uniform(0, 0.004))
                break
    proc.kill()
    if pending is not None:
        ledger.unacked.append(pending)
    assert "Traceback" not in proc.stderr, proc.stderr


def _assert_kept(probe: Any, db: Path | str, ledger: Ledger) -> None:
    if isinstance(db, Path):  # a SQLite file; a PostgreSQL server rolls a dead client back
        assert probe.integrity(db) == "ok"
    logged = [
        (str(c), int(r))  # type: ignore[call-overload]
        for c, r in probe.rows(db, "SELECT card_id, rating FROM reviews ORDER BY id")
    ]
    # Every acknowledged review is there, in order; anything else is a rating that was
    # typed and committed just before the kill cut off its acknowledgement.
    allowed = set(ledger.unacked)
    i = 0
    for entry in logged:
        if i < len(ledger.acked) and entry == ledger.acked[i]:
            i += 1
        else:
            assert entry in allowed, f"review {entry} was never typed"
    assert i == len(ledger.acked), (
        f"acknowledged review {ledger.acked[i]} is missing after a kill "
        f"({len(logged)} logged, {len(ledger.acked)} acknowledged)"
    )
    # The card rows agree with the log: each card's review count is its log rows.
    counts = dict(probe.rows(db, "SELECT card_id, count(*) FROM reviews GROUP BY card_id"))
    for card_id, reviews in probe.rows(db, "SELECT id, reviews FROM cards WHERE reviews > 0"):
        assert counts.get(card_id) == reviews, f"card {card_id}: state and log disagree"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "block"),
    [("sqlite", b) for b in range(BLOCKS)] + [("postgresql", b) for b in range(PG_BLOCKS)],
)
def test_kill_during_study_keeps_every_acknowledged_review(
    fault_db: Path | str, block: int, spawn: Any, probe: Any, fault_deck: Any, prepare: Any
) -> None:
    deck = fault_deck(400)
    db = fault_db
    prepare(db, deck)
    ids = {str(front): str(cid) for cid, front in probe.rows(db, "SELECT id, front FROM cards")}
    rng = random.Random(1000 + block)
    ledger = Ledger()
    for _ in range(ROUNDS):
        proc = spawn(probe.argv(db, deck, "study", "--plain"))
        _session(proc, rng, ledger, ids)
        _assert_kept(probe, db, ledger)
    assert len(ledger.acked) >= ROUNDS, "too few reviews were acknowledged to prove anything"
