"""Hostile and broken input, end to end: deck files through ``quizapp lint`` and
``quizapp sync``, typed answers through the answer checker and a real study session.

The parser's and the checker's own fuzz tests (tests/unit) cover their internals; here
the whole command is fuzzed: what a user sees is only ``FILE:LINE: …`` diagnostics,
never a traceback, the good cards of a collection keep loading next to a broken file,
their history is kept, and nothing a user types is ever executed.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.grading.check import check_answer

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: deck syntax, broken kinds included, to build files that look like decks
PIECES = [
    "# Deck",
    "## Topic",
    "### Question?",
    "#### 求 GRU 参数？ {#gru-params}",
    "### Skipped {.skip}",
    "###",
    "## {#only-an-id}",
    "- a list item with $x^2$ and `code`",
    "```python\n# not a heading\nx = 1\n```",
    "```",
    "~~~",
    "```quiz\nmodel: gru_params\nask: 'nn.GRU({m}, {n})'\nparams: {m: [8, 512], n: [8, 512]}\n```",
    "```quiz\nmodel: no_such_model\nask: x\n```",
    "```quiz\nmodel: conv_output\nparams: {n: [9, 1], f: true}\n```",
    "```quiz\nmodel: gru_params\nask: [unclosed\n```",
    "```quiz\n!!python/object/apply:os.system ['touch pwned']\n```",
    "```quiz",
    "$$\n\\frac{a}{b}\n$$",
    "$$",
    "The {{c1::capital}} is {{c2::Paris::city}} {{c0::zero}} {{c1::",
    "---\ndeck: Fuzz\ncards: 2\n---",
    "---\ncards: [\n---",
    "[bold]markup[/bold] [@click=app.quit]x[/]",
    "<script>alert(1)</script>",
    "x" * 12_000,
    "",
    "### \x1b]52;c;aGk=\x07 clipboard?\n\n\x1b[2J\x9b31m answer",
    '```quiz\nmodel: gru_params\nask: "\\e]0;title\\a {m}"\nparams: {m: 8, n: 8}\n```',
    "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\ntags: *e\n---",
    "```quiz\nmodel: gru_params\nask: x\nparams: {m: [1, 1%s], n: 8}\n```" % ("0" * 400),
    "```quiz\nmodel: lstm_step\nask: x\nparams: {x: [-1.0e+308, 1.0e+308]}\n```",
    "```quiz\nmodel: mha_params\nask: x\nparams: {d: 7, heads: 2}\n```",
]

deck_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), min_size=1, max_size=25
).map("\n\n".join)
deck_bytes = st.one_of(
    deck_text.map(lambda t: t.encode("utf-8")),
    deck_text.map(lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode("utf-8")),
    st.binary(max_size=400),
    st.tuples(deck_text, st.binary(min_size=1, max_size=8)).map(
        lambda tb: tb[0].encode("utf-8") + b"\xff\xfe" + tb[1]  # invalid UTF-8 inside
    ),
)

DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (error|warning): \S")


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@FUZZ
@given(data=deck_bytes)
# A control character in a quiz block: the YAML reader refuses it on construction.
@example(data=b"## Q\n\n```quiz\n\x01\n```\n")
def test_lint_prints_only_file_line_diagnostics(tmp_path: Path, data: bytes) -> None:
    deck = tmp_path / "fuzzed.md"
    deck.write_bytes(data)
    code, out, err = _cli("lint", str(deck))
    assert code in (0, 1)
    # Editors count LF, CRLF and a lone CR as line breaks; so do the diagnostics.
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1
    for line in out.splitlines():
        m = DIAGNOSTIC.match(line)
        assert m, f"not a FILE:LINE diagnostic: {line!r}"
        assert Path(m["file"]).name == "fuzzed.md"
        assert 1 <= int(m["line"]) <= lines + 1
    assert "Traceback" not in out + err
    # control characters are removed from the deck, never quoted back
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out + err)
    if code == 1:
        assert ": error: " in out


def _review_good_card(db: Path, folder: Path) -> str:
    from quizapp.store.db import open_db
    from quizapp.study.service import StudyService

    database = open_db(f"sqlite:///{db}")
    try:
        svc = StudyService(database)
        card = svc.next_card()
        assert card is not None and card.front == "A question that must survive?"
        svc.review(card.id, 3)
        return card.id
    finally:
        database.close()


def test_broken_files_never_cost_the_good_cards_or_their_history(tmp_path: Path) -> None:
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "good.md").write_text(
        "# Good\n\n## Topic\n\n### A question that must survive?\n\nIts answer.\n",
        encoding="utf-8",
    )
    db = tmp_path / "fuzz.db"
    code, _, err = _cli("--db", str(db), "--deck", str(folder), "sync")
    assert code == 0, err
    good = _review_good_card(db, folder)

    @FUZZ
    @given(data=deck_bytes)
    def sync_a_broken_neighbour(data: bytes) -> None:
        (folder / "broken.md").write_bytes(data)
        code, out, err = _cli("--db", str(db), "--deck", str(folder), "sync")
        assert code == 0, err
        assert "Traceback" not in out + err
        for line in err.splitlines():
            assert DIAGNOSTIC.match(line), f"not a FILE:LINE diagnostic: {line!r}"
        code, out, err = _cli(
            "--db", str(db), "--deck", str(folder), "cards", "--json", "--no-sync"
        )
        assert code == 0, err
        cards = {c["id"]: c for c in json.loads(out)}
        assert good in cards, "a broken file cost a good card"
        assert cards[good]["reviews"] == 1, "a broken file cost a review"

    sync_a_broken_neighbour()


# -- typed answers ---------------------------------------------------------------------


def _hostile(sentinel: Path) -> list[str]:
    s = str(sentinel)
    return [
        f"__import__('os').system('touch {s}')",
        f"open('{s}', 'w')",
        f"exec(\"open('{s}', 'w')\")",
        f"eval(\"__import__('os').system('touch {s}')\")",
        f"__import__('pathlib').Path('{s}').touch()",
        f"f\"{{open('{s}', 'w')}}\"",
        f"[open('{s}', 'w') for _ in (1,)]",
        f"(lambda: open('{s}', 'w'))()",
        "().__class__.__base__.__subclasses__()",
        "breakpoint()",
        "import os",
        "9**9**9",
        "2**2**2**2**2**2",
        "10**10**10",
        "1" * 10_000,
        "(" * 5000 + "1" + ")" * 5000,
        "-" * 5000 + "1",
        "1e999999",
        "1/0",
        "0**-1",
        "\x00\x01\x02",
        "１２３",  # full-width digits
        "nan",
        "inf",
    ]


def _timed_check(typed: str, truth: Any, tolerance: float) -> tuple[str, float]:
    # The best of three, so a scheduling hiccup on a busy machine is not a failure.
    best = float("inf")
    status = ""
    for _ in range(3):
        t0 = time.perf_counter()
        verdict = check_answer(typed, truth, tolerance)
        best = min(best, time.perf_counter() - t0)
        status = verdict.status
        if best < 0.05:
            break
    return status, best


def test_hostile_answers_are_never_executed_and_answered_fast(tmp_path: Path) -> None:
    sentinel = tmp_path / "executed"
    for typed in _hostile(sentinel):
        for truth, tolerance in ((1_182_720, 0.0), ({"c": 0.5, "h": 0.25}, 0.01)):
            status, took = _timed_check(typed, truth, tolerance)
            assert status in ("invalid", "wrong"), (typed[:60], status)
            assert took < 0.05, f"{typed[:60]!r} took {took * 1000:.0f} ms"
    assert not sentinel.exists(), "a typed answer was executed"


@settings(max_examples=300, deadline=None)
@given(
    typed=st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "1",
                    "9",
                    "e",
                    "+",
                    "-",
                    "*",
                    "**",
                    "/",
                    "//",
                    "%",
                    "(",
                    ")",
                    ",",
                    "_",
                    " ",
                    ".",
                    "x",
                    "=",
                    "__import__",
                    "'",
                    "lambda",
                    ":",
                    "[",
                    "]",
                ]
            ),
            max_size=120,
        ).map("".join),
    )
)
def test_any_typed_answer_is_judged_fast(typed: str) -> None:
    status, took = _timed_check(typed, 37_248, 0.0)
    assert status in ("correct", "wrong", "invalid")
    assert took < 0.05, f"{typed[:60]!r} took {took * 1000:.0f} ms"


def test_hostile_answer_in_a_study_session(tmp_path: Path, spawn: Any, probe: Any) -> None:
    """Typed into a real session: it cannot be read as an answer (and is asked again),
    nothing is executed; Enter alone then shows the answer, rated Again, saved."""
    sentinel = tmp_path / "executed"
    deck = tmp_path / "quiz.md"
    deck.write_text(
        # Nothing but the quiz block under the heading: the quiz card is the only card.
        "# Quiz deck\n\n## GRU\n\n### How many parameters has a GRU?\n\n"
        '```quiz\nmodel: gru_params\nask: "nn.GRU({m}, {n})?"\nparams: {m: 8, n: 8}\n```\n',
        encoding="utf-8",
    )
    db = tmp_path / "quiz.db"
    proc = spawn(probe.argv(db, deck, "study", "--plain", "--limit", "1", "--topic", "GRU"))
    typed = f"__import__('os').system('touch {sentinel}')"
    proc.send(typed)  # the answer
    proc.send("")  # asked to fix it: Enter alone shows the answer
    proc.send("")  # Enter takes the suggested rating
    assert proc.finish(120) == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not sentinel.exists(), "a typed answer was executed"
    assert "nn.GRU(8, 8)?" in proc.stdout, proc.stdout
    assert "? cannot read your answer" in proc.stdout, proc.stdout
    assert f"you typed: {typed}" in proc.stdout, proc.stdout
    assert "saved: Again" in proc.stdout
    rows = probe.rows(db, "SELECT rating, verdict, auto FROM reviews")
    assert rows == [(1, "invalid", 1)]
