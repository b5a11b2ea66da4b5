"""``quizapp import anki`` as a user runs it: dry run, no overwriting without --update,
clear messages for a missing extra and for files that are not Anki packages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .ankibuild import GOOD, AnkiBuilder
from .conftest import Quizapp


@pytest.fixture
def package(anki: AnkiBuilder, tmp_path: Path) -> Path:
    note = anki.add("Basic", "ML", {"Front": "attention", "Back": "weighted sum"})
    anki.answer(anki.cards(note)[0].id, GOOD)
    anki.add_media("unused.png", b"png")
    return anki.export_apkg(tmp_path / "ml.apkg")


def _tree(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_dry_run_writes_nothing(package: Path, tmp_path: Path, quizapp: Quizapp) -> None:
    decks = tmp_path / "decks"
    code, out, _ = quizapp("import", "anki", str(package), "--to", str(decks), "--dry-run")
    assert code == 0
    assert "  new        ML.md  1 note" in out
    assert "reviews: 1 would be imported" in out
    assert out.rstrip().endswith("dry run: nothing was written")
    assert not decks.exists()
    assert not (tmp_path / "quiz.db").exists()  # not even an empty database
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    code, out, _ = quizapp("import", "anki", str(package), "--to", str(decks), "--dry-run")
    assert code == 0
    assert "  unchanged  ML.md  1 note" in out
    assert "reviews: 0 would be imported (1 already present)" in out


def test_a_changed_deck_file_is_replaced_only_with_update(
    package: Path, tmp_path: Path, quizapp: Quizapp
) -> None:
    decks = tmp_path / "decks"
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    mine = decks / "ML.md"
    edited = mine.read_text(encoding="utf-8") + "\n## My own card\n\nkept\n"
    mine.write_text(edited, encoding="utf-8")
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks))
    assert code == 3
    assert f"1 deck file already exists with other content ({mine})" in err
    assert "--update replaces them" in err and "nothing was written" in err
    assert mine.read_text(encoding="utf-8") == edited
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks), "--dry-run")
    assert code == 3
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks), "--update")
    assert code == 0, err
    assert "  replaced   ML.md  1 note" in out
    assert "My own card" not in mine.read_text(encoding="utf-8")


def test_a_collection_imported_into_one_folder_is_not_duplicated_into_another(
    package: Path, tmp_path: Path, quizapp: Quizapp
) -> None:
    first = tmp_path / "first"
    assert quizapp("import", "anki", str(package), "--to", str(first))[0] == 0
    code, _, err = quizapp("import", "anki", str(package), "--to", str(tmp_path / "second"))
    assert code == 3
    assert f"1 card of this collection was imported before into {first / 'ML.md'}" in err
    assert not (tmp_path / "second").exists()


def test_not_an_anki_package(tmp_path: Path, quizapp: Quizapp) -> None:
    bogus = tmp_path / "notes.apkg"
    bogus.write_bytes(b"not a zip file at all")
    code, _, err = quizapp("import", "anki", str(bogus), "--to", str(tmp_path / "d"))
    assert code == 1
    assert err.startswith(f"quizapp: {bogus}: Anki cannot read this package")
    code, _, err = quizapp("import", "anki", str(tmp_path / "notes.csv"), "--to", "d")
    assert code == 1
    assert "not an Anki package (expected a .apkg or .colpkg file)" in err
    code, _, err = quizapp("import", "anki", str(tmp_path / "missing.apkg"), "--to", "d")
    assert code == 1 and "missing.apkg: no such file" in err


def test_without_the_extra_the_message_names_it(package: Path, tmp_path: Path) -> None:
    # Python as it runs where the anki extra was never installed
    script = (
        "import sys; sys.modules['anki'] = None; sys.modules['anki.collection'] = None\n"
        "from quizapp.cli import main\n"
        f"sys.exit(main(['--db', {str(tmp_path / 'q.db')!r}, 'import', 'anki', "
        f"{str(package)!r}, '--to', {str(tmp_path / 'd')!r}]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 1
    assert "needs the 'anki' extra" in run.stderr
    assert "pip install -c constraints.txt 'quizapp[anki]'" in run.stderr
    assert not (tmp_path / "d").exists()


def test_help_explains_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.cli import main

    with pytest.raises(SystemExit):
        main(["import", "anki", "--help"])
    out = capsys.readouterr().out
    assert "--update" in out and "--dry-run" in out and "quizapp[anki]" in out


def test_nothing_is_written_through_a_symlink_leading_out(
    anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp
) -> None:
    anki.add("Basic", "ML::NLP", {"Front": "q", "Back": "a"})
    anki.add("Basic", "Top", {"Front": "q2", "Back": "a2"})
    package = anki.export_apkg(tmp_path / "c.apkg")
    decks, outside = tmp_path / "decks", tmp_path / "outside"
    decks.mkdir()
    outside.mkdir()
    victim = outside / "victim.md"
    victim.write_text("someone else's file\n", encoding="utf-8")
    (decks / "ML").symlink_to(outside)
    code, _, err = quizapp("import", "anki", str(package), "--to", str(decks), "--update")
    assert code == 3
    assert "leads outside" in err
    assert sorted(p.name for p in outside.iterdir()) == ["victim.md"]
    assert not (decks / "Top.md").exists()
    # a deck file that is a symlink is replaced by a file of its own, never written through
    (decks / "ML").unlink()
    (decks / "Top.md").symlink_to(victim)
    code, _, err = quizapp("import", "anki", str(package), "--to", str(decks))
    assert code == 3 and "already exists with other content" in err
    assert quizapp("import", "anki", str(package), "--to", str(decks), "--update")[0] == 0
    assert victim.read_text(encoding="utf-8") == "someone else's file\n"
    assert not (decks / "Top.md").is_symlink()
    assert "## q2 {#anki-" in (decks / "Top.md").read_text(encoding="utf-8")
