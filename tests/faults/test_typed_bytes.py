"""A typed answer holding bytes no backend stores as they are: never a crash.

A Latin-1 terminal typing é sends the byte 0xff, which Python reads as a lone
surrogate that UTF-8 cannot encode; a NUL character is refused by PostgreSQL's text
type. Either used to lose the rating with a traceback, then abort the process
(exit 134) while torch was still importing in the background. Such text is now asked
to be fixed (it is no number), and the one type that stores typed text cleans it
whatever reaches it (surrogates escaped, NUL removed).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

QUIZ_DECK = """# Typed bytes

## Heads {#mha}

Parameters of multi-head attention.

```quiz
model: mha_params
ask: "nn.MultiheadAttention(embed_dim={d}, num_heads={heads}) parameters?"
params: {d: [64, 128], heads: [1, 2]}
```
"""


@pytest.mark.parametrize("typed", [b"12\xff34", b"12\x0034"])
def test_a_typed_answer_with_odd_bytes_is_asked_again_not_a_crash(
    fault_db: Path | str, tmp_path: Path, prepare: Any, probe: Any, typed: bytes
) -> None:
    deck = tmp_path / "typed.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    prepare(fault_db, deck)
    # The basic card first (Enter reveals, Enter rates); then the quiz card: the odd
    # answer, a fixed one, and Enter for the suggested rating.
    stdin = b"\n\n" + typed + b"\n1\n\n"
    done = subprocess.run(
        probe.argv(fault_db, deck, "study", "--plain"),
        input=stdin,
        capture_output=True,
        timeout=180,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, err
    assert "Traceback" not in err and "terminate called" not in err
    assert "? cannot read your answer" in out, out
    assert "Session over: 2" in out, out
    answers = probe.rows(fault_db, "SELECT card_id, answer FROM reviews ORDER BY id")
    assert answers == [("mha", None), ("mha/quiz-1", "1")]


def test_odd_characters_reaching_the_review_log_are_stored_cleaned(
    db_url: str, tmp_path: Path
) -> None:
    from quizapp.store.db import open_db
    from quizapp.store.sync import sync_decks
    from quizapp.study.service import StudyService

    deck = tmp_path / "typed.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    database = open_db(db_url)
    try:
        sync_decks(database, [deck])
        service = StudyService(database)
        service.review("mha", 3, answer="12\udcff34")
        service.review("mha/quiz-1", 3, answer="12\x0034")
        stored = [r.answer for card in ("mha", "mha/quiz-1") for r in service.history(card)]
    finally:
        database.close()
    assert stored == ["12\\xff34", "1234"]
