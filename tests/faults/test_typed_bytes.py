"""A typed answer holding bytes no backend stores as they are: kept, never a crash.

A Latin-1 terminal typing é sends the byte 0xff, which Python reads as a lone
surrogate that UTF-8 cannot encode; a NUL character is refused by PostgreSQL's text
type. Either used to lose the rating with a traceback, then abort the process
(exit 134) while torch was still importing in the background.
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


@pytest.mark.parametrize(("typed", "stored"), [(b"12\xff34", "12\\xff34"), (b"12\x0034", "1234")])
def test_a_typed_answer_with_odd_bytes_is_stored_cleaned(
    fault_db: Path | str, tmp_path: Path, prepare: Any, probe: Any, typed: bytes, stored: str
) -> None:
    deck = tmp_path / "typed.md"
    deck.write_text(QUIZ_DECK, encoding="utf-8")
    prepare(fault_db, deck)
    # The basic card first (Enter reveals, Enter rates), then the quiz card is typed
    # into and its suggested rating taken.
    stdin = b"\n\n" + typed + b"\n\nq\n"
    done = subprocess.run(
        probe.argv(fault_db, deck, "study", "--plain"),
        input=stdin,
        capture_output=True,
        timeout=180,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err
    assert "Traceback" not in err and "terminate called" not in err
    assert "Session over: 2" in done.stdout.decode("utf-8", "replace")
    answers = probe.rows(fault_db, "SELECT card_id, answer FROM reviews ORDER BY id")
    assert answers == [("mha", None), ("mha/quiz-1", stored)]
