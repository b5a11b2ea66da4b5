"""``quizapp cards --due --json`` against Anki's backend listing the same study queue.

Both sides are whole processes, timed from spawn to exit, run alternately, medians of
several runs:

- quizapp: ``python -m quizapp --db DB --deck DECK cards --due --json`` on a database
  synced from the 10k deck, with FSRS states and 100k reviews added; the deck is
  unchanged, so the sync that ``cards`` does first finds nothing to do.
- Anki: a process that opens a collection holding the same 10,000 cards, in the same
  states (new / learning / review, the same due days), asks its Rust backend for the
  study queue (``col.sched.get_queued_cards``, every card it would show) and prints it
  as JSON.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import Row, median, process_pair, ratio_row, repeats
from bench.generate import add_history, cached, deck_path

ANKI_QUEUE = (
    "import json, sys\n"
    "from anki.collection import Collection\n"
    "col = Collection(sys.argv[1])\n"
    "queued = col.sched.get_queued_cards(fetch_limit=100_000)\n"
    "print(json.dumps([\n"
    "    {'id': q.card.id, 'note': q.card.note_id, 'queue': q.queue, 'due': q.card.due,\n"
    "     'reps': q.card.reps, 'lapses': q.card.lapses}\n"
    "    for q in queued.cards\n"
    "]))\n"
    "col.close()\n"
)
#: the budget and the goal, as a share of Anki's time
BUDGET = 0.8
GOAL = 0.7


def _build_db(path: Path, deck: Path) -> None:
    from quizapp.store.db import open_db
    from quizapp.store.sync import sync_decks

    db = open_db(f"sqlite:///{path}")
    try:
        sync_decks(db, [deck])
        add_history(db, reviews=100_000, seed=3)
    finally:
        db.close()


def _build_collection(path: Path, cards_db: Path) -> None:
    """An Anki collection with one Basic note per quizapp card, in the same states."""
    import sqlite3

    from anki.collection import Collection
    from anki.decks import DeckId

    now = datetime.now(UTC)
    src = sqlite3.connect(cards_db)
    rows = src.execute(
        "SELECT front, back, state, due FROM cards WHERE retired = 0 ORDER BY source, ordinal"
    ).fetchall()
    src.close()
    col = Collection(str(path))
    try:
        basic = col.models.by_name("Basic")
        assert basic is not None
        default_deck = DeckId(1)
        notes = []
        for front, back, _, _ in rows:
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, back
            col.add_note(note, default_deck)
            notes.append(note)
        today = col.sched.today
        updates: list[tuple[int, int, int, int, int]] = []
        card_id: int
        for note, (_, _, state, due) in zip(notes, rows, strict=True):
            if state == 0:
                continue
            when = datetime.fromisoformat(due).replace(tzinfo=UTC)
            card_id = note.card_ids()[0]
            if state == 2:
                days = (when.date() - now.date()).days
                updates.append((2, 2, today + days, 10, card_id))
            else:  # learning / relearning: Anki keeps an epoch timestamp
                updates.append((1 if state == 1 else 3, 1, int(when.timestamp()), 0, card_id))
        assert col.db is not None
        for ctype, queue, due_value, ivl, card_id in updates:
            col.db.execute(
                "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ? WHERE id = ?",
                ctype,
                queue,
                due_value,
                ivl,
                card_id,
            )
    finally:
        col.close()
    # Anki made a media folder named after the temporary file: nothing in it is needed.
    shutil.rmtree(path.with_suffix(".media"), ignore_errors=True)


def run() -> list[Row]:
    """Time both whole processes, several runs each, and compare the medians."""
    deck = deck_path()
    cards_db = cached("cards-db-10000-s0.db", lambda p: _build_db(p, deck))
    collection = cached("anki-10000-s0.anki2", lambda p: _build_collection(p, cards_db))
    quizapp, anki = process_pair(
        [sys.executable, "-m", "quizapp", "--db", str(cards_db), "--deck", str(deck),
         "cards", "--due", "--json"],
        [sys.executable, "-c", ANKI_QUEUE, str(collection)],
        repeats(9, 5),
    )  # fmt: skip
    load = os.getloadavg()[0]
    row = ratio_row(
        f"`quizapp cards --due --json`, 10k-card DB (whole process, load {load:.1f})",
        median(quizapp),
        median(anki),
        BUDGET,
        "Anki open + sched.get_queued_cards() as JSON",
    )
    ratio = median(quizapp) / median(anki)
    row["measured"] += " goal met" if ratio <= GOAL else f" (goal {GOAL:g} ×)"
    return [row]
