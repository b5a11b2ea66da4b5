"""``quizapp study --plain`` driven through stdin, as a pipe would drive it (on SQLite
and on PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DECK = """\
# Plain deck

## Basics

### What does FSRS stand for?

Free Spaced Repetition Scheduler.

### What is a learning step?

A short interval before a new card graduates to review.
"""


def quizapp(*args: str, db: str, deck: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", db, "--deck", str(deck), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cards(db: str, deck: Path, *extra: str) -> list[dict[str, object]]:
    out = quizapp("cards", "--json", *extra, db=db, deck=deck)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_review_edit_rename_retire_restore(tmp_path: Path, db_url: str) -> None:
    db = db_url
    deck = tmp_path / "plain.md"
    deck.write_text(DECK, encoding="utf-8")

    # Review one card: Enter reveals, 3 rates Good; then quit.
    run = quizapp("study", "--plain", "--limit", "1", db=db, deck=deck, stdin="\n3\n")
    assert run.returncode == 0, run.stderr
    assert "What does FSRS stand for?" in run.stdout
    assert "Free Spaced Repetition Scheduler." in run.stdout
    assert "saved: Good" in run.stdout
    (reviewed,) = [c for c in cards(db, deck) if c["reviews"] == 1]
    card_id = reviewed["id"]
    assert reviewed["state"] == "learning"

    # Edit the answer: same id, review count kept.
    deck.write_text(
        DECK.replace(
            "Free Spaced Repetition Scheduler.", "Free Spaced Repetition Scheduler, by Jarrett Ye."
        ),
        encoding="utf-8",
    )
    sync = quizapp("sync", db=db, deck=deck)
    assert "0 added, 1 updated, 0 renamed, 0 retired" in sync.stdout
    after = {c["id"]: c for c in cards(db, deck)}
    assert after[card_id]["reviews"] == 1

    # Change the question wording: reported as renamed, history kept.
    text = deck.read_text(encoding="utf-8").replace(
        "What does FSRS stand for?", "What does the acronym FSRS stand for?"
    )
    deck.write_text(text, encoding="utf-8")
    sync = quizapp("sync", db=db, deck=deck)
    assert "1 renamed" in sync.stdout
    assert "What does the acronym FSRS stand for?" in sync.stdout
    renamed = next(
        c for c in cards(db, deck) if c["front"] == "What does the acronym FSRS stand for?"
    )
    assert renamed["reviews"] == 1

    # Delete it: retired, still listed with --all.
    start = text.index("### What does the acronym")
    end = text.index("### What is a learning step?")
    deck.write_text(text[:start] + text[end:], encoding="utf-8")
    sync = quizapp("sync", db=db, deck=deck)
    assert "1 retired" in sync.stdout
    assert all(c["id"] != renamed["id"] for c in cards(db, deck))
    (gone,) = [c for c in cards(db, deck, "--all") if c.get("retired")]
    assert gone["id"] == renamed["id"]

    # Restore it: the history comes back.
    deck.write_text(text, encoding="utf-8")
    quizapp("sync", db=db, deck=deck)
    back = next(c for c in cards(db, deck) if c["id"] == renamed["id"])
    assert back["reviews"] == 1 and back["state"] == "learning"


def test_enter_takes_the_suggested_rating_and_q_quits(tmp_path: Path, db_url: str) -> None:
    db = db_url
    deck = tmp_path / "plain.md"
    deck.write_text(DECK, encoding="utf-8")
    run = quizapp("study", "--plain", db=db, deck=deck, stdin="\n\nq\n")
    assert run.returncode == 0, run.stderr
    assert "saved: Good" in run.stdout
    assert "Session over: 1 card reviewed." in run.stdout
    assert sum(c["reviews"] for c in cards(db, deck)) == 1


def test_nothing_due(tmp_path: Path, db_url: str) -> None:
    db = db_url
    deck = tmp_path / "empty.md"
    deck.write_text("# Empty\n", encoding="utf-8")
    run = quizapp("study", "--plain", db=db, deck=deck)
    assert run.returncode == 0
    assert "Nothing to study now" in run.stdout


QUIZ_AND_MARKDOWN = """\
# Line mode

## Counting

### How many parameters?

```quiz
model: gru_params
ask: "How many parameters does nn.GRU({m}, {n}) have?"
params: {m: 32, n: 64}
```

### What squashes the candidate state?

**tanh** squashes it; see `nn.GRU` and [the docs](https://pytorch.org).
"""


def test_an_answer_that_cannot_be_read_is_asked_again_not_graded(
    tmp_path: Path, db_url: str
) -> None:
    deck = tmp_path / "line.md"
    deck.write_text(QUIZ_AND_MARKDOWN, encoding="utf-8")
    typed = "3*(64*32+64*64+2*64\n3*(64*32+64*64+64)\n1\n"
    run = quizapp("study", "--plain", db=db_url, deck=deck, stdin=typed + "q\n")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "? cannot read your answer: not a number: a '(' is not closed" in out
    assert "you typed: 3*(64*32+64*64+2*64" in out
    # no verdict and no answer before the fixed one; then the textbook count is named
    assert out.index("? cannot read") < out.index("✗ wrong")
    assert out.count("answer: 18,816") == 1
    assert "18,624 is the textbook count with one bias per gate" in out
    logged = cards(db_url, deck)
    assert [c["reviews"] for c in logged] == [1, 0]


def test_line_mode_prints_markdown_as_plain_text(tmp_path: Path, db_url: str) -> None:
    deck = tmp_path / "line.md"
    deck.write_text(QUIZ_AND_MARKDOWN, encoding="utf-8")
    # skip the computational card by giving up on it, then reveal the second one
    run = quizapp("study", "--plain", db=db_url, deck=deck, stdin="\n1\n\n3\nq\n")
    assert "tanh squashes it; see nn.GRU and the docs (https://pytorch.org)." in run.stdout
    assert "**" not in run.stdout and "`" not in run.stdout.split("What squashes")[1]
