"""The interview report at 80 columns, in the app after an interview (Pilot): how close
a computational answer had to be is said whole, never cut inside a table cell, and the
questions' table keeps every cell whole beside a long Chinese question: the bundled
deck's questions on memory, whose Chinese runs are wider than the table's room."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from textual.pilot import Pilot

from quizapp.locations import bundled_deck
from quizapp.store.db import open_db
from quizapp.study.options import InterviewOptions
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.interview_report import InterviewReportScreen
from quizapp.tui.widgets.card_markdown import CardMarkdown
from quizapp.tui.widgets.report_markdown import ReportMarkdown, share_widths

DECK = """\
# LLM arithmetic

## 显存 · Memory

### KV cache 占多少显存？（KV cache size）

$2 \\cdot b \\cdot s \\cdot L \\cdot h_{kv} \\cdot d_h$ 个数。

```quiz
model: kv_cache_bytes
ask: "ASK"
params: {batch: 1, seq: 4096, layers: 32, kv_heads: 8, head_dim: 128, dtype_bytes: 2}
```
""".replace(
    "ASK",
    "fp16 推理：batch={batch}，序列长 {seq}，{layers} 层，{kv_heads} 个 KV 头，"
    "head_dim={head_dim}。KV cache 占多少字节？",
)
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
        table = shown.split("Questions")[1].split("Weakest")[0]
        assert "counts as right" not in table
        # every column of the questions' table whole: numbers, verdicts, times, scores
        rows = [" ".join(line.split()) for line in table.splitlines()]
        cells = {
            "header": r"│ # │ question │ topic │ result │ time │ score │",
            "open": r"│ \d │ .*│ self-scored │ 0:0\d │ 2/3 │",
            "computational": r"│ \d │ .*│ ✗ wrong │ 0:0\d │ 0/3 │",
        }
        for what, cell in cells.items():
            assert any(re.search(cell, row) for row in rows), (what, table)
        assert "…" not in table, table
        report = screen.query_one("#iv-report", CardMarkdown).source
        assert "KV cache 占多少字节？ |" in report  # the question's cell: the question


def test_the_bundled_decks_chinese_questions_leave_every_short_column_whole(
    tmp_path: Path,
) -> None:
    db = open_db(f"sqlite:///{tmp_path / 'q.db'}")
    options = InterviewOptions(questions=3, topics=("LLM arithmetic › 显存 · Memory",), seed=1)
    asyncio.run(
        short_columns_whole(QuizApp(db, [bundled_deck()], start="interview", interview=options))
    )


async def short_columns_whole(app: QuizApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        while screen.phase != "report":
            await until(pilot, lambda: screen.phase in ("question", "typing", "report"))
            if screen.phase == "typing":
                await pilot.press("1", "enter")
                await until(pilot, lambda: screen.phase == "graded")
                await pilot.press("enter")
            elif screen.phase == "question":
                await pilot.press("space")
                await until(pilot, lambda: screen.phase == "scoring")
                await pilot.press("2")
        assert_short_columns_whole(await questions_table(app, pilot))
        # the stored report, as `i` on the home screen opens it, is laid out alike
        assert screen.report is not None
        app.open_interview_report(screen.report.interview_id)
        await until(pilot, lambda: isinstance(app.screen, InterviewReportScreen))
        await until(
            pilot,
            lambda: any("## Questions" in md.source for md in app.screen.query(ReportMarkdown)),
        )
        await pilot.pause(0.2)
        assert_short_columns_whole(await questions_table(app, pilot))


async def questions_table(app: QuizApp, pilot: Pilot[None]) -> list[str]:
    """The lines of the report's questions' table, paging down through it, spaces
    squeezed."""
    pages = ["\n".join(lines_shown(app))]
    for _ in range(10):
        await pilot.press("pagedown")
        await pilot.pause(0.1)
        pages.append("\n".join(lines_shown(app)))
    table = "\n".join(pages).split("Questions")[1].split("Weakest")[0]
    return [" ".join(line.split()) for line in table.splitlines()]


def assert_short_columns_whole(rows: list[str]) -> None:
    table = "\n".join(rows)
    header = "│ # │ question │ topic │ result │ time │ score │"
    assert any(header in line for line in rows), table
    # one row per answer (each typed wrong): number, verdict, time and score whole
    for n in (1, 2, 3):
        row = rf"│ {n} │ .*│ ✗ wrong │ 0:\d\d │ 0/3 │"
        assert any(re.search(row, line) for line in rows), (n, table)
    # the long text wraps inside its column: the topic is read whole, over two lines
    assert any("LLM arithmetic ›" in line for line in rows), table
    assert any("显存 · Memory" in line for line in rows), table


def test_a_table_that_fits_keeps_its_widths_and_one_too_wide_narrows_its_widest() -> None:
    # #, question, topic, result, time, score (padding included)
    natural, floors = [3, 62, 32, 9, 6, 7], [3, 14, 12, 9, 6, 7]
    assert share_widths(natural, floors, 200) == natural
    widths = share_widths(natural, floors, 65)
    assert sum(widths) == 65
    assert widths[0] == 3 and widths[3:] == [9, 6, 7]  # the short columns whole
    assert widths[1] >= widths[2] >= 12  # question and topic share the rest
    # a long word in the question doesn't squeeze the short columns: it is folded
    natural, floors = [3, 96, 16, 9, 6, 7], [3, 29, 12, 8, 6, 7]
    assert share_widths(natural, floors, 64) == [3, 23, 16, 9, 6, 7]
