"""LLM arithmetic cards as a user meets them: line-mode study and interview answers typed
with units, and the Anki export's fixed instances imported into a real collection."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from quizapp.export import ExportOptions, export_anki

DECK = """\
# LLM fixture

## Memory

### KV cache

Keys and values of every layer.

```quiz
model: kv_cache_bytes
ask: "KV cache: seq={seq}, {layers} layers, {kv_heads} KV heads, head_dim={head_dim}, fp16?"
params: {seq: 4096, layers: 32, kv_heads: 8, head_dim: 128}
```

## Parameters

### Mistral

Count every block.

```quiz
model: decoder_params
ask: "Mistral: vocab={vocab}, d={d}, {layers} layers, {heads} heads, {kv_heads} KV heads?"
params: {vocab: 32000, d: 4096, layers: 32, heads: 32, kv_heads: 8, ff: 14336,
         ff_kind: swiglu, norm: rmsnorm, bias: 0, tied: 0}
```
"""


def quizapp(*args: str, db: str, deck: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", db, "--deck", str(deck), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _deck(tmp_path: Path) -> Path:
    deck = tmp_path / "llm.md"
    deck.write_text(DECK, encoding="utf-8")
    return deck


def test_line_mode_reads_units_and_says_which_tolerance_applied(tmp_path: Path) -> None:
    deck = _deck(tmp_path)
    # the KV note (reveal, Good), its quiz, the Mistral note, its quiz
    stdin = "\n3\n" + "512 MiB\n\n" + "\n3\n" + "7.24B\n\n"
    run = quizapp("study", "--plain", db=str(tmp_path / "s.db"), deck=deck, stdin=stdin)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "(within ±1 % counts as right; units such as 2 GiB or 7.24B are read)" in out
    assert "✓ correct — 536,870,912 is right (within ±1 % of 536,870,912)" in out
    assert "answer: 536,870,912 bytes (512 MiB)" in out
    assert "(exact answer)" in out
    assert "✗ wrong — 7.24B = 7,240,000,000 is close, but this answer is an exact count" in out
    assert "answer: 7,241,732,096 (7.24B)" in out
    assert "total = 131,072,000 + 6,979,584,000 + 4,096 + 131,072,000" in out
    assert "Session over: 4 cards reviewed." in out


def test_interview_grades_a_memory_answer_in_gibibytes(tmp_path: Path) -> None:
    # headings holding only their quiz block: the interview asks the two computational cards
    deck = tmp_path / "quiz-only.md"
    deck.write_text(
        DECK.replace("Keys and values of every layer.\n\n", "").replace(
            "Count every block.\n\n", ""
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "i.db")
    seen: set[str] = set()
    for topic, typed in (("Memory", "0.5 GiB"), ("Parameters", "7241732096")):
        run = quizapp(
            "interview", "--plain", "--questions", "1", "--topic", f"LLM fixture › {topic}",
            db=db, deck=deck, stdin=f"{typed}\n",
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        seen.update(line for line in run.stdout.splitlines() if line.startswith("✓ correct"))
    assert seen == {
        "✓ correct — 536,870,912 is right (within ±1 % of 536,870,912)",
        "✓ correct — 7,241,732,096 is right (exact)",
    }


def test_anki_export_carries_fixed_instances_with_units(tmp_path: Path) -> None:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    deck = _deck(tmp_path)
    report = export_anki([deck], tmp_path / "llm.apkg", ExportOptions(instances=2))
    assert report.diagnostics == ()
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(report.path), options=ImportAnkiPackageOptions(with_scheduling=False)
        )
        col.import_anki_package(request)
        notes = [col.get_note(n) for n in col.find_notes('"note:quizapp Quiz"')]
        answers = sorted(str(n["Answer"]) for n in notes)
    finally:
        col.close()
    # fixed parameters: one distinct instance per block
    assert answers == ["536,870,912 bytes (512 MiB)", "7,241,732,096 (7.24B)"]
