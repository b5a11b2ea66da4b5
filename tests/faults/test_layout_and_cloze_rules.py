"""A file read in another layout than before, and a cloze inside a cloze: what a user
sees from real ``quizapp lint`` and ``sync`` processes on real files.

- A heading deck whose prose happens to mention ``#flashcards`` (and shows
  ``std::move(x)``) becomes an Obsidian note: its heading cards are retired. That may
  happen only with a warning that says why, from lint and from the sync that retires
  them; the retired cards keep their history.
- ``{{c1::a {{c2::b}} c}}`` cannot be shown: an error at its line, the card not loaded,
  the rest of the file loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from quizapp.store.db import open_db
from quizapp.study.service import StudyService

HEADINGS = """\
# C++ notes

## Moving

### How do you move a value?

Cast it to an rvalue and let the move constructor run.

### What is an rvalue?

A value without a name.
"""

TAG_WARNING = "warning: the tag #flashcards makes this an Obsidian Spaced Repetition note: heading "


def quizapp(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_layout_change_retires_cards_only_with_a_warning_that_says_why(
    tmp_path: Path, probe: Any
) -> None:
    deck = tmp_path / "cpp.md"
    deck.write_text(HEADINGS, encoding="utf-8")
    db = tmp_path / "q.db"
    assert "2 added" in quizapp(db, "sync", str(deck)).stdout
    database = open_db(f"sqlite:///{db}")
    try:
        card = StudyService(database).next_card()
        assert card is not None
        StudyService(database).review(card.id, 3)
    finally:
        database.close()

    deck.write_text(
        HEADINGS.replace(
            "Cast it to an rvalue and let the move constructor run.",
            "Tagged #flashcards by an old plugin. Cast it to an rvalue: call it as\n"
            "std::move(x) and let the move constructor run.",
        ),
        encoding="utf-8",
    )
    lint = quizapp(db, "lint", str(deck))
    assert f"{deck}:7: {TAG_WARNING}'What is an rvalue?'" in lint.stdout + lint.stderr, (
        lint.stdout + lint.stderr
    )
    done = quizapp(db, "sync", str(deck))
    assert "2 retired" in done.stdout, done.stdout
    assert f"{deck}:7: {TAG_WARNING}" in done.stderr, done.stderr
    # The retired cards keep their history, and come back with it.
    assert int(probe.rows(db, "SELECT count(*) FROM reviews")[0][0]) == 1
    deck.write_text(HEADINGS, encoding="utf-8")
    back = quizapp(db, "sync", str(deck))
    assert "2 restored" in back.stdout, back.stdout
    assert [r for (r,) in probe.rows(db, "SELECT reviews FROM cards WHERE retired = 0")] in (
        [1, 0],
        [0, 1],
    )


def test_a_cloze_inside_a_cloze_is_an_error_and_not_loaded(tmp_path: Path) -> None:
    deck = tmp_path / "clozes.md"
    deck.write_text(
        "# Clozes\n\n## Nested\n\nThe {{c1::a {{c2::b}} c}} rule.\n\n"
        "## Fine\n\nThe {{c1::first}} and the {{c2::second}}.\n",
        encoding="utf-8",
    )
    db = tmp_path / "q.db"
    lint = quizapp(db, "lint", str(deck))
    assert lint.returncode == 1
    assert f"{deck}:5: error: a cloze inside another cloze" in lint.stdout + lint.stderr
    done = quizapp(db, "sync", str(deck))
    assert "2 added" in done.stdout and f"{deck}:5: error: a cloze inside" in done.stderr
    cards = json.loads(quizapp(db, "cards", "--json", "--deck", str(deck)).stdout)
    assert sorted((c["front"], c["kind"]) for c in cards) == [("Fine", "cloze"), ("Fine", "cloze")]
