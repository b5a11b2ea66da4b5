"""80x24 is the design size: nothing essential is cut or hidden there, and below it text
wraps and views say what is out of view."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp import locations
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen
from tui.apptest import AppFactory, footer_drawn, run, screen_text, wait_for_phase, wait_until

DESIGN = (80, 24)
SMALL = (60, 20)

#: a card whose answer is longer than the screen, with a table of Chinese cells
LONG_CARD = """\
# 序列

## RNN

### 各种 RNN 结构？ {#long-table}

| 形式 | 做法 | 典型任务 |
|---|---|---|
| one-to-one | 单个输入 → 单个输出（其实就是前馈网络） | 图像分类 |
| many-to-one | 读完整个序列，最后输出一个结果 | 文本分类、情感分析 |
| many-to-many（seq2seq） | encoder 读完输入，decoder 再生成输出序列 | 机器翻译、摘要 |

{lines}

The last line of the answer.
"""


def _long_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "long" / "long.md"
    deck.parent.mkdir()
    lines = "\n\n".join(f"Paragraph {n} of the answer, long enough to matter." for n in range(12))
    deck.write_text(LONG_CARD.replace("{lines}", lines), encoding="utf-8")
    return deck


def test_home_at_80x24_shows_the_whole_header_footer_and_what_is_below(
    new_app: AppFactory,
) -> None:
    app = new_app(start="home", deck_paths=[locations.bundled_deck()])

    async def scenario() -> None:
        async with app.run_test(size=DESIGN) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
                what="home",
            )
            await footer_drawn(pilot)
            await pilot.pause(0.1)
            lines = screen_text(app).splitlines()
            # The header line ends with the due count, not in the middle of it.
            header = next(line for line in lines if "reviewed" in line)
            assert re.search(r"\d+ new · \d+ learning · \d+ due$", header), header
            # The footer ends with quit, whole; the palette key is on the help page.
            assert lines[-1].rstrip().endswith("q Quit"), lines[-1]
            assert "palette" not in lines[-1]
            # The bundled deck's tree is longer than the screen: the bottom border says
            # how much is below, and End brings the last deck's topics into view.
            bottom = next(line for line in lines if line.startswith(" ╰"))
            assert re.search(r"▼ \d+ more lines? · ↓ pgdn", bottom), bottom
            await pilot.press("end")
            await pilot.pause(0.1)
            text = screen_text(app)
            assert "梯度问题 · Gradients" in text
            assert "▲ more above" in text

    run(scenario())


def test_a_long_answer_says_more_is_below_and_tables_wrap(
    new_app: AppFactory, tmp_path: Path
) -> None:
    app = new_app(start="study", deck_paths=[_long_deck(tmp_path)])

    async def scenario() -> None:
        async with app.run_test(size=DESIGN) as pilot:
            await wait_for_phase(pilot, "question")
            await pilot.press("space")
            await wait_for_phase(pilot, "answer")
            await pilot.pause(0.2)
            screen = app.screen
            assert isinstance(screen, StudyScreen)
            text = screen_text(app)
            # Chinese cells wrap onto a second line instead of ending in "…".
            assert "…" not in text
            wrapped = ("单个输出（其实就是前馈网络", "读完整个序列，最后输出一个", "再生成输出序列")
            for part in wrapped:
                assert part in text, text
            # The rest of the answer is below the fold, and the card says so.
            assert "The last line of the answer." not in text
            assert re.search(r"▼ \d+ more lines · ↓ pgdn", text), text
            # The four ratings are on screen.
            for name in ("1 Again", "2 Hard", "3 Good", "4 Easy"):
                assert name in text
            await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
            await pilot.pause(0.2)
            text = screen_text(app)
            assert "The last line of the answer." in text
            assert "▲ more above" in text

    run(scenario())


def test_the_suggested_rating_and_answer_box_hint_fit_80_columns(new_app: AppFactory) -> None:
    app = new_app(start="study")

    async def scenario() -> None:
        async with app.run_test(size=DESIGN) as pilot:
            for _ in range(7):
                await wait_for_phase(pilot, "question")
                await pilot.press("space")
                await wait_for_phase(pilot, "answer")
                await pilot.press("3")
            await wait_for_phase(pilot, "typing")
            text = screen_text(app)
            assert "a number or an expression, e.g. 3*(64*32+64*64)" in text
            await pilot.press(*"1000", "enter")
            await wait_for_phase(pilot, "graded")
            await pilot.pause(0.2)
            app.clear_notifications()
            await pilot.pause()
            text = screen_text(app)
            # The suggestion is on screen with the verdict, whatever the derivation's
            # length.
            assert "suggested: 1 Again  (Enter accepts, 1–4 choose another)" in text, text

    run(scenario())


def test_below_80x24_the_home_counts_and_the_question_stay_visible(
    new_app: AppFactory,
) -> None:
    app = new_app(start="home", deck_paths=[locations.bundled_deck()])

    async def scenario() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
                what="home",
            )
            await pilot.pause(0.1)
            text = screen_text(app)
            # The counts wrap rather than fall off the right edge.
            assert re.search(r"\d+ due", text), text
            assert re.search(r"new\s+learn\s+due", text), text
            assert re.search(r"Attention & Transformer\s+\d+\s+\d+\s+\d+", text), text

    run(scenario())
