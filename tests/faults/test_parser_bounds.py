"""Deck files shaped to make parsing slow or storage grow, and file names no database
can store: each is read in time and memory that follow its size, or skipped with a
warning that names it, and the rest of the deck still loads.

Each case runs real ``quizapp`` processes on real files. A process that used to take
minutes on these shapes (their work grew with the square of the input) is given a
generous limit: these tests guard against the blow-up; the time of each shape against
ordinary notes of the same size is measured by ``bench/bench_parsers.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

#: far above what these files take now (well under a second), far below what the
#: quadratic readers took (a minute and more)
GUARD_SECONDS = 30

ORDINARY = """\
# Ordinary

## What does dropout do at inference?

Nothing is dropped; activations are not rescaled.
"""


#: runs its arguments as a child and reports the child's peak memory on stderr. A
#: process forked from this one would count this (large) test process's memory as its
#: own peak: Linux keeps the high-water mark across exec. The launcher is small.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(f"\\npeak-kib={usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def quizapp(db: Path | str, *args: str, deck: Path | None = None, timeout: float = 120) -> Any:
    """Run a real ``quizapp`` process: its exit status, output, and peak memory (KiB)."""
    argv = [sys.executable, "-m", "quizapp", "--db", str(db)]
    if deck is not None:
        argv += ["--deck", str(deck)]
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *argv, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # so a timeout stops the launcher and quizapp alike
    )
    try:
        raw_out, raw_err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"quizapp {' '.join(args)} still running after {timeout} s") from None
    out = raw_out.decode("utf-8", "replace")
    err, _, peak = raw_err.decode("utf-8", "replace").rpartition("\npeak-kib=")
    return proc.returncode, out, err, int(peak)


SHAPES = {
    # An Obsidian note whose answer holds a code fence of 60,000 whitespace-only lines.
    "whitespace fence": (
        "#flashcards\n\nWhat does this fence hold?\n?\n```\n" + " \n" * 60_000 + "```\n",
        "What does this fence hold?",
    ),
    # A one-line card followed by 20,000 unclosed scheduling comments.
    "unclosed comments": ("#flashcards\n\nq::a" + "<!--SR:" * 20_000 + "\n", "q"),
    # A deletion followed by 20,000 escaped backslashes before dollars.
    "dollars": ("C: [x] " + "\\\\$" * 20_000 + "\n", "[…] " + "\\\\$" * 3),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_adversarial_shapes_are_read_in_linear_time(tmp_path: Path, shape: str) -> None:
    text, front = SHAPES[shape]
    deck = tmp_path / "notes.md"
    deck.write_text(text, encoding="utf-8")
    code, out, err, _ = quizapp(tmp_path / "q.db", "lint", str(deck), timeout=GUARD_SECONDS)
    assert code == 0, out + err
    assert "1 file, 1 card" in out + err, out + err
    code, out, err, _ = quizapp(tmp_path / "q.db", "sync", str(deck), timeout=GUARD_SECONDS)
    assert code == 0 and "1 added" in out, out + err
    code, out, err, _ = quizapp(tmp_path / "q.db", "cards", "--json", deck=deck)
    cards = json.loads(out)
    assert len(cards) == 1 and cards[0]["front"].startswith(front), cards


def test_a_card_with_thousands_of_clozes_grows_the_database_with_the_file(tmp_path: Path) -> None:
    body = " ".join(f"{{{{c{i}::w{i}}}}}" for i in range(1, 5_001))
    text = "# Clozes\n\n## Many clozes\n\n" + body + "\n\n" + "x" * (388_000 - len(body)) + "\n"
    deck = tmp_path / "clozes.md"
    deck.write_text(text, encoding="utf-8")
    empty = tmp_path / "empty.db"
    quizapp(empty, "sync", str(tmp_path / "none.md"))
    db = tmp_path / "q.db"
    code, out, err, _ = quizapp(db, "sync", str(deck), timeout=GUARD_SECONDS)
    assert code == 0, err
    assert (
        f"{deck}:3: warning: this file's cards would store more than 6× its text "
        "(or 3 million characters)"
        in err
        and "are not loaded" in err
    ), err
    added = int(out.split(" added")[0].rsplit(" ", 1)[-1])
    assert 5 <= added < 5_000
    growth = db.stat().st_size - empty.stat().st_size
    assert growth <= 10 * deck.stat().st_size, (growth, deck.stat().st_size)


def test_a_deck_file_over_the_size_limit_is_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "ordinary.md").write_text(ORDINARY, encoding="utf-8")
    big = folder / "huge.md"
    big.write_text("# Huge\n\n" + "## Q?\n\nA line of an answer.\n\n" * 400_000, encoding="utf-8")
    assert big.stat().st_size > 10_000_000
    db = tmp_path / "q.db"
    code, out, err, peak = quizapp(db, "lint", deck=folder, timeout=GUARD_SECONDS)
    assert f"{big}:1: warning: file is " in out + err
    assert "over the 2 MB a deck file may hold; not read" in out + err
    assert peak < 500 * 1024, peak
    code, out, err, _ = quizapp(db, "sync", deck=folder, timeout=GUARD_SECONDS)
    assert code == 0 and "1 added" in out, out + err
    assert "over the 2 MB" in err


def test_a_deck_file_at_the_size_limit_is_read_in_bounded_memory(tmp_path: Path) -> None:
    from bench.generate import deck_at_size_cap
    from quizapp.deckfile.sources import MAX_DECK_BYTES

    text, n = deck_at_size_cap()
    deck = tmp_path / "limit.md"
    deck.write_text(text, encoding="utf-8")
    assert MAX_DECK_BYTES - 200 <= deck.stat().st_size <= MAX_DECK_BYTES
    code, out, err, peak = quizapp(tmp_path / "q.db", "lint", str(deck), timeout=60)
    assert code == 0 and f"{n} cards" in out + err, out + err
    assert peak < 500 * 1024, peak


def _bad_name(folder: Path) -> Path:
    """Write ``notes-\\xff.md`` (a name git can store and UTF-8 cannot) into ``folder``."""
    path = folder / os.fsdecode(b"notes-\xff.md")
    path.write_bytes(ORDINARY.replace("dropout", "batch norm").encode())
    return path


def test_a_deck_file_whose_name_is_not_utf8_is_skipped_everywhere(
    tmp_path: Path, fault_db: Path | str, spawn: Any, probe: Any
) -> None:
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "ordinary.md").write_text(ORDINARY, encoding="utf-8")
    _bad_name(folder)
    warning = f"{folder}/notes-\\xff.md:1: warning: file name is not valid UTF-8; not read"

    code, out, err, _ = quizapp(fault_db, "lint", deck=folder)
    assert warning in out + err, out + err
    assert "1 file, 1 card" in out + err
    code, out, err, _ = quizapp(fault_db, "sync", deck=folder)
    assert code == 0 and "1 added" in out and warning in err, out + err
    code, out, err, _ = quizapp(fault_db, "cards", "--json", deck=folder)
    assert code == 0 and [c["front"] for c in json.loads(out)] == [
        "What does dropout do at inference?"
    ], out + err
    study = spawn(probe.argv(fault_db, folder, "study", "--plain"))
    study.send("")
    study.send("3")
    study.send("q")
    assert study.finish() == 0, study.stderr
    assert "Traceback" not in study.stderr and "saved: " in study.stdout
