"""``quizapp cards --due``: when the deck files are as the last sync left them, the queue
is read without the database stack, and it is the queue the full path lists; a deck
changed since is synced first, as always."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

DECK = """\
# Due deck

## Basics

### First question?

First answer.

### Second question?

Second answer.
"""

#: runs ``cards`` in this interpreter and says whether SQLAlchemy was loaded for it
_RUN = textwrap.dedent(
    """
    import sys
    from quizapp.cli import main
    code = main(sys.argv[1:])
    print("sqlalchemy" in sys.modules, file=sys.stderr)
    sys.exit(code)
    """
)


def _cards(db: Path, deck: Path, *extra: str) -> tuple[list[dict[str, object]], bool]:
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, "--db", str(db), "--deck", str(deck), "cards", *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = proc.stderr.strip().splitlines()[-1] == "True"
    return json.loads(proc.stdout), loaded


def test_an_unchanged_deck_is_listed_without_the_database_stack(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "q.db"
    first, loaded = _cards(db, deck, "--due", "--json")  # a new database: the full path
    assert loaded
    assert [c["front"] for c in first] == ["First question?", "Second question?"]
    again, loaded = _cards(db, deck, "--due", "--json")
    assert not loaded
    assert again == first
    # --no-sync reads what the database holds, the same way
    unsynced, loaded = _cards(db, deck, "--due", "--json", "--no-sync")
    assert not loaded and unsynced == first


def test_a_deck_changed_since_the_last_sync_is_synced_first(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "q.db"
    _cards(db, deck, "--due", "--json")
    deck.write_text(DECK + "\n### Third question?\n\nThird answer.\n", encoding="utf-8")
    cards, loaded = _cards(db, deck, "--due", "--json")
    assert loaded
    assert [c["front"] for c in cards] == ["First question?", "Second question?", "Third question?"]
    # and once synced, the quick read lists the new card too
    again, loaded = _cards(db, deck, "--due", "--json")
    assert not loaded and again == cards
