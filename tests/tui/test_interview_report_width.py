"""The interview report at 80 columns, in the app after an interview (Pilot): how close
a computational answer had to be is said whole, never cut inside a table cell."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.pilot import Pilot

from quizapp.store.db import open_db
from quizapp.study.options import InterviewOptions
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.widgets.card_markdown import CardMarkdown

DECK = """\
# Memory

## KV cache

### How big is a KV cache?

$2 \\cdot b \\cdot s \\cdot L \\cdot h_{kv} \\cdot d_h$ values.

```quiz
model: kv_cache_bytes
ask: "fp16, batch {batch}, {seq} tokens, {layers} layers, {kv_heads} KV heads of {head_dim}: bytes?"
params: {batch: 1, seq: 4096, layers: 32, kv_heads: 8, head_dim: 128, dtype_bytes: 2}
```
"""
NOTE = "within ±1 % counts as right; units such as 2 GiB or 7.24B are read"


async def until(pilot: Pilot[None], check: object, timeout: float = 60.0) -> None:
    """Let the app run until ``check()`` holds (grading imports torch the first time)."""
    assert callable(check)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out"
        await pilot.pause(0.05)


def lines_shown(app: QuizApp) -> list[str]:
    """The terminal's lines as the user sees them."""
    strips = app.screen._compositor.render_strips()
    return [strip.text.rstrip() for strip in strips]


def test_the_tolerance_is_said_whole_at_80_columns(tmp_path: Path) -> None:
    deck = tmp_path / "memory.md"
    deck.write_text(DECK, encoding="utf-8")
    db = open_db(f"sqlite:///{tmp_path / 'q.db'}")
    asyncio.run(
        tolerance_said_whole(
            QuizApp(db, [deck], start="interview", interview=InterviewOptions(questions=2))
        )
    )


async def tolerance_said_whole(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        said = False
        while screen.phase != "report":
            await until(pilot, lambda: screen.phase in ("question", "typing", "report"))
            if screen.phase == "typing":
                # the question says it, whole
                await until(pilot, lambda: any(NOTE in line for line in lines_shown(app)))
                said = True
                await pilot.press("1", "enter")
                await until(pilot, lambda: screen.phase == "graded")
                await pilot.press("enter")
            elif screen.phase == "question":
                await pilot.press("space")
                await until(pilot, lambda: screen.phase == "scoring")
                await pilot.press("2")
        assert said
        pages = ["\n".join(lines_shown(app))]
        for _ in range(6):
            await pilot.press("pagedown")
            await pilot.pause(0.1)
            pages.append("\n".join(lines_shown(app)))
        shown = "\n".join(pages)
        # under the wrong answer, on a line of its own, whole
        assert "the answer is 536,870,912 bytes (512 MiB)" in shown, shown
        assert NOTE in shown, shown
        assert "counts as right" not in shown.split("Questions")[1].split("Weakest")[0]
        report = screen.query_one("#iv-report", CardMarkdown).source
        assert "KV heads of 128: bytes? |" in report  # the question's cell: the question
