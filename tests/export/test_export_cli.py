"""``quizapp export anki`` as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.store.db import open_db
from quizapp.store.queries import list_cards

from .conftest import FIXTURES, AnkiCollection

DECKS = FIXTURES / "decks"


def _export(tmp_path: Path, *args: str) -> int:
    db = tmp_path / "quiz.db"
    return main(["--db", str(db), "--deck", str(DECKS), "export", "anki", *args])


def test_exports_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "decks.apkg"
    assert _export(tmp_path, str(DECKS), "-o", str(out)) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == (
        f"exported 2 decks: 12 notes, 14 cards, 1 media file → {out}\n"
        "Anki cannot draw new numbers, so the 2 computational cards became 6 fixed "
        "questions, each with its answer and derivation (--instances sets how many per card)."
    )
    assert captured.err == ""
    assert out.is_file()


def test_default_paths_are_the_configured_decks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "decks.apkg"
    assert _export(tmp_path, "-o", str(out), "--instances", "0") == 0
    # Without quiz instances: 6 notes, the cloze note still with its 3 cards.
    assert "6 notes, 8 cards" in capsys.readouterr().out


def test_syncs_the_configured_decks_first(tmp_path: Path) -> None:
    assert _export(tmp_path, "-o", str(tmp_path / "x.apkg")) == 0
    db = open_db(f"sqlite:///{tmp_path / 'quiz.db'}")
    try:
        fronts = {c.front for c in list_cards(db)}
    finally:
        db.close()
    assert "LSTM 网络结构？" in fronts


def test_instances_option(tmp_path: Path, anki: AnkiCollection) -> None:
    out = tmp_path / "five.apkg"
    assert _export(tmp_path, str(DECKS), "-o", str(out), "--instances", "5") == 0
    anki.import_apkg(out)
    assert len(anki.notes('"note:quizapp Quiz"')) == 10


def test_help_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", "anki", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "-o OUT.apkg" in text and "--instances K" in text and "--seed S" in text
    assert "quizapp export anki -o interview.apkg" in text


def test_deck_problems_are_reported_and_good_cards_still_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], anki: AnkiCollection
) -> None:
    deck = tmp_path / "mixed.md"
    deck.write_text(
        "# Mixed\n\n## Good\n\nfine answer\n\n## Bad\n\n```quiz\nmodel: no_such_model\n"
        'ask: "?"\n```\n',
        encoding="utf-8",
    )
    out = tmp_path / "mixed.apkg"
    assert _export(tmp_path, str(deck), "-o", str(out)) == 0
    captured = capsys.readouterr()
    assert f"{deck}:10: error: quiz block: unknown model" in captured.err
    assert "1 note, 1 card" in captured.out
    anki.import_apkg(out)
    assert [n["Front"] for n in anki.notes()] == ["Good"]


def test_nothing_to_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "empty.md"
    deck.write_text("# Empty\n", encoding="utf-8")
    out = tmp_path / "empty.apkg"
    assert _export(tmp_path, str(deck), "-o", str(out)) == 1
    assert "nothing to export" in capsys.readouterr().err
    assert not out.exists()


def test_missing_deck_path_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.md"
    assert _export(tmp_path, str(missing), "-o", str(tmp_path / "x.apkg")) == 1
    err = capsys.readouterr().err
    assert f"{missing}:1: error:" in err


def test_unwritable_target_exits_with_a_message_and_no_file(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.apkg"
    env = {**os.environ, "QUIZAPP_DB": str(tmp_path / "quiz.db"), "QUIZAPP_DECK": str(DECKS)}
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "export", "anki", str(DECKS), "-o", str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert str(target) in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not target.parent.exists()
