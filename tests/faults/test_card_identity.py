"""Whose history a review lands on: a stranger's file cannot take over your cards, an
edit of a ``C:`` block moves no history to another deletion, and a sync holds no lock
while it reads and matches files.

Each case runs real ``quizapp`` processes on real deck files and a real SQLite file,
and checks what the user sees (the sync's messages, ``cards --json``) and what the
database keeps.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from quizapp.store.db import open_db
from quizapp.study.service import StudyService

MINE = """\
# My notes

## Attention

### What does the softmax in attention normalise?

The scores of one query over all keys.

### Why divide by the square root of d_k?

To keep the dot products from growing with the dimension.
"""

CAPITALS = """\
C: The capital of France is [Paris] and the capital of Italy is [Rome], said the atlas.
"""


def quizapp(db: Path, *args: str, deck: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a real ``quizapp`` process and wait for it."""
    argv = [sys.executable, "-m", "quizapp", "--db", str(db)]
    if deck is not None:
        argv += ["--deck", str(deck)]
    return subprocess.run([*argv, *args], capture_output=True, text=True, timeout=300, check=False)


def cards(db: Path, deck: Path) -> list[dict[str, Any]]:
    """``quizapp cards --json --all``, as a user reads it."""
    done = quizapp(db, "cards", "--json", "--all", deck=deck)
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def rate(db: Path, card_id: str, rating: int) -> None:
    """Rate one card, as a study session does."""
    database = open_db(f"sqlite:///{db}")
    try:
        StudyService(database).review(card_id, rating)
    finally:
        database.close()


def reviews_of(probe: Any, db: Path, card_id: str) -> list[int]:
    return [
        int(r) for (r,) in probe.rows(db, "SELECT rating FROM reviews WHERE card_id = ?", card_id)
    ]


def test_a_strangers_file_cannot_take_over_your_card(tmp_path: Path, probe: Any) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "attention.md").write_text(MINE, encoding="utf-8")
    db = tmp_path / "q.db"
    assert quizapp(db, "sync", deck=mine).returncode == 0
    target = next(c for c in cards(db, mine) if c["front"].startswith("Why divide"))
    rate(db, target["id"], 3)
    before = probe.rows(
        db, "SELECT deck, front, back, source FROM cards WHERE id = ?", target["id"]
    )

    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.md").write_text(
        "# Their notes\n\n"
        f"## Harmless question {{#{target['id']}}}\n\nSomething else entirely.\n\n"
        "## A card of their own\n\nIt loads.\n",
        encoding="utf-8",
    )
    # The same deck name and question give the same default id: refused the same way.
    (stranger / "copy.md").write_text(MINE.replace("To keep", "Because"), encoding="utf-8")
    done = quizapp(db, "sync", str(stranger))
    owner = f"{mine / 'attention.md'}:"
    assert f"{stranger / 'notes.md'}:3: error: id '{target['id']}' already belongs to {owner}" in (
        done.stderr
    ), done.stderr
    assert f"{stranger / 'copy.md'}:9: error: id " in done.stderr
    assert "already belongs to" in done.stderr.split(str(stranger / "copy.md") + ":9:")[1]
    assert done.returncode == 0
    after = probe.rows(db, "SELECT deck, front, back, source FROM cards WHERE id = ?", target["id"])
    assert after == before
    assert reviews_of(probe, db, target["id"]) == [3]
    fronts = {c["front"] for c in cards(db, stranger)}
    assert "A card of their own" in fronts and "Harmless question" not in fronts

    # Your own deck synced again keeps the card as it was, and no sync hands it over.
    again = quizapp(db, "sync", "--force", deck=mine)
    assert "error" not in again.stderr
    assert (
        probe.rows(db, "SELECT deck, front, back, source FROM cards WHERE id = ?", target["id"])
        == before
    )
    later = quizapp(db, "sync", str(stranger))
    assert "already belongs to" in later.stderr
    assert reviews_of(probe, db, target["id"]) == [3]


def test_a_card_moved_between_files_of_one_deck_keeps_its_history(
    tmp_path: Path, probe: Any
) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "a.md").write_text(MINE, encoding="utf-8")
    db = tmp_path / "q.db"
    quizapp(db, "sync", deck=deck)
    target = next(c for c in cards(db, deck) if c["front"].startswith("Why divide"))
    rate(db, target["id"], 4)

    # Cut from a.md, pasted into b.md (same deck name, same question): one sync.
    head, _, moved = MINE.partition("### Why divide")
    (deck / "a.md").write_text(head, encoding="utf-8")
    (deck / "b.md").write_text(
        "# My notes\n\n## Attention\n\n### Why divide" + moved, encoding="utf-8"
    )
    done = quizapp(db, "sync", deck=deck)
    assert "error" not in done.stderr, done.stderr
    card = next(c for c in cards(db, deck) if c["id"] == target["id"])
    assert not card.get("retired") and card["reviews"] == 1
    assert probe.rows(db, "SELECT source FROM cards WHERE id = ?", target["id"]) == [
        (str(deck / "b.md"),)
    ]


def _deletion(probe: Any, db: Path, hidden: str) -> tuple[str, int]:
    """``(id, reviews)`` of the active card of the ``C:`` deletion that hides ``hidden``."""
    rows = probe.rows(db, "SELECT id, cloze, back, reviews FROM cards WHERE retired = 0")
    found = [(cid, n) for cid, cloze, back, n in rows if f"{{{{c{cloze}::{hidden}}}}}" in back]
    assert len(found) == 1, rows
    return str(found[0][0]), int(found[0][1])


