"""The app showing the largest cards a deck can hold.

Budget (a card's text is cut for the app by ``present.bounds.bounded_pieces``): every
shape below shows in under 1 s, with under 200 MB more memory than the same process
showing an ordinary card, and ctrl+q pressed while it is being drawn ends the app in
under 0.5 s. The shapes are the largest of their kind that line mode accepts whole or
cut (a 35 KB list of 3,000 items, a 50 × 200 table, 2,000 paragraphs, a 248 KB table).
Each shape runs in a fresh process (``--shape NAME``): one markdown widget at 80 × 24,
as the study screen's answer.

    python -m bench.bench_bigcards [--shape NAME]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import Row, repeats

SHOW_BUDGET_S = 1.0
MEMORY_BUDGET_MB = 200.0
QUIT_BUDGET_S = 0.5


def _table(columns: int, rows: int, cell: str) -> str:
    head = "| " + " | ".join(f"h{j}" for j in range(columns)) + " |"
    rule = "|" + "---|" * columns
    body = ("| " + " | ".join(f"{cell}{i}" for _ in range(columns)) + " |" for i in range(rows))
    return "\n".join([head, rule, *body])


def _ordinary() -> str:
    """The longest answer of the bundled deck."""
    from quizapp.deckfile.parse import parse_deck

    deck = Path(__file__).resolve().parent.parent / "deck"
    answers = [
        c.back for f in sorted(deck.glob("*.md")) for c in parse_deck(f.read_bytes(), str(f)).cards
    ]
    return max(answers, key=len)


SHAPES: dict[str, Callable[[], str]] = {
    "ordinary": _ordinary,
    "list 3,000 items": lambda: "\n".join(f"- item {i} of the list" for i in range(3000)),
    "table 50 x 200": lambda: _table(50, 200, "v"),
    "2,000 paragraphs": lambda: "\n\n".join(f"Paragraph {i} here." for i in range(2000)),
    "table 248 KB": lambda: _table(4, 6200, "row cell "),
}


def _measure(shape: str) -> dict[str, float]:
    from textual.app import App, ComposeResult

    from quizapp.tui.widgets.card_markdown import CardMarkdown

    text = SHAPES[shape]()

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield CardMarkdown(id="answer")

    async def show() -> dict[str, float]:
        app = One()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            t0 = time.perf_counter()
            await app.query_one(CardMarkdown).update(text)
            await pilot.pause()
            shown = time.perf_counter() - t0
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
        quit_app = One()
        async with quit_app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            pending = quit_app.query_one(CardMarkdown).update(text)
            t0 = time.perf_counter()
            await pilot.press("ctrl+q")
            await pending
        return {
            "show": shown,
            "memory": grown,
            "quit": time.perf_counter() - t0,
            "chars": len(text),
        }

    return asyncio.run(show())


def _in_process(shape: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_bigcards", "--shape", shape],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run() -> list[Row]:
    """One row per shape."""
    runs = repeats(3, 1)
    figures = {s: [_in_process(s) for _ in range(runs)] for s in SHAPES}
    base_memory = statistics.median(f["memory"] for f in figures["ordinary"])
    rows: list[Row] = []
    for shape, runs_of in figures.items():
        show = statistics.median(f["show"] for f in runs_of)
        memory = statistics.median(f["memory"] for f in runs_of) - base_memory
        quit_s = statistics.median(f["quit"] for f in runs_of)
        ok = show <= SHOW_BUDGET_S and memory <= MEMORY_BUDGET_MB and quit_s <= QUIT_BUDGET_S
        rows.append(
            Row(
                what=f"app shows a card: {shape} ({int(runs_of[0]['chars']):,} chars)",
                budget=(
                    f"≤ {SHOW_BUDGET_S:g} s, ≤ {MEMORY_BUDGET_MB:g} MB, quit ≤ {QUIT_BUDGET_S:g} s"
                ),
                measured=f"{show:.2f} s, {memory:+.0f} MB, quit {quit_s:.2f} s",
                ok=ok,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_bigcards")
    parser.add_argument("--shape", choices=sorted(SHAPES))
    args = parser.parse_args()
    if args.shape:
        print(json.dumps(_measure(args.shape)))
        return
    for row in run():
        print(f"{row['what']}: {row['measured']} (budget {row['budget']})")


if __name__ == "__main__":
    main()
