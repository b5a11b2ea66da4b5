"""Cold start of the app in a real terminal, 10k-card collection with a few reviews,
against a bare Textual app that shows one Markdown widget.

Every side is a whole process on a pseudo-terminal (``bench.terminal``), timed from
spawn to the moment its text is on screen, medians of several runs taken in turn
(after an untimed warm-up run of each, so the OS file cache holds all of them):

- ``quizapp --db DB --deck DECK study``: until the first card's question is shown;
- ``quizapp --db DB --deck DECK``: until the home screen shows the topic tree with its
  counts (the first deck's row and the "press s to study the N card(s)" line);
- baseline: an app whose only widget is a ``Markdown`` with a card's worth of text,
  until that text is shown.

Both quizapp launches are the real thing: command line, the unchanged 10k deck, the
database. Every launch imports compiled modules (a pycache under ``bench/out/``, filled
by the warm-up runs), as from an installed package: a checkout run with
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile quizapp's own modules at every
launch, and only those. The machine's load average is printed with the figures: on a busy machine
ratios drift towards 1 (everyone waits alike) or away from it (a launch is split
between two processes).
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench import Row, median, ratio_row, repeats
from bench.generate import OUT, add_history, cached, deck_path
from bench.terminal import time_to_text

BUDGET = 1.25
GOAL = 1.15

BARE_MARKER = "What does a GRU's update gate do?"
BARE_APP = '''
from textual.app import App, ComposeResult
from textual.widgets import Markdown

TEXT = """\\
### What does a GRU's update gate do?

It interpolates between the old state and the candidate:

- $z_t$ near 1 keeps the old state
- $z_t$ near 0 writes the candidate

```python
gru = torch.nn.GRU(64, 32)
```
"""


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown(TEXT)


Bare().run()
'''


def _build_db(path: Path, deck: Path) -> None:
    """The 10k deck synced, 5 % of its cards reviewed (about 1,000 reviews)."""
    from quizapp.store.db import open_db
    from quizapp.store.sync import sync_decks

    db = open_db(f"sqlite:///{path}")
    try:
        sync_decks(db, [deck])
        add_history(db, reviews=1_000, seed=5, new_share=0.95)
    finally:
        db.close()


def _words(text: str, n: int = 4) -> str:
    return " ".join(text.split()[:n])


def markers(db: Path) -> tuple[list[str], list[str]]:
    """What shows that each screen is drawn: the first card's question; the first
    deck's name and the count of cards waiting."""
    from quizapp.store.db import open_db
    from quizapp.study.engine import Prompt
    from quizapp.study.options import StudyOptions
    from quizapp.study.quick import first_step, read_quickly
    from quizapp.tui.widgets.deck_tree import Overview
    from quizapp.words import plural

    url = f"sqlite:///{db}"
    # A database built by an older quizapp is migrated first, as a launch would.
    open_db(url).close()
    now = datetime.now(UTC)
    step = first_step(url, now, StudyOptions(), random.Random())
    overview = read_quickly(url, now, Overview.read)
    if not isinstance(step, Prompt) or overview is None:
        raise RuntimeError(f"{db}: the bench database has no card to study")
    waiting = overview.counts.total
    home = [overview.groups[0].name, f"to study the {plural(waiting, 'card')} waiting"]
    return [_words(step.card.front)], home


#: every launch reads compiled modules from here, as an installed package has them (the
#: warm-up run writes them), whatever ``PYTHONDONTWRITEBYTECODE`` says
PYCACHE_ENV: dict[str, str | None] = {
    "PYTHONPYCACHEPREFIX": str(OUT / "pycache"),
    "PYTHONDONTWRITEBYTECODE": None,
}


def _launch_rows(
    launches: Sequence[tuple[str, list[str], list[str]]], runs: int
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {name: [] for name, _, _ in launches}
    for _, argv, marks in launches:
        time_to_text(argv, marks, env=PYCACHE_ENV)  # warm-up, untimed
    for _ in range(runs):
        for name, argv, marks in launches:
            out[name].append(time_to_text(argv, marks, env=PYCACHE_ENV))
    return out


def run() -> list[Row]:
    """Time the three launches in turn, so all see the same machine load, and compare
    the medians."""
    deck = deck_path()
    db = cached("startup-10k-r1000.db", lambda p: _build_db(p, deck))
    study_marks, home_marks = markers(db)
    quizapp = [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck)]
    load = os.getloadavg()[0]
    times = _launch_rows(
        [
            ("bare", [sys.executable, "-c", BARE_APP], [BARE_MARKER]),
            ("study", [*quizapp, "study"], study_marks),
            ("home", quizapp, home_marks),
        ],
        repeats(5, 5),
    )
    load = max(load, os.getloadavg()[0])
    bare = median(times["bare"])
    rows = [
        ratio_row(
            f"`quizapp study` to first card, 10k cards, real terminal (load {load:.1f})",
            median(times["study"]),
            bare,
            BUDGET,
            "bare Textual app with one Markdown widget",
        ),
        ratio_row(
            f"`quizapp` home screen with counts, 10k cards, real terminal (load {load:.1f})",
            median(times["home"]),
            bare,
            BUDGET,
            "bare Textual app with one Markdown widget",
        ),
    ]
    for row, name in zip(rows, ("study", "home"), strict=True):
        ratio = median(times[name]) / bare
        row["measured"] += " goal met" if ratio <= GOAL else f" (goal {GOAL:g} ×)"
    return rows


if __name__ == "__main__":
    for row in run():
        print(
            f"{row['what']}: {row['measured']} (budget {row['budget']}): "
            f"{'pass' if row['ok'] else 'FAIL'}"
        )
