"""Hostile deck files, met the way a user meets them: real files, the real ``quizapp``
commands in their own processes, the app through Textual's Pilot.

A deck comes from a stranger. Whatever it holds, the parser lets through only text
without control characters and YAML of bounded size, accepts only the ``quiz`` blocks
the grader can use, and every front-end keeps going past a card it cannot draw or a
formula too deep to convert.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import resource
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizapp.study.options import InterviewOptions, StudyOptions
from quizapp.tui.app import QuizApp, make_app

#: every C0 control but newline and tab, DEL and the C1 controls
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TRACEBACK = "Traceback (most recent call last)"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def quizapp(
    tmp_path: Path,
    deck: Path,
    *args: str,
    stdin: str = "",
    memory_mb: int | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``quizapp --db … --deck deck ARGS`` as a user would, optionally under an
    address-space limit."""

    def limit() -> None:
        if memory_mb is not None:
            size = memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    db = tmp_path / "quiz.db"
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck), *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        preexec_fn=limit,
    )


def cards_json(tmp_path: Path, deck: Path) -> list[dict[str, Any]]:
    result = quizapp(tmp_path, deck, "cards", "--json")
    assert result.returncode == 0, result.stderr
    cards: list[dict[str, Any]] = json.loads(result.stdout)
    return cards


def diagnostics(output: str) -> list[tuple[int, str, str]]:
    """(line, severity, message) of every ``FILE:LINE: severity: message`` line."""
    found = re.findall(r"^.*?:(\d+): (error|warning): (.*)$", output, re.MULTILINE)
    return [(int(line), severity, message) for line, severity, message in found]


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(scenario)


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def screen_text(app: QuizApp) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def squashed(text: str) -> str:
    """``text`` without white space and box drawing, so a wrapped line reads as one."""
    return re.sub(r"[\s│▌╭╮╰╯─]", "", text)


# -- control characters ----------------------------------------------------------------

CONTROL_DECK = """\
---
deck: "Evil\\e[2J deck"
tags: ["x\\e]0;title\\a"]
---

## Clipboard\x1b]52;c;aGVsbG8=\x07 topic

### What does the \x1b[31mred\x1b[0m text say?

It says \x9b2Jnothing\x1b]0;owned\x07 at all.

### How many parameters?

Count them.

```quiz
model: gru_params
ask: "\\e]52;c;cm0gLXJmIH4=\\a nn.GRU({m}, {n})?"
params: {m: 8, n: 16}
```
"""


