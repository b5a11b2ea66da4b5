"""Exports imported into a real Anki collection (the ``anki`` package): what a user gets
after File → Import, and what a second import of an edited deck does."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp import locations
from quizapp.deckfile.collection import load_decks
from quizapp.deckfile.units import with_unit
from quizapp.export import ExportOptions, ExportReport, export_anki
from quizapp.export.identity import note_guid
from quizapp.export.writer import recorded_stamp

from .conftest import FIXTURES, AnkiCollection

DECKS = FIXTURES / "decks"
RNN = "循环网络笔记"


class Imported:
    def __init__(self, report: ExportReport, anki: AnkiCollection, log: object) -> None:
        self.report = report
        self.anki = anki
        self.log = log


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    """The fixture decks exported once and imported into a fresh collection."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    report = export_anki([DECKS], tmp / "decks.apkg")
    (tmp / "anki").mkdir()
    anki = AnkiCollection(tmp / "anki")
    log = anki.import_apkg(report.path)
    yield Imported(report, anki, log)
    anki.close()


def _field(note: object, name: str) -> str:
    return str(note[name])  # type: ignore[index]


def test_counts_match_the_cards(imported: Imported) -> None:
    # rnn-notes: 4 basic, 1 cloze note with 3 gaps, 1 quiz card × 3 instances;
    # attention: 1 basic, 1 quiz card × 3 instances.
    col = imported.anki.col
    assert col.note_count() == 12
    assert col.card_count() == 14
    assert (imported.report.notes, imported.report.cards) == (12, 14)
    assert imported.report.diagnostics == ()


def test_one_deck_per_file_and_sub_decks_by_topic(imported: Imported) -> None:
    assert imported.anki.deck_names() == {
        "Attention",
        "Attention::Transformer",
        RNN,
        f"{RNN}::知识体系",
        f"{RNN}::Questions",
        f"{RNN}::Questions::RNN相关",
    }
    col = imported.anki.col
    assert len(col.find_cards(f'"deck:{RNN}::Questions::RNN相关" -deck:*::*::*::*')) == 8


def test_topic_intro_is_the_deck_description(imported: Imported) -> None:
    deck = imported.anki.col.decks.by_name(f"{RNN}::知识体系")
    assert deck is not None
    assert deck["desc"] == "<p>主要包括循环网络的结构与参数量。</p>\n"


def test_basic_note_fields_and_tags(imported: Imported) -> None:
    [note] = imported.anki.notes('"Front:LSTM 网络结构？"')
    assert note.note_type()["name"] == "quizapp Basic"
    assert note.tags == ["Questions::RNN相关"]
    assert _field(note, "Breadcrumb") == f"{RNN} › Questions › RNN相关"
    back = _field(note, "Back")
    # Math for MathJax, with <t> escaped instead of eaten as a tag.
    assert r"\[c^{&lt;t&gt;} = \Gamma_f * c^{&lt;t-1&gt;}" in back
    assert "<t>" not in back


def test_code_is_highlighted_inline(imported: Imported) -> None:
    [note] = imported.anki.notes("tag:Questions::RNN相关 Front:*GRU*")
    back = _field(note, "Back")
    assert '<div class="highlight"' in back
    assert '<span style="color: #008000; font-weight: bold">import</span>' in back


def test_local_image_is_in_the_media_folder_and_remote_stays_a_link(imported: Imported) -> None:
    [note] = imported.anki.notes('"deck:循环网络笔记::知识体系"')
    back = _field(note, "Back")
    [local] = re.findall(r'<img src="(rnn-unrolled-[0-9a-f]+\.png)"', back)
    media_dir = Path(imported.anki.col.media.dir())
    assert (media_dir / local).read_bytes() == (DECKS / "images" / "rnn-unrolled.png").read_bytes()
    assert (
        '<img src="https://upload.wikimedia.org/wikipedia/commons/b/b5/'
        'Recurrent_neural_network_unfold.svg"' in back
    )


def test_cloze_card_is_one_note_with_a_card_per_gap(imported: Imported) -> None:
    [note] = imported.anki.notes("note:quizapp*Cloze")
    assert note.guid == note_guid("1937d010da306aa1")
    text = _field(note, "Text")
    assert "{{c1::更新门}}" in text and "{{c3::遗忘门::forget gate}}" in text
    assert _field(note, "Context") == "GRU 和 LSTM 的门"
    assert sorted(c.ord for c in note.cards()) == [0, 1, 2]
    # Anki itself hides the gap on the question side.
    first = note.cards()[0]
    question = first.question()
    assert 'data-ordinal="1">[...]</span>' in question
    assert 'data-ordinal="2">重置门</span>' in question
    assert 'data-ordinal="1">更新门</span>' in first.answer()


