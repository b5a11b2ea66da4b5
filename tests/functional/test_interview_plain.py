"""``quizapp interview --plain`` driven through a pipe, answering what each prompt asks."""

from __future__ import annotations

import codecs
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

DECK = """\
# Interview fixture

## RNN

### How many parameters does a GRU have?

Three gates' worth: $3(nm + n^2 + 2n)$ for input size $m$ and hidden size $n$.

```quiz
model: gru_params
ask: "nn.GRU(input_size={m}, hidden_size={n}) has how many parameters?"
params: {m: 8, n: 16}
```

### Why do LSTMs ease vanishing gradients?

The cell state is updated additively, so gradients flow through the forget gate.

## CNN

### What is the output size of a convolution?

$o = \\lfloor (n + 2p - f) / s \\rfloor + 1$ per spatial side.

```quiz
model: conv_output
ask: "Input {n}x{n}, kernel {f}x{f}, padding {p}, stride {s}: output side?"
params: {n: 32, f: 3, p: 1, s: 1}
```
"""

GRU_QUIZ = "nn.GRU(input_size=8, hidden_size=16) has how many parameters?"
CONV_QUIZ = "Input 32x32, kernel 3x3, padding 1, stride 1: output side?"
GRU_OPEN = "How many parameters does a GRU have?"
LSTM_OPEN = "Why do LSTMs ease vanishing gradients?"
CONV_OPEN = "What is the output size of a convolution?"
#: typed answers: the GRU count right (3·(16·8 + 16·16 + 2·16) = 1,248), the conv side
#: wrong (it is 32)
TYPED = {GRU_QUIZ: "1248", CONV_QUIZ: "31"}
#: self-scores of the open questions
SCORES = {GRU_OPEN: "1", LSTM_OPEN: "3", CONV_OPEN: "2"}

ANSWER = "answer> "
REVEAL = "[Enter] show the reference answer "
SCORE = "score 0-3 (0 blank, 1 weak, 2 good, 3 complete): "
HEADER = re.compile(r"^\[(\d+)/(\d+)\] (.+) · (open|compute)$", re.MULTILINE)


