"""A database quizapp cannot use is refused with a clear message and left untouched.

Each case runs the real command line (``quizapp.cli.main``) and checks what a user
sees: exit status 3, one ``quizapp: …`` line saying what is wrong, no traceback — and
that the file is byte-for-byte what it was, with nothing written beside it.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.store.db import open_db
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService

DECK = """\
# Errors deck

## Topic

### What is kept when a database is refused?

Everything: the file is not touched.

### What exit status does a database problem give?

3.
"""


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with the hash of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _real_db(folder: Path) -> tuple[Path, Path]:
    """A real database with cards and a review, as quizapp leaves it: one WAL-mode file,
    everything checkpointed into it when the last connection closed."""
    deck = folder / "deck.md"
    deck.write_text(DECK, encoding="utf-8")
    path = folder / "quiz.db"
    db = open_db(f"sqlite:///{path}")
    sync_decks(db, [deck])
    svc = StudyService(db)
    card = svc.next_card()
    assert card is not None
    svc.review(card.id, 3)
    db.close()
    assert sorted(p.name for p in folder.iterdir()) == ["deck.md", "quiz.db"]
    return path, deck


COMMANDS: list[tuple[str, ...]] = [("sync",), ("cards", "--json"), ("study", "--plain"), ("stats",)]


def _assert_refused(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    db: Path,
    deck: Path,
    command: tuple[str, ...],
    message: str,
) -> None:
    before = _fingerprint(folder)
    code, out, err = _run(capsys, "--db", str(db), "--deck", str(deck), *command)
    assert code == 3, (out, err)
    assert err.startswith("quizapp: ") and message in err, err
    assert "Traceback" not in err + out
    assert _fingerprint(folder) == before, "the refused database (or its folder) changed"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_random_bytes_are_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "quiz.db"
    db.write_bytes(random.Random(5).randbytes(64 * 1024))
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, encoding="utf-8")
    _assert_refused(capsys, folder, db, deck, command, "not a valid quizapp database")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_truncated_database_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    db, deck = _real_db(tmp_path)
    # Cut the file in the middle of its pages: the header still says "SQLite".
    size = db.stat().st_size
    with db.open("r+b") as fh:
        fh.truncate(size // 2 + 100)
    _assert_refused(capsys, tmp_path, db, deck, command, "not a valid quizapp database")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_damaged_pages_are_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    db, deck = _real_db(tmp_path)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    # Scribble over every page but the first (the schema page stays readable).
    rng = random.Random(9)
    for start in range(page, len(data), page):
        data[start : start + page] = rng.randbytes(min(page, len(data) - start))
    db.write_bytes(bytes(data))
    _assert_refused(capsys, tmp_path, db, deck, command, "not a valid quizapp database")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_newer_schema_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    db, deck = _real_db(tmp_path)
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    assert not db.with_name("quiz.db-wal").exists()
    _assert_refused(capsys, tmp_path, db, deck, command, "written by a newer version of quizapp")


def _not_a_directory(tmp_path: Path) -> Path:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be\n", encoding="utf-8")
    return blocker / "quiz.db"


def _read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "readonly"
    folder.mkdir()
    if os.geteuid() == 0:
        # Root ignores permission bits; /proc refuses new files even to root, which is
        # what a read-only data folder does to everyone else.
        return Path("/proc/self/quizapp-data/quiz.db")
    folder.chmod(0o555)
    return folder / "quiz.db"


def _read_only_file_system(tmp_path: Path) -> Path:
    # /proc itself: an existing, read-only folder, where the file cannot be created.
    return Path("/proc/quiz.db")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    "where",
    [_not_a_directory, _read_only_folder, _read_only_file_system],
    ids=["parent-is-a-file", "read-only-folder", "read-only-file-system"],
)
def test_unwritable_location_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: Callable[[Path], Path]
) -> None:
    db = where(tmp_path)
    deck = tmp_path / "deck.md"
    deck.write_text(DECK, encoding="utf-8")
    try:
        code, out, err = _run(capsys, "--db", str(db), "--deck", str(deck), "sync")
    finally:
        if (tmp_path / "readonly").exists():
            (tmp_path / "readonly").chmod(0o755)  # so pytest can clean up
    assert code == 3, (out, err)
    assert err.startswith("quizapp: "), err
    assert "Traceback" not in err
    assert any(
        words in err for words in ("read-only", "cannot create", "cannot open", "not a folder")
    ), err
    assert not db.exists()


def test_locked_database_gives_the_busy_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, deck = _real_db(tmp_path)
    monkeypatch.setenv("QUIZAPP_BUSY_TIMEOUT_MS", "200")
    # An edited deck: the sync has something to write (with nothing changed it only reads).
    deck.write_text(deck.read_text(encoding="utf-8") + "\n## One more?\n\nYes.\n", "utf-8")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, out, err = _run(capsys, "--db", str(db), "--deck", str(deck), "sync")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 3, (out, err)
    assert "the database is busy" in err and "try again" in err, err
    # Once the other writer is gone, the same command goes through.
    code, out, err = _run(capsys, "--db", str(db), "--deck", str(deck), "sync")
    assert code == 0, err
