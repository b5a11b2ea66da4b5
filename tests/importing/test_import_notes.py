"""Every kind of Anki note, imported from a package the real ``anki`` package wrote:
the deck files a user gets, and the cards quizapp reads from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from .ankibuild import AnkiBuilder
from .conftest import Quizapp

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def package(anki: AnkiBuilder, tmp_path: Path) -> Path:
    """One note of every kind, in decks and sub-decks, with an image and tags."""
    image = anki.add_media("rnn unrolled.png", PNG)
    anki.add(
        "Basic",
        "ML::NLP",
        {
            "Front": "What is <b>attention</b>?",
            "Back": f'A weighted sum \\(\\sum_i a_i v_i\\), costs $5<br><img src="{image}">',
        },
        tags=["nlp", "ml::attention"],
    )
    anki.add(
        "Basic (and reversed card)", "ML::NLP", {"Front": "GRU", "Back": "gated recurrent unit"}
    )
    anki.add(
        "Basic (optional reversed card)",
        "ML",
        {"Front": "LSTM", "Back": "long short-term memory", "Add Reverse": ""},
    )
    anki.add(
        "Basic (optional reversed card)",
        "ML",
        {"Front": "BPE", "Back": "byte-pair encoding", "Add Reverse": "y"},
    )
    anki.add("Basic (type in the answer)", "ML", {"Front": "2 + 2", "Back": "4"})
    anki.add(
        "Cloze",
        "Geo",
        {"Text": "{{c1::Paris}} is the capital of {{c2::France::country}}", "Back Extra": "987"},
    )
    anki.add_notetype("Vocab", ["Word", "Meaning", "Example"])
    anki.add(
        "Vocab",
        "Words",
        {"Word": "perplexity", "Meaning": "exp of cross-entropy", "Example": "<i>ppl</i> = 20"},
    )
    anki.add(
        "Basic", "Words", {"Front": "<h2>Softmax</h2>", "Back": "\\[\\frac{e^x}{\\sum e^x}\\]"}
    )
    return anki.export_apkg(tmp_path / "collection.apkg")


def test_one_deck_file_per_deck_with_sub_decks_as_folders(
    package: Path, tmp_path: Path, quizapp: Quizapp
) -> None:
    decks = tmp_path / "decks"
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks))
    assert code == 0, err
    files = sorted(str(p.relative_to(decks)) for p in decks.rglob("*.md"))
    assert files == ["Geo.md", "ML.md", "ML/NLP.md", "Words.md"]
    assert "sync: 11 added" in out
    cards = quizapp.cards(decks)
    assert {c["deck"] for c in cards.values()} == {"Geo", "ML", "ML::NLP", "Words"}


def test_the_deck_files_read_as_notes(package: Path, tmp_path: Path, quizapp: Quizapp) -> None:
    decks = tmp_path / "decks"
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    nlp = (decks / "ML" / "NLP.md").read_text(encoding="utf-8")
    [image] = [p.name for p in (decks / "ML" / "media").iterdir()]
    assert image.startswith("rnn_unrolled-") and image.endswith(".png")
    assert nlp.startswith("# NLP\n\n## What is **attention**? {#anki-")
    assert " .ml::attention .nlp}\n\n" in nlp
    # MathJax as $…$, a dollar of the text escaped, a line break kept, the image beside
    assert f"A weighted sum $\\sum_i a_i v_i$, costs \\$5\\\n![](media/{image})" in nlp
    assert "## GRU {#anki-" in nlp and " .two-way}\n\ngated recurrent unit" in nlp
    geo = (decks / "Geo.md").read_text(encoding="utf-8")
    assert "## […] is the capital of [country] {#anki-" in geo
    assert "{{c1::Paris}} is the capital of {{c2::France::country}}\n\n**Back Extra:** 987" in geo
    words = (decks / "Words.md").read_text(encoding="utf-8")
    assert "**Meaning:** exp of cross-entropy\n\n**Example:** *ppl* = 20" in words
    # a heading inside a field stays a line of text: the card is not split
    assert "## **Softmax** {#anki-" in words
    assert "$$\\frac{e^x}{\\sum e^x}$$" in words
    assert (decks / "ML" / "media" / image).read_bytes() == PNG
    # the files are clean deck files
    code, out, err = quizapp("lint", str(decks))
    assert code == 0, out + err


def test_cards_of_every_note_type(package: Path, tmp_path: Path, quizapp: Quizapp) -> None:
    decks = tmp_path / "decks"
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    cards = quizapp.cards(decks)
    by_front = {c["front"]: c for c in cards.values()}
    # Basic-and-reversed, and optional reversed with its reverse asked for: both ways
    assert by_front["gated recurrent unit"]["id"] == by_front["GRU"]["id"] + "/reverse"
    assert by_front["byte-pair encoding"]["id"] == by_front["BPE"]["id"] + "/reverse"
    assert "long short-term memory" not in by_front  # no reverse asked for
    assert by_front["2 + 2"]["kind"] == "basic"
    clozes = sorted(c["id"] for c in cards.values() if c["kind"] == "cloze")
    assert [cid.rsplit("/", 1)[1] for cid in clozes] == ["c1", "c2"]
    assert by_front["perplexity"]["kind"] == "basic"
    assert all(cid.startswith("anki-") for cid in cards)
    assert len(cards) == 11


def test_the_ids_carry_the_note_guid(anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp) -> None:
    note = anki.add("Basic", "Default", {"Front": "q", "Back": "a"})
    note.guid = "a{b}#c/d_e"
    anki.col.update_note(note)
    package = anki.export_apkg(tmp_path / "c.apkg")
    decks = tmp_path / "decks"
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    assert list(quizapp.cards(decks)) == ["anki-a_7bb_7d_23c_2fd_5fe"]


def test_image_occlusion_and_empty_notes_are_reported(
    anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp
) -> None:
    image = anki.add_media("heart.png", PNG)
    anki.add(
        "Image Occlusion",
        "Default",
        {
            "Occlusion": "{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}",
            "Image": f'<img src="{image}">',
        },
    )
    anki.add("Basic", "Default", {"Front": "", "Back": "an answer without a question"})
    anki.add("Basic", "Default", {"Front": "kept", "Back": ""})
    package = anki.export_apkg(tmp_path / "c.apkg")
    decks = tmp_path / "decks"
    code, out, _ = quizapp("import", "anki", str(package), "--to", str(decks))
    assert code == 0
    assert "left out: 1 note: its first field (Front) is empty" in out
    assert "left out: 1 note: image occlusion notes have no text form" in out
    assert not (decks / "media").exists()
    text = (decks / "Default.md").read_text(encoding="utf-8")
    assert "an answer without a question" not in text
    assert "## kept {#anki-" in text and "*(empty in Anki)*" in text


def test_unusual_deck_names(anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp) -> None:
    anki.add("Basic", "C++ / *pointers*", {"Front": "q1", "Back": "a1"})
    anki.add("Basic", "README", {"Front": "q2", "Back": "a2"})
    package = anki.export_apkg(tmp_path / "c.apkg")
    decks = tmp_path / "decks"
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    names = {c["deck"] for c in quizapp.cards(decks).values()}
    assert names == {"C++ / *pointers*", "README"}
    assert sorted(p.name for p in decks.iterdir()) == ["C++ _ _pointers_.md", "README deck.md"]
