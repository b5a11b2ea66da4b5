"""In the app's interview, an answer that cannot be read goes back to the box."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input, Static

from quizapp.store.db import open_db
from quizapp.study.options import InterviewOptions
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.interview import InterviewScreen

DECK = """\
# Sizes

## How many parameters does a GRU have?

Three gates' worth: $3(nm + n^2 + 2n)$.

```quiz
model: gru_params
ask: "nn.GRU(input_size={m}, hidden_size={n}) has how many parameters?"
params: {m: 8, n: 16}
```
"""


def test_a_missing_bracket_keeps_the_text_and_grades_the_fix(tmp_path: Path) -> None:
    deck = tmp_path / "sizes.md"
    deck.write_text(DECK, encoding="utf-8")
    db = open_db(f"sqlite:///{tmp_path / 'q.db'}")

    async def scenario() -> None:
        app = QuizApp(db, [deck])
        async with app.run_test(size=(80, 24)) as pilot:
            screen = InterviewScreen(InterviewOptions(questions=2, seed=1))
            await app.push_screen(screen)

            async def until(check: object) -> None:
                assert callable(check)
                for _ in range(1200):
                    if check():
                        return
                    await pilot.pause(0.05)
                raise AssertionError("timed out")

            await until(lambda: screen.phase in ("question", "typing"))
            if screen.phase == "question":
                await pilot.press("space", "2")
                await until(lambda: screen.phase == "typing")
            await pilot.press(*"3*(8*16+16*16+2*16", "enter")
            await until(lambda: screen.phase in ("typing", "graded"))
            assert screen.phase == "typing"
            box = screen.query_one("#typed", Input)
            assert box.value == "3*(8*16+16*16+2*16" and not box.disabled
            hint = screen.query_one("#hint", Static).content
            assert "Cannot read your answer" in str(getattr(hint, "plain", hint))
            assert not screen.query_one("#iv-verdict").display
            await pilot.press("end", ")", "enter")
            await until(lambda: screen.phase == "graded")
            verdict = screen.query_one("#iv-verdict", Static).content
            assert "✓" in str(getattr(verdict, "plain", verdict))

    try:
        asyncio.run(scenario())
    finally:
        db.close()
