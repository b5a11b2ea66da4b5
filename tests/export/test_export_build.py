"""From parsed cards to notes: what the export reports and how it copes with odd cards."""

from __future__ import annotations

from pathlib import Path

from quizapp.deckfile.collection import load_decks
from quizapp.deckfile.types import CardSpec, ParsedDeck
from quizapp.export.build import ExportOptions, build_package


def _write(folder: Path, text: str) -> Path:
    path = folder / "deck.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_image_is_a_warning_at_the_card(tmp_path: Path) -> None:
    path = _write(tmp_path, "# D\n\n## T\n\n### Q?\n\nsee ![](gone.png)\n")
    built = build_package(load_decks([path]), ExportOptions())
    assert built.notes == 1
    assert [str(d) for d in built.diagnostics] == [f"{path}:5: warning: image not found: gone.png"]


def test_small_parameter_space_gives_only_distinct_instances(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# D\n\n## Embedding\n\n```quiz\nmodel: embedding_params\n"
        'ask: "nn.Embedding({vocab}, {dim})?"\n'
        "params: {vocab: 100, dim: {choices: [8, 16]}}\n```\n",
    )
    built = build_package(load_decks([path]), ExportOptions(instances=3))
    questions = sorted(note.fields[0] for deck in built.package.decks for note in deck.notes)
    assert questions == [
        "nn.Embedding(100, 16)?\n\n(exact answer)",
        "nn.Embedding(100, 8)?\n\n(exact answer)",
    ]
    assert built.diagnostics == []


def test_no_instances_leaves_quiz_cards_out(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# D\n\n## GRU\n\nanswer\n\n```quiz\nmodel: gru_params\n"
        'ask: "GRU({m}, {n})?"\nparams: {m: [8, 64], n: [8, 64]}\n```\n',
    )
    assert build_package(load_decks([path]), ExportOptions(instances=0)).notes == 1
    assert build_package(load_decks([path]), ExportOptions(instances=4)).notes == 5


def test_a_card_id_used_twice_is_exported_once(tmp_path: Path) -> None:
    def deck(name: str) -> ParsedDeck:
        source = str(tmp_path / f"{name}.md")
        card = CardSpec(
            id="same", deck=name, topic=(), front="Q", back="A", kind="basic",
            source=source, line=3,
        )  # fmt: skip
        return ParsedDeck(source=source, deck=name, cards=(card,))

    built = build_package([deck("a"), deck("b")], ExportOptions())
    assert built.notes == 1
    [warning] = built.diagnostics
    assert warning.source.endswith("b.md") and "also used at" in warning.message


def test_topic_intro_becomes_the_sub_deck_description(tmp_path: Path) -> None:
    path = _write(tmp_path, "# D\n\n## Topic\n\nAbout $x^{<t>}$.\n\n### Q?\n\nA\n")
    built = build_package(load_decks([path]), ExportOptions())
    [deck] = built.package.decks
    assert deck.name == "D::Topic"
    assert deck.description == "<p>About \\(x^{&lt;t&gt;}\\).</p>\n"