class Interview:
    """A ``quizapp interview --plain`` process, answered prompt by prompt."""

    def __init__(self, db: str, deck: Path, *args: str) -> None:
        base = [sys.executable, "-m", "quizapp", "--db", db, "--deck", str(deck)]
        self.proc = subprocess.Popen(
            [*base, "interview", "--plain", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        assert self.proc.stdout is not None
        self.fd = self.proc.stdout.fileno()
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""

    def next_prompt(self, timeout: float = 120) -> str | None:
        """Read until the output ends with a prompt (returned) or the process ends."""
        deadline = time.monotonic() + timeout
        while not any(self.text.endswith(p) for p in (ANSWER, REVEAL, SCORE)):
            left = deadline - time.monotonic()
            assert left > 0, f"no prompt in time; output so far:\n{self.text}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.text += self.decoder.decode(chunk)
        return next(p for p in (ANSWER, REVEAL, SCORE) if self.text.endswith(p))

    def question(self) -> str:
        """The question under the latest ``[k/N]`` header."""
        last = list(HEADER.finditer(self.text))[-1]
        return self.text[last.end() :].strip().splitlines()[0]

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        # what was typed shows up in the transcript, as on a terminal
        self.text += line + "\n"

    def answer_all(self, stop_after: int | None = None) -> str:
        """Answer every prompt from TYPED / SCORES; kill -9 after ``stop_after`` saves."""
        while (prompt := self.next_prompt()) is not None:
            if stop_after is not None and self.text.count("saved: ") >= stop_after:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.communicate(timeout=30)
                return self.text
            question = self.question()
            if prompt == ANSWER:
                self.send(TYPED[question])
            elif prompt == REVEAL:
                self.send("")
            else:
                self.send(SCORES[question])
        _, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err.decode()
        return self.text


def quizapp(*args: str, db: str, deck: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", db, "--deck", str(deck), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def rows(db: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def schedules(db: str) -> dict[str, tuple[object, ...]]:
    got = rows(
        db, "SELECT id, state, step, due, stability, difficulty, last_review, reviews FROM cards"
    )
    return {str(r[0]): r[1:] for r in got}


def fronts(db: str) -> dict[str, str]:
    """Card id → the question as asked (quiz cards with their fixed numbers)."""
    got = rows(db, "SELECT id, front, kind FROM cards")
    asked = {"nn.GRU": GRU_QUIZ, "Input {n}": CONV_QUIZ}
    out = {}
    for card_id, front, kind in got:
        text = str(front)
        if kind == "quiz":
            text = next(v for k, v in asked.items() if text.startswith(k))
        out[str(card_id)] = text
    return out


def test_five_question_interview_leaves_the_schedule_alone(tmp_path: Path, db_url: str) -> None:
    db, deck, report = db_url, tmp_path / "fixture.md", tmp_path / "report.md"
    deck.write_text(DECK, encoding="utf-8")
    assert quizapp("sync", db=db, deck=deck).returncode == 0
    before = schedules(db)
    assert len(before) == 5

    out = Interview(db, deck, "--questions", "5", "--report", str(report)).answer_all()

    # what the user saw
    headers = HEADER.findall(out)
    assert [h[:2] for h in headers] == [(str(i), "5") for i in range(1, 6)]
    assert "✓ correct — 1,248 is right" in out
    assert "✗ wrong — 31 is not right" in out
    assert "answer: 32" in out
    assert "The cell state is updated additively" in out  # reference answer shown
    # math in the reference answers as Unicode, as study --plain shows it
    assert "o = ⌊(n + 2p - f) / s⌋ + 1 per spatial side." in out
    assert "Three gates' worth: 3(nm + n² + 2n) for input size m and hidden size n." in out
    assert "\\lfloor" not in out and "$" not in out
    assert len(re.findall(r"time: \d:\d\d of 2:00", out)) == 5
    assert re.findall(r"saved: (\d)/3", out) == [
        {GRU_QUIZ: "3", CONV_QUIZ: "0"}.get(q, SCORES.get(q, "?")) for q in _questions_in_order(out)
    ]
    assert "Score: 9/15 (60%) · 5 of 5 questions" in out
    assert "report written to " + str(report) in out

    md = report.read_text(encoding="utf-8")
    lines = md.splitlines()
    assert lines[0].startswith("# Mock interview — ")
    assert "**Score: 9/15 (60%)** · 5 questions" in md
    assert "Schedule: unchanged (answers logged as interview reviews)." in md
    # per topic: RNN 3 (quiz) + 1 + 3, CNN 2 + 0 (quiz)
    assert re.search(r"^\| Interview fixture › RNN \| 3 \| 7/9 \| 78% \| \d:\d\d \|$", md, re.M)
    assert re.search(r"^\| Interview fixture › CNN \| 2 \| 2/6 \| 33% \| \d:\d\d \|$", md, re.M)
    question_rows = [line for line in lines if re.match(r"^\| \d \| ", line)]
    assert len(question_rows) == 5
    expected = {
        GRU_QUIZ: ("RNN", "✓ correct", "3/3"),
        CONV_QUIZ: ("CNN", "✗ wrong", "0/3"),
        GRU_OPEN: ("RNN", "self-scored", "1/3"),
        LSTM_OPEN: ("RNN", "self-scored", "3/3"),
        CONV_OPEN: ("CNN", "self-scored", "2/3"),
    }
    for i, (row, question) in enumerate(zip(question_rows, _questions_in_order(out), strict=True)):
        topic, result, score = expected[question]
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        # a computational question goes on with how close its answer must be
        assert cells[1].startswith(question)
        assert cells[:4] == [str(i + 1), cells[1], f"Interview fixture › {topic}", result]
        assert re.fullmatch(r"\d:\d\d", cells[4]) and cells[5] == score
    weakest = md.split("## Weakest cards")[1].split("## What to study next")[0]
    weak = [line.split("**")[1] for line in weakest.splitlines() if line.startswith("- ")]
    assert weak[0].startswith(CONV_QUIZ)
    assert weak[1:] == [GRU_OPEN, CONV_OPEN]
    assert "typed `31`; the answer is `32`" in weakest
    assert "`fixture.md:" in weakest
    study_next = md.split("## What to study next")[1]
    assert "`quizapp study --topic 'Interview fixture › CNN'`" in study_next
    assert "RNN" not in study_next
    # the suggested command names a topic quizapp understands
    cnn = json.loads(
        quizapp("cards", "--json", "--topic", "Interview fixture › CNN", db=db, deck=deck).stdout
    )
    assert (
        sorted(c["front"] for c in cnn)[0]
        == "Input {n}x{n}, kernel {f}x{f}, padding {p}, stride {s}: output side?"
    )
    assert len(cnn) == 2

    # nothing moved in the schedule; the answers are in the review log as interview reviews
    assert schedules(db) == before
    reviews = rows(db, "SELECT card_id, kind, scheduled, rating, verdict, answer FROM reviews")
    asked = fronts(db)
    got = {asked[str(r[0])]: r[1:] for r in reviews}
    assert got == {
        GRU_QUIZ: ("interview", 0, 4, "correct", "1248"),  # right and fast: Easy
        CONV_QUIZ: ("interview", 0, 1, "wrong", "31"),
        GRU_OPEN: ("interview", 0, 2, None, None),  # self-score 1: Hard
        LSTM_OPEN: ("interview", 0, 4, None, None),
        CONV_OPEN: ("interview", 0, 3, None, None),
    }
    (interview,) = rows(
        db, "SELECT id, questions, score, max_score, finished_at, report FROM interviews"
    )
    assert interview[1:4] == (5, 9.0, 15.0)
    assert interview[4] is not None and interview[5] == md
    answers = rows(db, "SELECT position, score, review_id FROM interview_answers ORDER BY position")
    assert [a[0] for a in answers] == [1, 2, 3, 4, 5]
    assert sum(int(a[1]) for a in answers) == 9  # type: ignore[call-overload]
    assert all(a[2] is not None for a in answers)

    # again with --reschedule: every card asked moves
    out = Interview(db, deck, "--questions", "5", "--reschedule", "--seed", "3").answer_all()
    assert "Score: 9/15 (60%)" in out
    after = schedules(db)
    for card_id, old in before.items():
        assert after[card_id] != old
        state, reviews_count = after[card_id][0], after[card_id][-1]
        # no longer new (Easy skips learning), one scheduled review
        assert state in (1, 2) and reviews_count == 1
    scheduled = "SELECT count(*) FROM reviews WHERE kind = 'interview' AND scheduled = true"
    assert rows(db, scheduled) == [(5,)]

    listing = quizapp("interview", "--list", db=db, deck=deck)
    assert listing.returncode == 0, listing.stderr
    listed = listing.stdout.splitlines()
    assert [line.split()[3:6] for line in listed[1:3]] == [["5/5", "9/15", "60%"]] * 2
    assert "Scores over time: 60% → 60%" in listed
    assert listed[-1].endswith("quizapp interview --report-of 2 --report FILE")


def _questions_in_order(out: str) -> list[str]:
    questions = []
    for m in HEADER.finditer(out):
        questions.append(out[m.end() :].strip().splitlines()[0])
    return questions


def test_killed_interview_keeps_its_answers(tmp_path: Path, db_url: str) -> None:
    db, deck = db_url, tmp_path / "fixture.md"
    deck.write_text(DECK, encoding="utf-8")
    out = Interview(db, deck, "--questions", "5", "--seed", "11").answer_all(stop_after=2)
    assert out.count("saved: ") == 2
    if db.startswith("sqlite"):
        assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT count(*) FROM interview_answers") == [(2,)]
    assert rows(db, "SELECT count(*) FROM reviews WHERE kind = 'interview'") == [(2,)]
    assert rows(db, "SELECT finished_at FROM interviews") == [(None,)]
    listing = quizapp("interview", "--list", db=db, deck=deck)
    assert "(stopped)  2/5" in listing.stdout


def test_bad_options_and_empty_topics(tmp_path: Path, db_url: str) -> None:
    db, deck = db_url, tmp_path / "fixture.md"
    deck.write_text(DECK, encoding="utf-8")
    missing = quizapp("interview", "--plain", "--topic", "Vision", db=db, deck=deck)
    assert missing.returncode == 1
    assert "no cards to ask about in Vision" in missing.stderr
    bad = quizapp(
        "interview", "--plain", "--report", str(tmp_path / "no" / "r.md"), db=db, deck=deck
    )
    assert bad.returncode != 0 and "--report" in bad.stderr and "no such folder" in bad.stderr
    zero = quizapp("interview", "--plain", "--questions", "0", db=db, deck=deck)
    assert zero.returncode == 2 and "--questions: must be from 1 to 500, not 0" in zero.stderr
    empty = quizapp("interview", "--list", db=db, deck=deck)
    assert empty.stdout.strip() == "No interviews yet. Start one with `quizapp interview`."
    assert rows(db, "SELECT count(*) FROM interviews") == [(0,)]
    helptext = quizapp("interview", "--help", db=db, deck=deck).stdout
    for option in (
        "--questions N",
        "--minutes M",
        "--topic T",
        "--report FILE",
        "--reschedule",
        "--list",
        "--plain",
    ):
        assert option in helptext
