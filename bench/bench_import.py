"""``quizapp import anki`` of a 10k-note collection with 100k review-log entries.

- input: an ``.apkg`` (with scheduling) built with the real ``anki`` package: 10,000
  notes in 20 decks and sub-decks — 70 % Basic with HTML (bold, lists, line breaks,
  MathJax), 15 % Basic-and-reversed, 15 % Cloze with two deletions — and 100,000
  answers in the review log spread over the cards; FSRS on, half of the reviewed cards
  with an FSRS memory state (the others are replayed); 3 % of the cards suspended and
  1 % buried (buried on the day the package is built: on a later day Anki, and the
  import, treat them as back in the queue).
- measured: the whole command as a user runs it (a fresh process, a fresh database and
  target folder each run): reading the package with Anki's library, converting the
  notes, writing the deck files, syncing them, importing the reviews. Wall-clock median
  and the process's peak resident memory.
- context: the ``anki`` package alone importing the same package into an empty
  collection (the reading step quizapp cannot avoid).

    python -m bench.bench_import
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import Row, measured_process, median, repeats, seconds
from bench.generate import cached

NOTES = 10_000
REVIEWS = 100_000
DECKS = 20
BUDGET_SECONDS = 30.0
BUDGET_MB = 500.0

_WORDS = [
    *("attention", "gradient", "softmax", "encoder", "decoder", "token", "embedding"),
    *("layer", "norm", "residual", "dropout", "batch", "convolution", "kernel", "stride"),
    *("padding", "recurrent", "gate", "hidden", "state"),
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _fields(rng: random.Random, kind: str) -> dict[str, str]:
    if kind == "Cloze":
        return {
            "Text": f"The {{{{c1::{_text(rng, 2)}}}}} of a {_text(rng, 3)} is "
            f"{{{{c2::{_text(rng, 2)}}}}} \\(x_{{t}} = W h_{{t-1}}\\)",
            "Back Extra": _text(rng, 6),
        }
    back = (
        f"<b>{_text(rng, 3)}</b> {_text(rng, 12)}<br>"
        f"<ul><li>{_text(rng, 5)}</li><li>{_text(rng, 5)}</li></ul>"
        f"\\[\\sum_i {rng.choice(_WORDS)}_i\\]"
    )
    return {"Front": f"What is the {_text(rng, 4)}?", "Back": back}


def build_package(path: Path, notes: int = NOTES, reviews: int = REVIEWS, seed: int = 0) -> None:
    """The benchmark's ``.apkg`` at ``path``."""
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        # the anki package's types are stricter than this generator needs
        col: Any = Collection(str(Path(folder) / "collection.anki2"))
        col.set_config("fsrs", True)
        decks = [
            col.decks.id(f"Deck {i // 4}" + (f"::Part {i % 4}" if i % 4 else ""))
            for i in range(DECKS)
        ]
        models = {
            name: col.models.by_name(name)
            for name in ("Basic", "Basic (and reversed card)", "Cloze")
        }
        requests = []
        for _ in range(notes):
            pick = rng.random()
            kind = (
                "Basic" if pick < 0.7 else "Basic (and reversed card)" if pick < 0.85 else "Cloze"
            )
            note = col.new_note(models[kind])
            for name, value in _fields(rng, kind).items():
                note[name] = value
            requests.append(AddNoteRequest(note, rng.choice(decks)))
        col.add_notes(requests)  # one transaction
        card_ids = list(col.find_cards(""))
        reviewed = rng.sample(card_ids, len(card_ids) * 3 // 4)
        now_ms = int(time.time() * 1000)
        rows = []
        for n in range(reviews):
            cid = reviewed[n % len(reviewed)]
            at = now_ms - (reviews - n) * 60_000 - rng.randrange(30_000)
            entry_type = 0 if n < len(reviewed) else 1
            rating = rng.choice((1, 3, 3, 3, 4))
            rows.append((at, cid, -1, rating, 1, 0, 2500, 8000, entry_type))
        col.db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", rows)
        today = col.sched.today
        from anki.cards import FSRSMemoryState

        cards = []
        for index, cid in enumerate(reviewed):
            card = col.get_card(cid)
            card.type = card.queue = 2  # review
            card.ivl = rng.randrange(1, 60)
            card.due = today + rng.randrange(-10, 60)
            if index % 2 == 0:
                card.memory_state = FSRSMemoryState(
                    stability=rng.uniform(1, 90), difficulty=rng.uniform(1, 10)
                )
            cards.append(card)
        col.update_cards(cards)
        held = rng.sample(card_ids, len(card_ids) * 4 // 100)
        col.sched.suspend_cards(held[: len(held) * 3 // 4])
        col.sched.bury_cards(held[len(held) * 3 // 4 :], manual=True)
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False
            ),
            limit=None,
        )
        col.close()


def package_path(*, fresh: bool = False) -> Path:
    """The cached benchmark package."""
    return cached(f"anki-{NOTES}-{REVIEWS}-held.apkg", build_package, fresh=fresh)


def _anki_alone(package: Path, folder: Path) -> None:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(folder / "collection.anki2"))
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
    )
    col.close()


def run() -> list[Row]:
    """The import rows."""
    package = package_path()
    runs = repeats(3, 1)
    took: list[float] = []
    cpu: list[float] = []
    peaks: list[float] = []
    baseline: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            argv = [sys.executable, "-m", "quizapp", "--db", str(work / "quiz.db")]
            argv += ["import", "anki", str(package), "--to", str(work / "decks")]
            seconds_taken, cpu_taken, peak = measured_process(argv)
            took.append(seconds_taken)
            cpu.append(cpu_taken)
            peaks.append(peak)
            (work / "alone").mkdir()
            t0 = time.perf_counter()
            _anki_alone(package, work / "alone")
            baseline.append(time.perf_counter() - t0)
            shutil.rmtree(work / "alone")
    took_median, peak_max = median(took), max(peaks)
    load = os.getloadavg()[0]
    return [
        Row(
            what=f"import anki: {NOTES:,} notes, {REVIEWS:,} review-log entries",
            budget=f"≤ {BUDGET_SECONDS:g} s (anki alone reads it in {seconds(median(baseline))})",
            measured=f"{seconds(took_median)} (median of {runs}; CPU {seconds(median(cpu))}; "
            f"load {load:.1f})",
            ok=took_median <= BUDGET_SECONDS,
        ),
        Row(
            what="import anki: peak memory of the process",
            budget=f"≤ {BUDGET_MB:g} MB",
            measured=f"{peak_max:.0f} MB",
            ok=peak_max <= BUDGET_MB,
        ),
    ]


if __name__ == "__main__":
    from bench.run import render

    print(render(run()))
