"""Anki export of the 10k deck against markdown-it-py render + genanki write of the
same notes.

- export: ``quizapp.export.export_anki`` on the generated 10k deck (``bench.generate``),
  everything a user waits for: reading and parsing the deck files, drawing the quiz
  instances (3 per ``quiz`` card, answers from the reference models), rendering
  markdown to Anki HTML (MathJax math, Pygments code, media), writing the ``.apkg``.
- baseline: the same notes — one per basic card, one per cloze card, 3 per quiz card,
  in the same decks — with their markdown rendered by a plain markdown-it-py
  (CommonMark + tables + dollarmath) and written with genanki's own
  ``Package.write_to_file``. The notes' texts (the cards, the drawn questions, their
  answers) are prepared before timing.

Both sides are timed in the same process, alternately, after one untimed run each;
the budget compares their medians.

    python -m bench.bench_export
"""

from __future__ import annotations

import html
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import Row, median, ratio_row, repeats, times
from bench.generate import deck_path

BUDGET = 1.5
INSTANCES = 3


@dataclass(frozen=True)
class _Note:
    deck: str
    kind: str  # "basic", "cloze" or "quiz"
    texts: tuple[str, ...]


def _same_notes(deck: Path) -> list[_Note]:
    """The notes the export writes, as the markdown and text they are made from."""
    from quizapp.deckfile.collection import load_decks
    from quizapp.grading.draw import draw_params
    from quizapp.grading.grade import format_answer, render_question
    from quizapp.grading.models import compute, derivation

    notes: list[_Note] = []
    cloze_seen: set[str] = set()
    for parsed in load_decks([deck]):
        for card in parsed.cards:
            name = "::".join((card.deck, *card.topic))
            if card.kind == "cloze":
                base = card.id.rsplit("/c", 1)[0]
                if base not in cloze_seen:
                    cloze_seen.add(base)
                    notes.append(_Note(name, "cloze", (card.back, card.front)))
            elif card.kind == "quiz" and card.quiz is not None:
                quiz = card.quiz
                for i in range(INSTANCES):
                    params = draw_params(quiz, random.Random(f"{card.id}:{i}"))
                    truth = compute(quiz.model, params)
                    texts = (
                        render_question(quiz, params),
                        format_answer(truth),
                        derivation(quiz.model, params),
                    )
                    notes.append(_Note(name, "quiz", texts))
            else:
                notes.append(_Note(name, "basic", (card.front, card.back)))
    return notes


def _baseline(notes: list[_Note], out: Path) -> Callable[[], None]:
    import genanki
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    def run() -> None:
        md = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin)
        decks: dict[str, genanki.Deck] = {}
        for i, note in enumerate(notes):
            deck = decks.get(note.deck)
            if deck is None:
                deck = decks[note.deck] = genanki.Deck((1 << 30) + len(decks), note.deck)
            if note.kind == "basic":
                model = genanki.BASIC_MODEL
                fields = [md.renderInline(note.texts[0]), md.render(note.texts[1])]
            elif note.kind == "cloze":
                model = genanki.CLOZE_MODEL
                fields = [md.render(note.texts[0]), md.renderInline(note.texts[1])]
            else:
                model = genanki.BASIC_MODEL
                question, answer, steps = note.texts
                back = html.escape(answer) + "<br>" + html.escape(steps).replace("\n", "<br>")
                fields = [md.renderInline(question), back]
            deck.add_note(genanki.Note(model=model, fields=fields, guid=str(i)))
        # genanki leaves its temporary database behind; keep it in a folder we remove.
        with tempfile.TemporaryDirectory() as scratch:
            saved, tempfile.tempdir = tempfile.tempdir, scratch
            try:
                genanki.Package(list(decks.values())).write_to_file(str(out))
            finally:
                tempfile.tempdir = saved

    return run


def measure(runs: int | None = None) -> tuple[float, float, int]:
    """Median seconds of the export and of the baseline, and the number of notes."""
    from quizapp.export import export_anki

    runs = runs or repeats(5, 2)
    deck = deck_path()
    notes = _same_notes(deck)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        export_out, base_out = Path(tmp) / "export.apkg", Path(tmp) / "baseline.apkg"
        baseline = _baseline(notes, base_out)

        def export() -> None:
            report = export_anki([deck], export_out)
            assert report.notes == len(notes), (report.notes, len(notes))

        # Untimed first round: imports, the reference models, Pygments' lexers.
        export()
        baseline()
        exports: list[float] = []
        bases: list[float] = []
        # Alternated, so a busy moment of the machine hits both sides alike.
        for _ in range(runs):
            exports += times(export, 1)
            bases += times(baseline, 1)
    return median(exports), median(bases), len(notes)


def run() -> list[Row]:
    """The export row of the report."""
    export_s, base_s, notes = measure()
    return [
        ratio_row(
            f"Anki export of the 10k deck ({notes:,} notes)",
            export_s,
            base_s,
            BUDGET,
            "markdown-it-py render + genanki write",
        )
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['what']}: {row['measured']} (budget {row['budget']}) ok={row['ok']}")
