"""Linting deck files and folders: ``lint_paths``, ``load_decks`` and ``quizapp lint``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.deckfile import lint_paths, load_decks

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folder_is_a_collection_with_sub_decks(tmp_path: Path) -> None:
    write(tmp_path / "deck" / "b.md", "# Beta\n\n## Q\n\nA\n")
    write(tmp_path / "deck" / "nlp" / "bert.md", "## Q\n\nA\n")
    write(tmp_path / "deck" / "nlp" / "deep" / "a.md", "# Alpha\n\n## Q\n\nA\n")
    write(tmp_path / "deck" / "README.md", "# About\n\n## Not a card\n\nx\n")
    write(tmp_path / "deck" / ".drafts" / "x.md", "# Hidden\n\n## Q\n\nA\n")
    write(tmp_path / "deck" / "notes.txt", "## Q\n\nA\n")
    decks = load_decks([tmp_path / "deck"])
    assert [(Path(d.source).relative_to(tmp_path).as_posix(), d.deck) for d in decks] == [
        ("deck/b.md", "Beta"),
        ("deck/nlp/bert.md", "nlp::bert"),
        ("deck/nlp/deep/a.md", "nlp::deep::Alpha"),
    ]
    assert all(d.cards[0].deck == d.deck for d in decks)


def test_missing_path_is_a_diagnostic_not_an_exception(tmp_path: Path) -> None:
    decks = load_decks([tmp_path / "nowhere.md"])
    assert [str(d) for d in decks[0].diagnostics] == [
        f"{tmp_path / 'nowhere.md'}:1: error: no such deck file or folder"
    ]
    assert decks[0].cards == ()


def test_card_ids_are_unique_across_a_collection(tmp_path: Path) -> None:
    first = write(tmp_path / "a.md", "# A\n\n## Q {#shared}\n\none\n")
    second = write(tmp_path / "b.md", "# B\n\n## Other\n\nx\n\n## Q {#shared}\n\ntwo\n")
    decks = load_decks([tmp_path])
    assert [c.back for d in decks for c in d.cards] == ["one", "x"]
    assert [str(d) for d in decks[1].diagnostics] == [
        f"{second.resolve()}:7: error: card id 'shared' is already used in "
        f"{first.resolve()}:3; this card is ignored"
    ]


def test_lint_paths_sorts_by_file_and_line_and_warns_on_empty_answers(tmp_path: Path) -> None:
    write(tmp_path / "b.md", "# B\n\n##\n\nx\n")
    write(tmp_path / "a.md", "---\ncards: 2\n---\n# A\n\n## Empty\n\n## Dup\n\nx\n\n## Dup\n\ny\n")
    found = [(Path(d.source).name, d.line, d.severity, d.message) for d in lint_paths([tmp_path])]
    assert found == [
        ("a.md", 6, "warning", "card 'Empty' has an empty answer"),
        (
            "a.md",
            12,
            "error",
            "duplicate question 'Dup' at the top level (first on line 8); this card is ignored",
        ),
        (
            "b.md",
            1,
            "warning",
            "no cards in this file (a card is a heading with content and no sub-headings)",
        ),
        ("b.md", 3, "error", "heading has no text"),
    ]


# -- quizapp lint -------------------------------------------------------------------------


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_lint_command_prints_file_line_messages_and_fails_on_errors(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "broken.md", in_tmp / "broken.md")
    code = main(["lint", "broken.md"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        "broken.md:7: error: duplicate question 'Good question?' at the top level (first on "
        "line 3); this card is ignored",
        "broken.md:11: error: heading has no text",
        "broken.md:18: error: quiz block: unknown model 'gru_param' (did you mean 'gru_params'?)",
        "broken.md:31: error: quiz block: bad range for m: [512, 8] is empty (lo > hi)",
        "broken.md:39: error: quiz block: malformed YAML: expected ',' or ']', but got "
        "'<stream end>' (while parsing a flow sequence)",
        "broken.md:42: warning: heading 'Nothing here' has no content and no sub-headings, so "
        "it is not a card",
        "broken.md:46: error: code fence ```python is never closed",
    ]
    assert err == "1 file, 3 cards: 6 errors, 1 warning\n"


def test_lint_command_quiet_prints_errors_only(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "broken.md", in_tmp / "broken.md")
    assert main(["lint", "-q", "broken.md"]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 6
    assert "warning" not in out
    assert err == "1 file, 3 cards: 6 errors, 1 warning\n"


def test_lint_command_passes_clean_decks_with_warnings_only(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES, in_tmp / "decks", ignore=shutil.ignore_patterns("broken.md"))
    write(in_tmp / "decks" / "empty.md", "")
    assert main(["lint", "decks"]) == 0
    out, err = capsys.readouterr()
    assert out == "decks/empty.md:1: warning: empty deck file\n"
    assert err == "3 files, 15 cards: 0 errors, 1 warning\n"


def test_lint_command_defaults_to_the_configured_decks(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(in_tmp / "mine" / "a.md", "# A\n\n## Q\n\nA\n\n## Q\n\nB\n")
    monkeypatch.setenv("QUIZAPP_DECK", str(in_tmp / "mine"))
    assert main(["lint"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("mine/a.md:7: error: duplicate question 'Q'")
    assert err == "1 file, 1 card: 1 error, 0 warnings\n"

    write(in_tmp / "other.md", "# O\n\n## Q\n\nA\n")
    assert main(["lint", "--deck", "other.md"]) == 0
    assert main(["--deck", "other.md", "lint"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "1 file, 1 card: 0 errors, 0 warnings\n" * 2


def test_lint_command_reports_a_missing_path(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "gone"]) == 1
    out, err = capsys.readouterr()
    assert out == "gone:1: error: no such deck file or folder\n"
    assert err == "0 files, 0 cards: 1 error, 0 warnings\n"


def test_lint_command_warns_about_a_folder_without_decks(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(in_tmp / "empty" / "notes.txt", "not markdown")
    assert main(["lint", "empty"]) == 0
    out, err = capsys.readouterr()
    assert out == "empty:1: warning: no .md deck files in this folder\n"
    assert err == "0 files, 0 cards: 0 errors, 1 warning\n"
