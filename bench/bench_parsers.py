"""Adversarial deck shapes against 1 MB of ordinary notes (DESIGN §6: "any parser on
1 MB of an adversarial shape … about the time of 1 MB of ordinary notes").

Baseline: ``parse_deck`` of about 1 MB of the generated deck's notes (headings, lists,
code, ``$$`` math, cloze, quiz blocks), timed alternately with each shape so a change
in load affects both alike. Rows:

- three shapes that once took time growing with the square of their size: an
  Obsidian note whose answer is a code fence of whitespace-only lines, ``q::a``
  followed by unclosed ``<!--SR:`` comments, and ``C: [x]`` followed by ``\\\\$``;
- a re-sync after one bracket of a 100-deletion ``C:`` block over a two-letter
  alphabet moved (matching deletions), against the same re-sync without it;
- the sync of a 388 KB file with one card of 5,000 cloze numbers against the first sync
  of the 1 MB of notes, and the database growth it causes against the file's size;
- ``quizapp lint`` of a file at the size limit (whole process: time and peak memory),
  and of a 10 MB file (skipped with a warning).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from bench import Row, measured_process, median, paired_times, ratio_row, repeats, seconds

MB = 1024 * 1024
#: "about the time of ordinary notes", with room for a loaded machine: each shape is
#: timed against notes of the same size, alternately, so load stretches both alike
SHAPE_LIMIT = 1.5


def ordinary_notes(size: int = MB) -> str:
    """About ``size`` characters of the generated deck's ordinary notes, one file."""
    from bench.generate import _deck_file

    cards = 1_000
    while True:
        text = _deck_file(random.Random(0), 0, cards)
        if len(text) >= size:
            return text
        cards = int(cards * size / len(text)) + 50


