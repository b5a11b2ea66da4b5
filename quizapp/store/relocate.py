"""Moving deck files: their cards keep their ids and their history.

When the user takes a copy of deck files they did not write (the bundled deck) into a
folder of their own, the cards the copies define are the cards already studied: their
rows are told where they live now, so the next sync reads the copies as the same,
unchanged files instead of new owners of the same ids.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, update

from quizapp.store.db import Database
from quizapp.store.schema import Card, DeckFile


def move_deck_files(db: Database, moves: Mapping[str, str]) -> int:
    """Point the cards (and the sync's record) of each file ``old`` in ``moves`` at
    its new path, in one transaction; returns how many cards moved. Files never synced
    are left out."""
    moved = 0
    with db.session(exclusive=True) as s:
        for old, new in moves.items():
            result = s.execute(update(Card).where(Card.source == old).values(source=new))
            moved += result.rowcount or 0  # type: ignore[attr-defined]
            row = s.scalars(select(DeckFile).where(DeckFile.path == old)).first()
            if row is not None and s.get(DeckFile, new) is None:
                row.path = new
    return moved
