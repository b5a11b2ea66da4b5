"""What PostgreSQL cannot store is refused when the deck is parsed, on both backends:
a 300-character deck name, a ``{#id}`` that is 257 characters once a cloze suffix is
added, a deck file path over 2,000 bytes. Real ``quizapp`` processes on real files, a
real PostgreSQL server (and the same on SQLite): ``FILE:LINE`` from lint and sync, the
rest of the deck loaded, never "value too long" or exit 3. ``db copy`` of an older
SQLite collection holding such a row names it and writes nothing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FINE = "## A fine card\n\nIt loads.\n"


def quizapp(db: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _decks(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each over-long shape with the message it must get."""
    folder = tmp_path / "deck"
    folder.mkdir()
    name = folder / "name.md"
    name.write_text("---\ndeck: " + "D" * 300 + "\n---\n\n" + FINE, encoding="utf-8")
    ident = folder / "ident.md"
    ident.write_text(
        "# Ids\n\n## A cloze {#" + "i" * 254 + "}\n\nThe {{c1::answer}}.\n\n" + FINE,
        encoding="utf-8",
    )
    deep = folder
    for level in range(9):
        deep = deep / (f"{level}" + "p" * 239)
    deep.mkdir(parents=True)
    path = deep / "deep.md"
    path.write_text("# Deep\n\n" + FINE, encoding="utf-8")
    return {
        "deck name": (name, f"{name}:5: error: deck name is 300 characters long, over the 255"),
        "card id": (ident, f"{ident}:3: error: card id is 257 characters long"),
        "path": (path, f"{path}:1: warning: the file's path is "),
    }


def test_lint_refuses_what_a_database_cannot_store(tmp_path: Path) -> None:
    decks = _decks(tmp_path)
    done = quizapp(tmp_path / "unused.db", "lint", str(tmp_path / "deck"))
    said = done.stdout + done.stderr
    for _, message in decks.values():
        assert message in said, said
    assert done.returncode == 1


def test_sync_stores_the_same_cards_on_both_backends(
    tmp_path: Path, fault_db: Path | str, probe: Any
) -> None:
    decks = _decks(tmp_path)
    done = quizapp(fault_db, "--deck", str(tmp_path / "deck"), "sync")
    assert done.returncode == 0, done.stderr
    for _, message in decks.values():
        assert message in done.stderr, done.stderr
    assert "too long" not in done.stderr and "index row" not in done.stderr
    # The file with the long id still gives its other card; the long deck's cards and
    # the deep file are not loaded at all.
    assert "1 added" in done.stdout, done.stdout
    fronts = [str(f) for (f,) in probe.rows(fault_db, "SELECT front FROM cards")]
    assert fronts == ["A fine card"]
    again = quizapp(fault_db, "--deck", str(tmp_path / "deck"), "study", "--plain")
    assert again.returncode == 0, again.stderr


def test_db_copy_names_a_row_an_older_collection_holds(
    tmp_path: Path, new_db_url: Any, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("the copy goes to PostgreSQL")
    deck = tmp_path / "deck.md"
    deck.write_text("# Old\n\n" + FINE + "\n## Another\n\nYes.\n", encoding="utf-8")
    old = tmp_path / "old.db"
    assert quizapp(old, "sync", str(deck)).returncode == 0
    # An id an older version stored, before the limits were checked.
    long_id = "i" * 254 + "/c1"
    con = sqlite3.connect(old)
    with con:
        con.execute("UPDATE cards SET id = ? WHERE front = 'Another'", (long_id,))
    con.close()
    target = new_db_url()
    done = quizapp(old, "db", "copy", "--to", target)
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert f"cannot copy cards row '{long_id[:40]}" in done.stderr, done.stderr
    assert "its id is 257 characters, over the 255" in done.stderr
    assert "nothing was written" in done.stderr
    from sqlalchemy import create_engine, text

    engine = create_engine(target)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM cards")) == 0
    finally:
        engine.dispose()
