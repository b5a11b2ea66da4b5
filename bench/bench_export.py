"""Anki export of the 10k deck vs markdown-it-py render + genanki write of the same notes.

Budget (DESIGN §6): the full export (read and parse the deck files, render markdown to
Anki HTML with math, Pygments and media, build the notes, write the ``.apkg``) takes at
most 1.5 × the baseline: rendering the same cards' fronts and backs with a plain
markdown-it-py (CommonMark + tables + dollarmath) and writing the same notes with
genanki's own ``Package.write_to_file``. Both run in the same process, interleaved,
and each side's median of several runs is compared.

    python -m bench.bench_export [--runs N] [--cards N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BUDGET = 1.5
CARDS = 10_000
FILES = 10
RUNS = 3

_TERMS = (
    "attention",
    "embedding",
    "gradient",
    "hidden state",
    "convolution",
    "dropout",
    "layer norm",
    "softmax",
    "tokenizer",
    "residual",
    "pooling",
    "beam search",
)


def _body(rng: random.Random, i: int) -> str:
    term = rng.choice(_TERMS)
    parts = [f"The {term}, in short:\n\n"]
    parts.extend(
        f"- `{rng.choice(_TERMS)}` costs $O(n^{k})$\n" for k in range(1, rng.randint(3, 4))
    )
    kind = i % 4
    if kind == 0:
        parts.append(
            f"\n```python\ndef step(x, h):\n    return torch.tanh(W @ x + U @ h)  # {i}\n```\n"
        )
    elif kind == 1:
        parts.append(f"\n$$\nh^{{<t>}} = \\tanh(W h^{{<t-1>}} + U x^{{<t>}}) + {i}\n$$\n")
    elif kind == 2:
        parts.append(f"\n| n | params |\n|---|---|\n| {i} | {3 * i * i} |\n")
    else:
        parts.append(f"\nSee **{term}** and $\\sqrt{{d_k}}$.\n")
    return "".join(parts)


def generate_deck(folder: Path, cards: int = CARDS, files: int = FILES) -> Path:
    """Write a generated deck of ``cards`` cards in ``files`` files under ``folder``.

    About 2 MB for 10,000 cards: answers with lists, code, tables and ``$$`` math,
    topics two levels deep. Deterministic (fixed seed). Returns ``folder``.
    """
    rng = random.Random(10_000)
    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-cards // files)
    n = 0
    for f in range(files):
        lines = [f"# Generated deck {f:02d}\n\n"]
        for topic in range(10):
            lines.append(f"## Topic {f}.{topic}\n\n")
            for sub in range(5):
                lines.append(f"### Subtopic {f}.{topic}.{sub}\n\n")
                for _ in range(-(-per_file // 50)):
                    if n >= cards or n >= (f + 1) * per_file:
                        break
                    lines.append(f"#### Q{n}: why the {rng.choice(_TERMS)}?\n\n")
                    lines.append(_body(rng, n) + "\n")
                    n += 1
        (folder / f"deck-{f:02d}.md").write_text("".join(lines), encoding="utf-8")
    return folder


def _full_export(deck: Path, out: Path) -> int:
    from quizapp.export import export_anki

    return export_anki([deck], out).notes


def _baseline(deck: Path, out: Path) -> Callable[[], int]:
    """The baseline over the same notes: fronts and backs taken from the parsed cards."""
    import genanki
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    from quizapp.deckfile.collection import load_decks

    cards = [c for d in load_decks([deck]) for c in d.cards]
    model = genanki.Model(
        1_607_392_319,
        "Bench Basic",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )

    def run() -> int:
        md = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin)
        decks: dict[str, genanki.Deck] = {}
        for i, c in enumerate(cards):
            name = "::".join((c.deck, *c.topic))
            deck_ = decks.get(name)
            if deck_ is None:
                deck_ = decks[name] = genanki.Deck(1 << 30 | len(decks), name)
            fields = [md.renderInline(c.front), md.render(c.back)]
            deck_.add_note(genanki.Note(model=model, fields=fields, guid=str(i)))
        # genanki leaves its temporary database in the temp folder; keep it in ours.
        with tempfile.TemporaryDirectory() as scratch:
            saved, tempfile.tempdir = tempfile.tempdir, scratch
            try:
                genanki.Package(list(decks.values())).write_to_file(str(out))
            finally:
                tempfile.tempdir = saved
        return len(cards)

    return run


def _time(fn: Callable[[], int]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(runs: int = RUNS, cards: int = CARDS) -> dict[str, float]:
    """Medians (seconds) of the full export and of the baseline, and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        deck = generate_deck(root / "deck", cards)
        export_out, base_out = root / "export.apkg", root / "baseline.apkg"
        baseline = _baseline(deck, base_out)

        def full() -> int:
            return _full_export(deck, export_out)

        # One untimed round each: imports, lexer and parser caches.
        full()
        baseline()
        exports, bases = [], []
        for _ in range(runs):
            exports.append(_time(full))
            bases.append(_time(baseline))
        size = sum(p.stat().st_size for p in deck.glob("*.md"))
    export_s, base_s = statistics.median(exports), statistics.median(bases)
    return {
        "export_s": export_s,
        "baseline_s": base_s,
        "ratio": export_s / base_s,
        "deck_mb": size / 1e6,
    }


def run() -> list[dict[str, object]]:
    """Rows for the bench runner: what, budget, measured, ok."""
    m = measure()
    return [
        {
            "what": (
                f"Anki export of the 10k deck ({m['deck_mb']:.1f} MB): {m['export_s']:.2f} s vs "
                f"markdown-it-py render + genanki write {m['baseline_s']:.2f} s"
            ),
            "budget": f"≤ {BUDGET} ×",
            "measured": f"{m['ratio']:.2f} ×",
            "ok": m["ratio"] <= BUDGET,
        }
    ]


def main() -> None:
    """Print the measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--cards", type=int, default=CARDS)
    args = parser.parse_args()
    m = measure(args.runs, args.cards)
    print(
        f"deck {m['deck_mb']:.2f} MB, {args.cards} cards: export {m['export_s']:.3f} s, "
        f"baseline {m['baseline_s']:.3f} s, ratio {m['ratio']:.2f} × (budget ≤ {BUDGET} ×)"
    )


if __name__ == "__main__":
    main()
