"""First sync of the 10k deck against markdown-it-py's own parse; the no-op re-sync.

Baseline: the deck format's markdown-it-py configuration built by hand
(``MarkdownIt("commonmark").enable("table")`` with front_matter, dollarmath and attrs,
as ``quizapp.deckfile.markdown`` sets it up) parsing every file of the deck, read from
disk. The first sync is timed from an empty, migrated database to the committed
transaction (reading, hashing, parsing, ids, inserts); opening and migrating the
database is not part of it. The two are timed alternately, so a change in the
machine's load during the run affects both alike.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench import Row, median, paired_times, ratio_row, repeats, times
from bench.generate import deck_path


def _baseline_parse(files: list[Path]) -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table")
    md.use(front_matter_plugin).use(dollarmath_plugin).use(attrs_plugin)
    for f in files:
        md.parse(f.read_bytes().decode("utf-8"))


def run() -> list[Row]:
    """Time both sync rows against their baselines."""
    from quizapp.deckfile.markdown import structure_parser
    from quizapp.store.db import Database, open_db
    from quizapp.store.sync import sync_decks

    deck = deck_path()
    files = sorted(deck.rglob("*.md"))
    # Warm imports and the cached parser in both paths, so neither pays a first call.
    structure_parser()
    _baseline_parse(files[:1])

    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        dbs: list[Database] = []
        counter = iter(range(1000))

        def fresh_db() -> None:
            dbs.append(open_db(f"sqlite:///{Path(tmp) / f'sync-{next(counter)}.db'}"))

        first_runs, parse_runs = paired_times(
            lambda: sync_decks(dbs[-1], [deck]),
            lambda: _baseline_parse(files),
            repeats(5, 2),
            setup=fresh_db,
        )
        first, parse = median(first_runs), median(parse_runs)
        report = sync_decks(dbs[-1], [deck])
        assert not report.changed, "the re-sync found changes in an unchanged deck"
        again = median(times(lambda: sync_decks(dbs[-1], [deck]), repeats(20, 5)))
        for db in dbs:
            db.close()

    return [
        ratio_row("first sync of the 10k deck", first, parse, 1.5, "markdown-it-py parse"),
        ratio_row("re-sync with nothing changed", again, first, 0.05, "first sync"),
    ]
