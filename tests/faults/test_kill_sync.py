"""``kill -9`` during ``quizapp sync`` of a large deck: the sync is applied whole or not at all.

The deck alternates between two versions (A: 8 files of 500 cards; B: one file removed,
one of 800 cards added, one card's answer edited), and every sync is killed at a random
moment between start-up and its commit. After each kill the database passes
``PRAGMA integrity_check`` and matches exactly the version synced before or the one
being synced — never a mix — and the review history is untouched. Finally a sync left
to finish brings the database to the deck as it is.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

PER_FILE = 500
KILLS = 12


def _write_version(folder: Path, version: str) -> None:
    """Deck files of version A or B (see the module docstring)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    files = {f"part-{i:02d}.md": (i * PER_FILE, PER_FILE) for i in range(8)}
    if version == "B":
        del files["part-03.md"]
        files["part-09.md"] = (9 * PER_FILE, 800)
    for name, (offset, count) in files.items():
        lines = [f"# Sync deck {name}", ""]
        for i in range(offset, offset + count):
            if i % 50 == 0:
                lines += [f"## Topic {i // 50}", ""]
            answer = f"answer {i}" + (" (edited)" if version == "B" and i == 7 else "")
            lines += [f"### Sync question {i}?", "", f"- {answer}", ""]
        (folder / name).write_text("\n".join(lines), encoding="utf-8")


EXPECTED = {"A": 8 * PER_FILE, "B": 7 * PER_FILE + 800}


def _state(probe: Any, db: Path) -> str | None:
    """Which deck version the database holds ("none" before the first sync)."""
    if not db.exists():
        return "none"
    assert probe.integrity(db) == "ok"
    tables = {r[0] for r in probe.rows(db, "SELECT name FROM sqlite_master WHERE type='table'")}
    if "cards" not in tables:
        return "none"
    ((active,),) = probe.rows(db, "SELECT count(*) FROM cards WHERE retired = 0")
    ((edited,),) = probe.rows(
        db, "SELECT count(*) FROM cards WHERE back LIKE '%(edited)%' AND retired = 0"
    )
    ((files,),) = probe.rows(db, "SELECT count(*) FROM deck_files")
    if active == 0 and files == 0:
        return "none"
    for version, count in EXPECTED.items():
        if active == count and edited == (version == "B") and files == 8:
            return version
    return f"a mix: {active} active cards, {edited} edited, {files} files"


@pytest.mark.slow
def test_kill_during_sync_leaves_before_or_after(tmp_path: Path, spawn: Any, probe: Any) -> None:
    deck = tmp_path / "deck"
    db = tmp_path / "sync.db"
    rng = random.Random(42)

    # How long a whole sync of the large deck takes here, from process start to exit.
    _write_version(deck, "A")
    scratch = tmp_path / "scratch.db"
    t0 = time.monotonic()
    proc = spawn(probe.argv(scratch, deck, "sync", "-q"))
    assert proc.finish(120) == 0, proc.stderr
    full = time.monotonic() - t0

    kills = 0
    current = "none"
    attempts = 0
    reviews_before: list[tuple[object, ...]] = []
    while kills < KILLS:
        attempts += 1
        assert attempts < KILLS * 4, "the syncs kept finishing before the kill"
        target = "B" if current == "A" else "A"
        _write_version(deck, target)
        proc = spawn(probe.argv(db, deck, "sync", "-q"))
        # Anywhere from start-up (imports, migrations) to the commit at the very end.
        time.sleep(rng.uniform(0.15, 1.1) * full)
        finished = proc.proc.poll() is not None
        proc.kill()
        if not finished:
            kills += 1
        state = _state(probe, db)
        assert state in (current, target), (
            f"after a kill the database holds {state}, expected {current} or {target}"
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        if state != current and state in ("A", "B") and not reviews_before:
            # Once cards exist, give some of them a history that every later sync keeps.
            proc = spawn(probe.argv(db, deck, "study", "--plain", "--limit", "3"))
            proc.send("")
            proc.send("3")
            proc.send("")
            proc.send("1")
            proc.send("q")
            assert proc.finish(60) == 0, proc.stderr
            reviews_before = probe.rows(db, "SELECT id, card_id, rating FROM reviews")
            assert len(reviews_before) == 2
        current = state or "none"
        if reviews_before:
            assert probe.rows(db, "SELECT id, card_id, rating FROM reviews") == reviews_before

    # A sync allowed to finish brings the database to the deck as it is now.
    final = "B" if current == "A" else "A"
    _write_version(deck, final)
    proc = spawn(probe.argv(db, deck, "sync", "-q"))
    assert proc.finish(120) == 0, proc.stderr
    assert _state(probe, db) == final
    assert probe.rows(db, "SELECT id, card_id, rating FROM reviews") == reviews_before
