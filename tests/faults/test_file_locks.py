"""A second look at an open database file never drops this process's locks on it.

SQLite tells other processes that a connection still uses the write-ahead log with
POSIX locks, and closing *any* descriptor of a file drops every such lock the process
holds on it. A header check that opened and closed the database file while this
process had it open let another process, finishing, delete the log under it: this
process's next reviews went to a deleted file, invisible to every other process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from quizapp.store.db import open_db
from quizapp.store.quickread import quick_read
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService

OTHER_PROCESS = """
import sys
from quizapp.store.db import open_db
from quizapp.study.service import StudyService
db = open_db(sys.argv[1])
StudyService(db).review(sys.argv[2], 3)
db.close()
"""
READER = """
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM reviews").fetchone()[0])
"""


def test_reviews_stay_visible_after_the_file_was_opened_again_in_process(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text("# D\n\n## One?\n\n1\n\n## Two?\n\n2\n\n## Three?\n\n3\n", encoding="utf-8")
    path = tmp_path / "quiz.db"
    url = f"sqlite:///{path}"
    db = open_db(url)
    try:
        sync_decks(db, [deck])
        service = StudyService(db)
        first, second, third = (card.id for card in service.queue())
        service.review(first, 3)
        # The file is looked at again while it is open: a second database object (as
        # a command that opens the collection twice would) and the quick read.
        open_db(url).close()
        with quick_read(url) as fetch:
            assert fetch is not None
        other = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS, url, second],
            capture_output=True,
            text=True,
            check=False,
        )
        assert other.returncode == 0, other.stderr
        service.review(third, 3)
        # A new process sees all three reviews while this one still has the file open.
        seen = subprocess.run(
            [sys.executable, "-c", READER, str(path)], capture_output=True, text=True, check=False
        )
        assert seen.stdout.strip() == "3", seen.stderr
    finally:
        db.close()