SHAPES = {
    "whitespace-only lines in a fence (OSR)": (
        "#flashcards\n\nWhat does the fence hold?\n?\n```\n" + " \n" * (MB // 2) + "```\n"
    ),
    "unclosed <!--SR: comments after q::a": "#flashcards\n\nq::a" + "<!--SR:" * (MB // 7) + "\n",
    "escaped dollars after a C: deletion": "C: [x] " + "\\\\$" * (MB // 3) + "\n",
}


def _parse(text: str) -> None:
    from quizapp.deckfile.parse import parse_deck

    parse_deck(text, "bench.md")


def _alphabet_block(count: int = 100) -> str:
    words = []
    for i in range(count):
        word = "".join("ab"[(i >> k) & 1] for k in range(7))
        words.append(f"[{word}] " + " ".join("ab" * 14 for _ in range(2)))
    return "C: " + " ".join(words) + "\n"


def _moved(block: str) -> str:
    close = block.index("] ")
    return block[:close] + " " + block[close + 2 :].replace(" ", "] ", 1)


def _shape_rows(notes: str) -> list[Row]:
    rows: list[Row] = []
    _parse(notes[:2000])  # warm imports and cached parsers
    for name, text in SHAPES.items():
        shape_runs, base_runs = paired_times(
            partial(_parse, text), partial(_parse, notes), repeats(3, 1)
        )
        rows.append(
            ratio_row(
                f"parse 1 MB: {name}",
                median(shape_runs),
                median(base_runs),
                SHAPE_LIMIT,
                "1 MB of ordinary notes",
            )
        )
    return rows


def _sync_rows(notes: str, tmp: Path) -> list[Row]:
    from quizapp.store.db import open_db
    from quizapp.store.sync import sync_decks

    counter = iter(range(10_000))
    deck = tmp / "deck"
    deck.mkdir()
    notes_file, block_file = deck / "notes.md", deck / "block.md"
    edited = notes.replace("\n- ", "\n- (edited) ", 1)
    block = _alphabet_block()

    def resync(moved: bool) -> float:
        db = open_db(f"sqlite:///{tmp / f'resync-{next(counter)}.db'}")
        try:
            notes_file.write_text(notes, encoding="utf-8")
            block_file.write_text(block, encoding="utf-8")
            sync_decks(db, [deck])
            notes_file.write_text(edited, encoding="utf-8")
            block_file.write_text(_moved(block) if moved else block, encoding="utf-8")
            t0 = time.perf_counter()
            sync_decks(db, [deck])
            return time.perf_counter() - t0
        finally:
            db.close()

    moved_runs, still_runs = [], []
    for _ in range(repeats(3, 1)):
        still_runs.append(resync(False))
        moved_runs.append(resync(True))
    rows = [
        ratio_row(
            "re-sync, a bracket moved in a 100-deletion C: block",
            median(moved_runs),
            median(still_runs),
            1.5,
            "the same re-sync, block unchanged",
        )
    ]

    body = " ".join(f"{{{{c{i}::w{i}}}}}" for i in range(1, 5_001))
    clozes = tmp / "clozes.md"
    clozes.write_text(
        "# Clozes\n\n## Many clozes\n\n" + body + "\n\n" + "x" * (388_000 - len(body)) + "\n",
        encoding="utf-8",
    )
    single = tmp / "single"
    single.mkdir()
    (single / "notes.md").write_text(notes, encoding="utf-8")
    sizes: list[int] = []

    def first_sync(path: Path) -> float:
        db_file = tmp / f"first-{next(counter)}.db"
        db = open_db(f"sqlite:///{db_file}")
        try:
            empty = db_file.stat().st_size
            t0 = time.perf_counter()
            sync_decks(db, [path])
            took = time.perf_counter() - t0
        finally:
            db.close()
        if path == clozes:
            sizes.append(db_file.stat().st_size - empty)
        return took

    cloze_runs, notes_runs = [], []
    for _ in range(repeats(3, 1)):
        notes_runs.append(first_sync(single))
        cloze_runs.append(first_sync(clozes))
    growth = max(sizes) / clozes.stat().st_size
    rows.append(
        ratio_row(
            "sync 388 KB: one card with 5,000 cloze numbers",
            median(cloze_runs),
            median(notes_runs),
            1.0,
            "first sync of 1 MB of notes",
        )
    )
    rows.append(
        Row(
            what="database growth from that file",
            budget="≤ 10 × the file's size",
            measured=f"{growth:.1f} × ({max(sizes) / MB:.1f} MB)",
            ok=growth <= 10,
        )
    )
    return rows


def _cap_rows(tmp: Path) -> list[Row]:
    from bench.generate import deck_at_size_cap
    from quizapp.deckfile.sources import MAX_DECK_BYTES

    at_cap = tmp / "limit.md"
    at_cap.write_text(deck_at_size_cap()[0], encoding="utf-8")
    huge = tmp / "huge.md"
    huge.write_text("# Huge\n\n" + "## Q?\n\nA line of an answer.\n\n" * 400_000, encoding="utf-8")
    lint = [sys.executable, "-m", "quizapp", "lint"]
    runs = [measured_process([*lint, str(at_cap)]) for _ in range(repeats(3, 1))]
    wall = median([t for t, _, _ in runs])
    cpu = median([c for _, c, _ in runs])
    peak = max(m for _, _, m in runs)
    skipped = median([measured_process([*lint, str(huge)])[0] for _ in range(repeats(3, 1))])
    return [
        # Judged on CPU time, which a loaded machine does not stretch; wall time shown.
        Row(
            what=f"lint a deck file at the limit ({MAX_DECK_BYTES // MB} MB)",
            budget="≤ 10 s of CPU time",
            measured=f"{seconds(cpu)} CPU ({seconds(wall)} wall)",
            ok=cpu <= 10,
        ),
        Row(
            what="  … its peak memory",
            budget="≤ 500 MB",
            measured=f"{peak:.0f} MB",
            ok=peak <= 500,
        ),
        Row(
            what="lint a 10 MB deck file (skipped, warned)",
            budget="≤ 10 s",
            measured=seconds(skipped),
            ok=skipped <= 10,
        ),
    ]


def run() -> list[Row]:
    """Every adversarial-shape row."""
    notes = ordinary_notes()
    rows = _shape_rows(notes)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        rows += _sync_rows(notes, Path(tmp))
        rows += _cap_rows(Path(tmp))
    return rows