def test_quiz_instances_carry_the_reference_answer(imported: Imported) -> None:
    notes = imported.anki.notes('"note:quizapp Quiz" tag:Questions::RNN相关')
    assert sorted(n.guid for n in notes) == sorted(
        note_guid("gru-params/quiz-1", i) for i in range(3)
    )
    questions = set()
    for note in notes:
        question = _field(note, "Question")
        questions.add(question)
        m, n = map(int, re.findall(r"=(\d+)", question))
        count = 3 * (n * m + n * n + 2 * n)
        assert _field(note, "Answer") == with_unit(count, "params")
        assert _field(note, "Derivation").startswith("3·(n·m + n·n + 2n) = ")
    assert len(questions) == 3


def test_guids_come_from_card_ids(imported: Imported) -> None:
    [note] = imported.anki.notes('"Front:假设输入维度为 m*"')
    assert note.guid == note_guid("gru-params")


def test_same_seed_same_package_different_seed_other_questions(tmp_path: Path) -> None:
    def quiz_fields(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as z:
            (tmp_path / "col.db").write_bytes(z.read("collection.anki2"))
        with sqlite3.connect(tmp_path / "col.db") as conn:
            rows = conn.execute("select guid, flds from notes order by guid").fetchall()
        return [f"{g} {f}" for g, f in rows]

    a = quiz_fields(export_anki([DECKS], tmp_path / "a.apkg").path)
    b = quiz_fields(export_anki([DECKS], tmp_path / "b.apkg").path)
    c = quiz_fields(export_anki([DECKS], tmp_path / "c.apkg", ExportOptions(seed=7)).path)
    assert a == b
    assert a != c
    assert [f.split(" ", 1)[0] for f in a] == [f.split(" ", 1)[0] for f in c]


def test_reimport_of_an_edited_deck_updates_instead_of_duplicating(
    tmp_path: Path, anki: AnkiCollection
) -> None:
    decks = tmp_path / "decks"
    shutil.copytree(DECKS, decks)
    out = tmp_path / "out.apkg"
    # Both exports fall within one second: Anki would keep the old note if the second
    # export carried the same modification time.
    if time.time() % 1 > 0.7:
        time.sleep(1 - time.time() % 1)
    first = export_anki([decks], out)
    stamp = recorded_stamp(out) or 0
    anki.import_apkg(out)
    assert anki.col.note_count() == 12

    deck_file = decks / "rnn-notes.md"
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("加一个记忆单元", "再加一个记忆单元 c"), encoding="utf-8")
    second = export_anki([decks], out)
    assert (recorded_stamp(out) or 0) > stamp
    log = anki.import_apkg(out)

    assert (second.notes, second.cards) == (first.notes, first.cards)
    assert anki.col.note_count() == 12
    assert anki.col.card_count() == 14
    assert len(log.new) == 0
    [note] = anki.notes('"Front:LSTM 网络结构？"')
    assert "再加一个记忆单元 c" in _field(note, "Back")


def test_bundled_deck_exports_and_imports(tmp_path: Path, anki: AnkiCollection) -> None:
    deck = locations.bundled_deck()
    parsed = load_decks([deck])
    assert not [d for p in parsed for d in p.errors]
    cards = [c for p in parsed for c in p.cards]
    basic = [c for c in cards if c.kind == "basic"]
    cloze_notes = {c.id.rsplit("/c", 1)[0] for c in cards if c.kind == "cloze"}
    quiz = [c for c in cards if c.kind == "quiz"]
    cloze_cards = sum(1 for c in cards if c.kind == "cloze")

    report = export_anki([deck], tmp_path / "bundled.apkg")
    log = anki.import_apkg(report.path)

    expected_notes = len(basic) + len(cloze_notes) + 3 * len(quiz)
    assert anki.col.note_count() == expected_notes == report.notes == len(log.new)
    assert anki.col.card_count() == len(basic) + cloze_cards + 3 * len(quiz)
    top = {n.split("::", 1)[0] for n in anki.deck_names()}
    assert top == {p.deck.split("::", 1)[0] for p in parsed if p.cards}
    assert report.diagnostics == ()
