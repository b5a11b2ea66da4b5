"""Cold start of the app to the first card on screen, 10k-card database, against a bare
Textual app that shows one Markdown widget.

Both sides are whole processes, headless, timed from spawn to exit, medians of several
runs taken alternately (after an untimed warm-up run of each):

- quizapp: ``python -m quizapp --db DB --deck DECK study`` with
  ``QUIZAPP_EXIT_AFTER_FIRST_CARD=1``: the real launch (command line, database,
  the incremental sync of the unchanged 10k deck, the study queue, the card's markdown)
  that exits once the first card has been drawn;
- baseline: an app whose only widget is a ``Markdown`` with a card's worth of text,
  exiting once it has been drawn.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import Row, median, process_times, ratio_row, repeats
from bench.generate import cached, deck_path

BUDGET = 1.8

BARE_APP = '''
from textual.app import App, ComposeResult
from textual.widgets import Markdown

TEXT = """\
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

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


Bare().run(headless=True)
'''


def _build_db(path: Path, deck: Path) -> None:
    from quizapp.store.db import open_db
    from quizapp.store.sync import sync_decks

    db = open_db(f"sqlite:///{path}")
    try:
        sync_decks(db, [deck])
    finally:
        db.close()


def run() -> list[Row]:
    """Time both launches, alternating them so both see the same machine load, and
    compare their medians."""
    deck = deck_path()
    db = cached("startup-10k.db", lambda p: _build_db(p, deck))
    quizapp = [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck), "study"]
    env = {"QUIZAPP_EXIT_AFTER_FIRST_CARD": "1"}
    bare = [sys.executable, "-c", BARE_APP]
    # One untimed run of each first: the OS file cache then holds both.
    process_times(quizapp, 0, env=env, warm=1)
    process_times(bare, 0, warm=1)
    app_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(repeats(9, 5)):
        app_times += process_times(quizapp, 1, env=env, warm=0)
        bare_times += process_times(bare, 1, warm=0)
    return [
        ratio_row(
            "TUI cold start to first card, 10k-card DB",
            median(app_times),
            median(bare_times),
            BUDGET,
            "bare Textual app with one Markdown widget",
        )
    ]


if __name__ == "__main__":
    for row in run():
        print(
            f"{row['what']}: {row['measured']} (budget {row['budget']}): "
            f"{'pass' if row['ok'] else 'FAIL'}"
        )