def test_control_characters_are_removed_where_deck_text_enters(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    sub = folder / "sub\x1b]0;pwned\x07"
    sub.mkdir(parents=True)
    deck_file = sub / "deck\x1b[2J.md"
    deck_file.write_text(CONTROL_DECK, encoding="utf-8")

    lint = quizapp(tmp_path, folder, "lint", str(folder))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert TRACEBACK not in lint.stderr
    removed = {line for line, severity, message in diagnostics(lint.stdout) if "control" in message}
    # the file name, front matter (deck, tags), the topic, the question, the answer, `ask`
    assert removed == {1, 2, 3, 6, 8, 10, 18}, lint.stdout

    cards = cards_json(tmp_path, folder)
    assert len(cards) == 3
    for card in cards:
        for text in (card["deck"], card["front"], *card["topic"]):
            assert not CONTROL.search(text), repr(text)
            # removed, not merely shown as a control picture
            assert "␛" not in text and "<U+" not in text
    assert {c["deck"] for c in cards} == {"sub]0;pwned::Evil[2J deck"}
    assert any(c["front"] == "What does the [31mred[0m text say?" for c in cards)
    assert any(c["front"] == "]52;c;cm0gLXJmIH4= nn.GRU({m}, {n})?" for c in cards)

    study = quizapp(tmp_path, folder, "study", "--plain", stdin="\n\n1\n\n\n\n\nq\n")
    assert study.returncode == 0, study.stderr
    assert "It says 2Jnothing]0;owned at all." in study.stdout
    assert not CONTROL.search(study.stdout), repr(study.stdout)


def test_a_deck_synced_before_the_cleaning_is_read_again_and_cleaned(tmp_path: Path) -> None:
    deck = tmp_path / "old.md"
    data = b"# Old\n\n## Clipboard\x1b]52;c;aGk=\x07?\n\nAn answer.\n"
    deck.write_bytes(data)
    assert quizapp(tmp_path, deck, "sync").returncode == 0
    # what a quizapp without the cleaning left: the file's plain hash, the raw text
    con = sqlite3.connect(tmp_path / "quiz.db")
    with con:
        con.execute("UPDATE deck_files SET content_hash = ?", (hashlib.sha256(data).hexdigest(),))
        con.execute(
            "UPDATE cards SET front = ?, content_hash = 'old'", ("Clip\x1b]52;c;aGk=\x07?",)
        )
    con.close()

    sync = quizapp(tmp_path, deck, "sync")
    assert sync.returncode == 0, sync.stderr
    assert "unchanged" not in sync.stdout + sync.stderr
    (card,) = cards_json(tmp_path, deck)
    assert card["front"] == "Clipboard]52;c;aGk=?"


# -- YAML alias bombs -------------------------------------------------------------------


def _bomb() -> list[str]:
    """Nine anchors of nine aliases each: 9⁹ items once walked, a few hundred bytes."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return lines


def _front_matter_bomb() -> str:
    cards = ["# Deck", "", "## First?", "", "one", "", "## Second?", "", "two", ""]
    return "\n".join(["---", *_bomb(), "tags: *i", "---", "", *cards])


def _quiz_bomb() -> str:
    quiz = ["```quiz", "model: gru_params", 'ask: "nn.GRU({m}, {n})?"', *_bomb()]
    quiz += ["params: {m: *i, n: 8}", "```"]
    first, second = ["## First?", "", "one", ""], ["## Second?", "", "two", ""]
    return "\n".join(["# Deck", "", *first, "## Bomb?", "", *quiz, "", *second])


@pytest.mark.parametrize(
    ("text", "line", "severity"),
    # Refused front matter is ignored and every card still loads: a warning; a refused
    # quiz block keeps its card from loading: an error.
    [(_front_matter_bomb(), 6, "warning"), (_quiz_bomb(), 16, "error")],
    ids=["front", "quiz"],
)
def test_a_yaml_alias_bomb_is_refused_in_bounded_time_and_memory(
    tmp_path: Path, text: str, line: int, severity: str
) -> None:
    deck = tmp_path / "bomb.md"
    deck.write_text(text, encoding="utf-8")

    started = time.monotonic()
    lint = quizapp(tmp_path, deck, "lint", str(deck), memory_mb=256, timeout=60)
    seconds = time.monotonic() - started
    assert TRACEBACK not in lint.stderr, lint.stderr[-2000:]
    assert lint.returncode == (1 if severity == "error" else 0)
    assert seconds < 10, f"lint took {seconds:.1f} s"
    found = diagnostics(lint.stdout)
    assert (line, severity) in {(at, said) for at, said, _ in found}, lint.stdout
    assert all(len(message) < 300 for _, _, message in found)

    started = time.monotonic()
    sync = quizapp(tmp_path, deck, "sync", memory_mb=256, timeout=60)
    assert sync.returncode == 0, sync.stderr[-2000:]
    assert time.monotonic() - started < 10
    fronts = {c["front"] for c in cards_json(tmp_path, deck)}
    assert {"First?", "Second?"} <= fronts


# -- quiz blocks the grader cannot use -------------------------------------------------

UNUSABLE = """\
# Unusable

## Attention

```quiz
model: mha_params
ask: "nn.MultiheadAttention({d}, {heads})?"
params: {d: 7, heads: 2}
```

## Huge GRU

```quiz
model: gru_params
ask: "nn.GRU({m}, {n})?"
params: {m: [1, 1%s], n: 8}
```

## Extreme LSTM

```quiz
model: lstm_step
ask: "one LSTM step from x={x}?"
params: {x: [-1.0e+308, 1.0e+308], h: 0, c: 0, wi: 1, wf: 1, wg: 1, wo: 1, ui: 1, uf: 1,
  ug: 1, uo: 1, bi: 0, bf: 0, bg: 0, bo: 0}
```

## A plain card?

Still here.
""" % ("0" * 400)


def test_quiz_blocks_the_grader_cannot_use_are_lint_errors_and_never_loaded(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "unusable.md"
    deck.write_text(UNUSABLE, encoding="utf-8")

    lint = quizapp(tmp_path, deck, "lint", str(deck))
    assert lint.returncode == 1, lint.stdout
    errors = {line: message for line, severity, message in diagnostics(lint.stdout)}
    assert "heads=2 must divide d=7" in errors[8]
    assert "m must be between 1 and 1,000,000, not a 401-digit number" in errors[16]
    assert "x must be between -1e+06 and 1e+06" in errors[24]
    assert all(len(message) < 300 for message in errors.values())

    cards = cards_json(tmp_path, deck)
    assert [c["front"] for c in cards] == ["A plain card?"]

    for command in ("study", "interview"):
        session = quizapp(tmp_path, deck, command, "--plain", stdin="\n\n0\n\n\n")
        assert session.returncode == 0, session.stderr[-2000:]
        assert TRACEBACK not in session.stderr
        assert "Still here." in session.stdout


# -- a stored card that cannot be drawn ---------------------------------------------------

DRAWABLE = """\
# Stored

## GRU count

```quiz
model: gru_params
ask: "nn.GRU({m}, {n}) has how many parameters?"
params: {m: [8, 16], n: 8}
```

## A plain card?

Still here.
"""


def _stored_undrawable(tmp_path: Path) -> Path:
    """A database holding a computational card whose stored block cannot be drawn (as an
    older quizapp, whose parser let such blocks through, would have stored it)."""
    deck = tmp_path / "stored.md"
    deck.write_text(DRAWABLE, encoding="utf-8")
    sync = quizapp(tmp_path, deck, "sync")
    assert sync.returncode == 0, sync.stderr
    con = sqlite3.connect(tmp_path / "quiz.db")
    with con:
        (quiz,) = con.execute("SELECT quiz FROM cards WHERE kind = 'quiz'").fetchone()
        spec = json.loads(quiz)
        spec["params"]["m"] = ["range", 1, 10**400]
        con.execute("UPDATE cards SET quiz = ? WHERE kind = 'quiz'", (json.dumps(spec),))
    con.close()
    return deck


def test_study_plain_skips_a_card_it_cannot_draw_and_goes_on(tmp_path: Path) -> None:
    deck = _stored_undrawable(tmp_path)
    study = quizapp(tmp_path, deck, "study", "--plain", stdin="\n\nq\n")
    assert TRACEBACK not in study.stderr, study.stderr[-2000:]
    assert study.returncode == 0
    skip = [line for line in study.stdout.splitlines() if "cannot be asked" in line]
    assert len(skip) == 1 and f"{deck}:5:" in skip[0], study.stdout
    assert "Still here." in study.stdout


def test_interview_plain_skips_a_card_it_cannot_draw_and_goes_on(tmp_path: Path) -> None:
    deck = _stored_undrawable(tmp_path)
    interview = quizapp(tmp_path, deck, "interview", "--plain", stdin="\n2\n")
    assert TRACEBACK not in interview.stderr, interview.stderr[-2000:]
    assert interview.returncode == 0
    skip = [line for line in interview.stdout.splitlines() if "cannot be asked" in line]
    assert len(skip) == 1 and f"{deck}:5:" in skip[0], interview.stdout
    assert "Still here." in interview.stdout
    assert "saved: 2/3" in interview.stdout


def skipped_then_plain(app: QuizApp) -> bool:
    """Whether the app shows the plain card and a notice naming the skipped card."""
    text = squashed(screen_text(app))
    return "Aplaincard?" in text and "cannotbeasked" in text and "stored.md:5:" in text


def test_the_study_screen_skips_a_card_it_cannot_draw_and_goes_on(tmp_path: Path) -> None:
    deck = _stored_undrawable(tmp_path)
    app = make_app(
        db_url=f"sqlite:///{tmp_path / 'quiz.db'}",
        deck_paths=[deck],
        start="study",
        now=lambda: NOW,
        study=StudyOptions(seed=1),
    )

    async def scenario() -> None:
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await wait_until(pilot, lambda: skipped_then_plain(app), "the skip and the plain card")
            await pilot.press("space")
            await wait_until(pilot, lambda: "Still here." in screen_text(app), "its answer")
            assert app.is_running

    run(scenario())


def test_the_interview_screen_skips_a_card_it_cannot_draw_and_goes_on(tmp_path: Path) -> None:
    deck = _stored_undrawable(tmp_path)
    app = make_app(
        db_url=f"sqlite:///{tmp_path / 'quiz.db'}",
        deck_paths=[deck],
        start="interview",
        now=lambda: NOW,
        interview=InterviewOptions(seed=1),
    )

    async def scenario() -> None:
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await wait_until(pilot, lambda: skipped_then_plain(app), "the skip and the plain card")
            assert app.is_running

    run(scenario())


# -- LaTeX nested deep ---------------------------------------------------------------------

DEEP = "\\sqrt{" * 500 + "x" + "}" * 500
DEEP_DECK = f"""\
# Deep

## How deep is this root?

$$
{DEEP}
$$

## A plain card?

Still here.
"""


@pytest.fixture
def deep_deck(tmp_path: Path) -> Path:
    deck = tmp_path / "deep.md"
    deck.write_text(DEEP_DECK, encoding="utf-8")
    return deck


def test_lint_warns_of_latex_nested_deep(tmp_path: Path, deep_deck: Path) -> None:
    lint = quizapp(tmp_path, deep_deck, "lint", str(deep_deck))
    assert lint.returncode == 0
    warnings = [(line, message) for line, sev, message in diagnostics(lint.stdout)]
    assert warnings == [
        (5, "formula is nested 500 deep (over 40); it is shown as its LaTeX source")
    ]


def test_study_plain_shows_latex_nested_deep_as_its_source(tmp_path: Path, deep_deck: Path) -> None:
    study = quizapp(tmp_path, deep_deck, "study", "--plain", stdin="\n\n\n\nq\n")
    assert TRACEBACK not in study.stderr, study.stderr[-2000:]
    assert study.returncode == 0
    assert "\\sqrt{\\sqrt{\\sqrt{" in study.stdout
    assert "Still here." in study.stdout


def test_export_keeps_latex_nested_deep_as_its_source(tmp_path: Path, deep_deck: Path) -> None:
    out = tmp_path / "deep.apkg"
    export = quizapp(tmp_path, deep_deck, "export", "anki", str(deep_deck), "-o", str(out))
    assert export.returncode == 0, export.stderr
    with zipfile.ZipFile(out) as apkg:
        (tmp_path / "collection.anki2").write_bytes(apkg.read("collection.anki2"))
    con = sqlite3.connect(tmp_path / "collection.anki2")
    fields = "\n".join(row[0] for row in con.execute("SELECT flds FROM notes"))
    con.close()
    # as code, not as TeX for MathJax to choke on
    assert "<code>\\sqrt{\\sqrt{" in fields
    assert "\\[\\sqrt{" not in fields


def test_the_study_screen_reveals_latex_nested_deep_as_its_source(
    tmp_path: Path, deep_deck: Path
) -> None:
    app = make_app(
        db_url=f"sqlite:///{tmp_path / 'quiz.db'}",
        deck_paths=[deep_deck],
        start="study",
        now=lambda: NOW,
    )

    async def scenario() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_until(pilot, lambda: "How deep" in screen_text(app), "the question")
            await pilot.press("space")
            await wait_until(pilot, lambda: "\\sqrt{\\sqrt{" in screen_text(app), "the answer")
            assert app.is_running

    run(scenario())
