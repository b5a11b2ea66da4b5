"""What a user can point quizapp at besides decks: other programs' databases, a report
path that fails, a review history with impossible values or a million rows, absurd
numbers on the command line, an export killed mid-write, huge cards and answers.

Every case runs real ``quizapp`` processes on real files (an Anki collection made by
the real ``anki`` package) and checks what the user sees — a clear message and exit
status, never a traceback or a hang — and that nothing they own is changed or lost.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

OPEN_DECK = """\
# Store faults

## Topic

### What does a refused database keep?

Every byte it had.

### What does a failed report keep?

Every answer given.
"""

QUIZ_DECK = """\
# Quiz faults

## Conv

### Output side of a convolution?

$o = (n + 2p - f) / s + 1$

```quiz
model: conv_output
ask: "Input {n}x{n}, kernel {f}x{f}: output side?"
params: {n: [8, 9], f: 3}
```
"""

REVEAL = "[Enter] show the reference answer "
SCORE = "score 0-3"


def quizapp(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``quizapp ARGS`` to the end; a hang past ``timeout`` fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "quizapp", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with the hash of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


@pytest.fixture
def open_deck(tmp_path: Path) -> Path:
    path = tmp_path / "deck.md"
    path.write_text(OPEN_DECK, encoding="utf-8")
    return path


# -- row 6: another program's SQLite file ---------------------------------------------


def _app_database(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
        "INSERT INTO users VALUES (1, 'ada'), (2, 'grace');"
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"
        "INSERT INTO alembic_version VALUES ('9f3c2a');"
    )
    con.commit()
    con.close()


def _anki_collection(path: Path) -> None:
    from anki.collection import Collection

    col = Collection(str(path))
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = "What is kept?", "Everything."
    col.add_note(note, col.decks.id("Default"))
    col.close()


def _journal_mode(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return str(con.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("make", [_app_database, _anki_collection], ids=["app-db", "anki"])
@pytest.mark.parametrize("command", [("sync",), ("cards", "--json"), ("study", "--plain")])
def test_another_programs_database_is_refused_byte_identical(
    tmp_path: Path, open_deck: Path, make: Callable[[Path], None], command: tuple[str, ...]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "their.db"
    make(db)
    journal = _journal_mode(db)
    before = fingerprint(folder)
    result = quizapp("--db", str(db), "--deck", str(open_deck), *command, input="q\n")
    no_traceback(result)
    assert result.returncode == 3, result.stderr
    assert "not a quizapp database" in result.stderr
    assert fingerprint(folder) == before, "the other program's file (or its folder) changed"
    assert _journal_mode(db) == journal


def test_an_empty_sqlite_file_becomes_a_quizapp_database(tmp_path: Path, open_deck: Path) -> None:
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()  # a valid SQLite file without a table
    result = quizapp("--db", str(db), "--deck", str(open_deck), "sync")
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout


# -- row 7: interview --report -------------------------------------------------------


def _answer_all(proc: Any, on_first_question: Callable[[], None] | None = None) -> str:
    """Answer every open question of a running ``interview --plain`` (Enter, score 2)."""
    seen = ""
    first = True
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        chunk = proc.read(timeout=30)
        if chunk is None:
            break
        seen += chunk
        if seen.rstrip().endswith(REVEAL.strip()):
            if first and on_first_question is not None:
                on_first_question()
            first = False
            seen += "\n"
            proc.send("")
        elif SCORE in seen.splitlines()[-1]:
            seen += "\n"
            proc.send("2")
    return seen


def test_replacing_an_existing_report_keeps_its_mode_and_its_links(
    tmp_path: Path, open_deck: Path, spawn: Callable[..., Any]
) -> None:
    report = tmp_path / "report.md"
    report.write_text("my notes\n", encoding="utf-8")
    report.chmod(0o644)
    other = tmp_path / "notes-link.md"
    os.link(report, other)
    db = tmp_path / "q.db"
    base = [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(open_deck)]
    proc = spawn([*base, "interview", "--plain", "--questions", "2", "--report", str(report)])
    _answer_all(proc)
    assert proc.finish() == 0, proc.stderr
    assert "# Mock interview" in report.read_text(encoding="utf-8")
    assert report.stat().st_mode & 0o777 == 0o644
    # written as a new file, never through a link
    assert other.read_text(encoding="utf-8") == "my notes\n"


def test_a_report_that_cannot_be_written_keeps_the_answers_and_is_written_later(
    tmp_path: Path, open_deck: Path, spawn: Callable[..., Any]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    db = tmp_path / "q.db"
    base = [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(open_deck)]
    proc = spawn([*base, "interview", "--plain", "--questions", "2", "--report", str(out / "r.md")])
    _answer_all(proc, on_first_question=lambda: shutil.rmtree(out))
    assert proc.finish() == 1
    assert "Traceback" not in proc.stderr, proc.stderr
    assert f"cannot write the report to {out / 'r.md'}" in proc.stderr
    assert "Your answers are saved" in proc.stderr
    assert "quizapp interview --report-of 1 --report FILE" in proc.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM interview_answers").fetchone() == (2,)
    stored = con.execute("SELECT report FROM interviews WHERE id = 1").fetchone()[0]
    con.close()
    assert "# Mock interview" in stored

    listing = quizapp("--db", str(db), "--deck", str(open_deck), "interview", "--list")
    assert "--report-of 1 --report FILE" in listing.stdout
    again = tmp_path / "again.md"
    result = quizapp("--db", str(db), "interview", "--report-of", "1", "--report", str(again))
    assert result.returncode == 0, result.stderr
    assert again.read_text(encoding="utf-8") == stored
    printed = quizapp("--db", str(db), "interview", "--report-of", "1")
    assert printed.stdout == stored
    unknown = quizapp("--db", str(db), "interview", "--report-of", "7")
    assert unknown.returncode == 1 and "no interview #7" in unknown.stderr
    no_traceback(unknown)


def test_a_report_path_that_only_looks_writable_is_refused_before_the_interview(
    tmp_path: Path, open_deck: Path
) -> None:
    if not Path("/proc/version").exists():
        pytest.skip("no /proc here")
    db = tmp_path / "q.db"
    result = quizapp(
        "--db", str(db), "--deck", str(open_deck),
        "interview", "--plain", "--questions", "2", "--report", "/proc/version",
        input="\n2\n\n2\n",
    )  # fmt: skip
    no_traceback(result)
    assert result.returncode == 1
    assert "--report /proc/version: not writable" in result.stderr
    assert "Mock interview" not in result.stdout


# -- row 8: import-reviews -----------------------------------------------------------

HEADER = "card_id,review_rating,review_time,review_duration\n"


def test_out_of_range_rows_are_reported_and_nothing_is_imported(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text(
        HEADER
        + "a,3,2024-01-01T00:00:00+00:00,1000\n"
        + "a,3,0001-01-01T00:00:00+01:00,1000\n"
        + "b,3,9999-12-31T23:59:59-01:00,1000\n"
        + "c,3,2024-01-02T00:00:00+00:00,9223372036854775808\n"
        + "d,3,1969-12-31T23:59:59+00:00,\n"
        + "e,3,2024-01-02T00:00:00+00:00,\n",
        encoding="utf-8",
    )
    db = tmp_path / "q.db"
    result = quizapp("--db", str(db), "import-reviews", str(history))
    no_traceback(result)
    assert result.returncode == 1
    assert f"{history}:3: review time '0001-01-01T00:00:00+01:00' is out of range" in result.stderr
    assert f"{history}:4: review time '9999-12-31T23:59:59-01:00' is out of range" in result.stderr
    assert f"{history}:5: duration '9223372036854775808' ms is more than a day" in result.stderr
    assert f"{history}:6: review time '1969-12-31T23:59:59+00:00' is before 1970" in result.stderr
    assert "nothing was imported" in result.stderr
    if db.exists():
        con = sqlite3.connect(db)
        assert con.execute("SELECT count(*) FROM reviews").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM cards").fetchone() == (0,)
        con.close()


def _history(path: Path, rows: int, cards: int) -> None:
    rng = random.Random(7)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for c in range(cards):
            at = start + timedelta(minutes=c)
            for _ in range(rows // cards):
                at += timedelta(hours=rng.randint(1, 24 * 10))
                rating = rng.choice((1, 3, 3, 4))
                fh.write(f"card-{c:05d},{rating},{at.isoformat()},{rng.randint(500, 60_000)}\n")


#: the address space an import of a 100,000-row file may use: the whole history held in
#: memory took about 290 MB; streamed, the import peaks near 120 MB
ADDRESS_SPACE = 220 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def test_a_large_history_imports_in_bounded_memory_and_twice_adds_nothing(
    tmp_path: Path,
) -> None:
    history = tmp_path / "history.csv"
    _history(history, 100_000, 2_000)
    db = tmp_path / "q.db"
    first = quizapp(
        "--db", str(db), "import-reviews", str(history), "--json",
        timeout=600, preexec_fn=_limit_memory,
    )  # fmt: skip
    no_traceback(first)
    assert first.returncode == 0, first.stderr[-2000:]
    assert '"imported": 100000' in first.stdout and '"cards": 2000' in first.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM reviews").fetchone() == (100_000,)
    states = con.execute("SELECT state, reviews FROM cards WHERE id = 'card-00042'").fetchone()
    assert states[0] in (1, 2, 3) and states[1] == 50
    con.close()
    second = quizapp(
        "--db", str(db), "import-reviews", str(history), "--json",
        timeout=600, preexec_fn=_limit_memory,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr[-2000:]
    assert '"imported": 0' in second.stdout and '"duplicates": 100000' in second.stdout


# -- row 9: the small ones ----------------------------------------------------------


def test_a_url_that_is_not_a_database_is_a_usage_error(tmp_path: Path) -> None:
    for command in (("cards",), ("sync",)):
        result = quizapp("--db", "http://example.com/x", *command)
        no_traceback(result)
        assert result.returncode == 2
        assert "http:// is not a database quizapp can use" in result.stderr
    from_env = quizapp("cards", env={"QUIZAPP_DB": "ftp://example.com/db"})
    assert from_env.returncode == 2 and "ftp://" in from_env.stderr


def test_a_fifo_as_the_database_is_refused_at_once(tmp_path: Path, open_deck: Path) -> None:
    fifo = tmp_path / "db.fifo"
    os.mkfifo(fifo)
    result = quizapp("--db", str(fifo), "--deck", str(open_deck), "cards", timeout=30)
    no_traceback(result)
    assert result.returncode == 3
    assert "is not a regular file" in result.stderr


@pytest.mark.parametrize("minutes", ["nan", "inf", "1e308", "-1", "0"])
def test_impossible_interview_minutes_are_a_usage_error(
    tmp_path: Path, open_deck: Path, minutes: str
) -> None:
    db = tmp_path / "q.db"
    result = quizapp(
        "--db", str(db), "--deck", str(open_deck),
        "interview", "--plain", "--minutes", minutes, input="q\n",
    )  # fmt: skip
    no_traceback(result)
    assert result.returncode == 2
    assert "argument --minutes: must be more than 0 and at most 1440" in result.stderr
    if db.exists():
        con = sqlite3.connect(db)
        assert con.execute("SELECT count(*) FROM interviews").fetchone() == (0,)
        con.close()


def test_export_instances_are_bounded_and_a_small_quiz_gives_what_it_has(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "quiz.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    db = tmp_path / "q.db"
    out = tmp_path / "out.apkg"
    huge = quizapp(
        "--db", str(db), "--deck", str(deck),
        "export", "anki", "-o", str(out), "--instances", "1000000000", timeout=60,
    )  # fmt: skip
    no_traceback(huge)
    assert huge.returncode == 2
    assert "argument --instances: must be from 0 to 100" in huge.stderr
    most = quizapp(
        "--db", str(db), "--deck", str(deck),
        "export", "anki", "-o", str(out), "--instances", "100", timeout=300,
    )  # fmt: skip
    assert most.returncode == 0, most.stderr
    # one basic note and the two questions the quiz can make (n is 8 or 9)
    assert "3 notes" in most.stdout


def test_a_killed_export_leaves_temp_files_the_next_export_removes(
    tmp_path: Path, fault_deck: Callable[..., Path], spawn: Callable[..., Any]
) -> None:
    deck = fault_deck(4000)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "deck.apkg"
    db = tmp_path / "q.db"
    argv = [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck)]
    proc = spawn([*argv, "export", "anki", "-o", str(target)])
    deadline = time.monotonic() + 300
    temps: list[Path] = []
    while not temps and proc.proc.poll() is None and time.monotonic() < deadline:
        temps = list(out_dir.glob(".deck.apkg.*.tmp"))
        time.sleep(0.002)
    proc.kill()
    assert temps, "the export ended before it could be killed mid-write"
    assert not target.exists()
    assert list(out_dir.glob(".deck.apkg.*.tmp")), "the killed export left no temp file"

    # A temp file another running export holds is not touched.
    import fcntl

    busy = out_dir / ".deck.apkg.0123456789ab.tmp"
    held = os.open(busy, os.O_WRONLY | os.O_CREAT, 0o644)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        again = subprocess.run(
            [*argv, "export", "anki", "-o", str(target)],
            check=False,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        os.close(held)
    assert again.returncode == 0, again.stderr
    assert target.exists()
    assert sorted(p.name for p in out_dir.iterdir()) == [busy.name, target.name]


def test_a_table_of_twenty_thousand_columns_is_shown_cut(
    tmp_path: Path, spawn: Callable[..., Any]
) -> None:
    columns = 20_000
    table = "\n".join(
        [
            "|" + "|".join(f"c{i}" for i in range(columns)) + "|",
            "|" + "|".join("-" for _ in range(columns)) + "|",
            *("|" + "|".join(f"$x_{{{i}}}$" for i in range(columns)) + "|" for _ in range(3)),
        ]
    )
    deck = tmp_path / "wide.md"
    deck.write_text(f"# Wide\n\n## Tables\n\n### What is in the table?\n\n{table}\n")
    db = tmp_path / "q.db"
    result = quizapp(
        "--db", str(db), "--deck", str(deck), "study", "--plain",
        input="\n3\n", timeout=120,
    )  # fmt: skip
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "[line cut at 2,000 characters]" in result.stdout
    assert "characters shown; the rest is in the deck file]" in result.stdout
    assert len(result.stdout) < 60_000
    assert "saved: Good" in result.stdout


def test_a_megabyte_typed_answer_is_refused_to_be_fixed_and_never_stored(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "quiz.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    db = tmp_path / "q.db"
    typed = "7" * 1_000_000
    result = quizapp(
        "--db", str(db), "--deck", str(deck), "study", "--plain", "--limit", "2",
        input=f"\n3\n{typed}\n1\n\n", timeout=300,
    )  # fmt: skip
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "1,000,000 characters is too long" in result.stdout
    # Echoed back cut, to be fixed; the fixed answer is the one graded and stored.
    assert "you typed: " + "7" * 200 + "… (1,000,000 characters)" in result.stdout
    assert len(result.stdout) < 20_000
    con = sqlite3.connect(db)
    stored = con.execute("SELECT answer FROM reviews WHERE answer IS NOT NULL").fetchall()
    con.close()
    assert stored == [("1",)]