def test_adding_reordering_and_removing_deletions_moves_no_history(
    tmp_path: Path, probe: Any
) -> None:
    deck = tmp_path / "capitals.md"
    deck.write_text(CAPITALS, encoding="utf-8")
    db = tmp_path / "q.db"
    quizapp(db, "sync", deck=deck)
    rome, _ = _deletion(probe, db, "Rome")
    rate(db, rome, 4)

    # A deletion added before both: [Paris] is now the second, [Rome] the third.
    deck.write_text(CAPITALS.replace("of France", "of [France]"), encoding="utf-8")
    done = quizapp(db, "sync", deck=deck)
    assert "1 added" in done.stdout, done.stdout
    assert _deletion(probe, db, "Rome")[1] == 1
    assert _deletion(probe, db, "Paris")[1] == 0
    assert _deletion(probe, db, "France")[1] == 0

    # The sentences swapped: Rome comes first now.
    deck.write_text(
        "C: The capital of Italy is [Rome] and the capital of [France] is [Paris], "
        "said the atlas.\n",
        encoding="utf-8",
    )
    quizapp(db, "sync", deck=deck)
    assert _deletion(probe, db, "Rome")[1] == 1
    assert _deletion(probe, db, "Paris")[1] == 0

    # A deletion removed before it.
    deck.write_text(
        "C: The capital of Italy is [Rome] and the capital of France is Paris, said the atlas.\n",
        encoding="utf-8",
    )
    quizapp(db, "sync", deck=deck)
    assert _deletion(probe, db, "Rome")[1] == 1
    assert reviews_of(probe, db, _deletion(probe, db, "Rome")[0]) == [4]


def _alphabet_block(count: int) -> str:
    """A ``C:`` block of ``count`` deletions over a two-letter alphabet (about 6.7 KB)."""
    words = []
    for i in range(count):
        word = "".join("ab"[(i >> k) & 1] for k in range(7))
        words.append(f"[{word}] " + " ".join("ab" * 14 for _ in range(2)))
    return "C: " + " ".join(words) + "\n"


def _big_notes(cards_: int, paragraph: str) -> str:
    """Ordinary notes: a few cards with long answers (slow to parse, quick to write)."""
    lines = ["# Long notes", ""]
    for i in range(cards_):
        lines += [f"## Question {i}?", ""]
        lines += [f"{paragraph} {i}-{j}." for j in range(1_500)]
        lines.append("")
    return "\n".join(lines) + "\n"


def test_a_sync_holds_no_lock_while_it_reads_and_matches(
    tmp_path: Path, probe: Any, spawn: Any, prepare: Any
) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    block = deck / "block.md"
    block.write_text(_alphabet_block(100), encoding="utf-8")
    assert 6_000 < block.stat().st_size < 8_000
    sentence = "- The gradient of the loss with respect to the weights is accumulated"
    (deck / "long.md").write_text(_big_notes(20, sentence), encoding="utf-8")
    db = tmp_path / "q.db"
    prepare(db, deck)  # synced, with no daily limit on new cards
    db_url = str(db)

    # A study session in another terminal, waiting on its first card.
    # Shorter than the default: the old sync held the lock for minutes; the write of a
    # sync now takes well under this even on a loaded machine.
    env = {"QUIZAPP_BUSY_TIMEOUT_MS": "4000"}
    study = spawn(probe.argv(db_url, deck, "study", "--plain"), env)
    out = ""
    deadline = time.monotonic() + 120
    while not out.endswith("[Enter] show answer ") and time.monotonic() < deadline:
        out += study.read(1.0) or ""
    assert out.endswith("[Enter] show answer "), out + study.stderr

    # Move one bracket of the block and touch every long answer; sync in this terminal.
    text = block.read_text(encoding="utf-8")
    first_close = text.index("] ")
    moved = text[:first_close] + " " + text[first_close + 2 :].replace(" ", "] ", 1)
    block.write_text(moved, encoding="utf-8")
    (deck / "long.md").write_text(_big_notes(20, sentence + " again"), encoding="utf-8")
    sync = spawn(probe.argv(db_url, deck, "sync"), env)

    # Rate card after card while the sync runs (and at least twice, however quickly it
    # ends on this machine): every rating is saved at once.
    rated = 0
    buf = out  # the session waits at its first card
    while sync.proc.poll() is None or rated < 2:
        if buf.endswith("[Enter] show answer "):
            buf = ""
            study.send("")
        elif buf.endswith("]: "):
            buf = ""
            time.sleep(0.2)  # a quick reader; the session must not run out of cards
            study.send("3")
            rated += 1
        else:
            new = study.read(5.0)
            assert new is not None, study.stdout[-500:] + study.stderr
            buf += new
        assert "busy" not in study.stdout + study.stderr
    assert sync.finish() == 0, sync.stderr
    assert "busy" not in sync.stderr
    study.send("q")
    assert study.finish() == 0, study.stderr
    assert "busy" not in study.stdout + study.stderr
    assert rated >= 2
    assert int(probe.rows(db, "SELECT count(*) FROM reviews")[0][0]) >= rated - 1
