"""Cards exported to Anki, studied there with Anki's own scheduler, and brought back:
the reviews land on the quizapp cards, nothing is duplicated, no deck file written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quizapp.store.db import open_db
from quizapp.store.queries import card_reviews

from .ankibuild import AGAIN, GOOD, AnkiBuilder
from .conftest import Quizapp

DECK = """\
# RNN

## What does GRU stand for? {#gru-name}

Gated recurrent unit.

## Gates of a GRU {#gru-gates}

The {{c1::update}} gate and the {{c2::reset}} gate.

## Parameters of a GRU {#gru-params}

Three gates' worth of weights.

```quiz
model: gru_params
ask: "How many parameters does nn.GRU({m}, {n}) have?"
params: {m: [2, 4], n: [2, 4]}
```
"""


@pytest.fixture
def studied(tmp_path: Path, quizapp: Quizapp, anki: AnkiBuilder) -> tuple[Path, AnkiBuilder]:
    """The deck exported, imported into Anki, and some of its cards answered there."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "rnn.md").write_text(DECK, encoding="utf-8")
    exported = tmp_path / "rnn.apkg"
    code, _, err = quizapp("--deck", str(decks), "export", "anki", "-o", str(exported))
    assert code == 0, err
    anki.import_apkg(exported)
    notes = [anki.col.get_note(nid) for nid in anki.col.find_notes("")]
    by_type: dict[str, list[Any]] = {}
    for note in notes:
        by_type.setdefault(note.note_type()["name"], []).append(note)
    [basic] = [n for n in by_type["quizapp Basic"] if "stand for" in n["Front"]]
    [cloze] = by_type["quizapp Cloze"]
    instances = by_type["quizapp Quiz"]
    assert len(instances) == 3
    anki.answer(anki.cards(basic)[0].id, GOOD)
    anki.answer(anki.cards(cloze)[1].id, AGAIN)  # the reset gate
    for note in instances[:2]:  # two of the drawn instances
        anki.answer(anki.cards(note)[0].id, GOOD)
    return decks, anki


def test_reviews_done_in_anki_come_back_to_the_cards(
    studied: tuple[Path, AnkiBuilder], tmp_path: Path, quizapp: Quizapp
) -> None:
    decks, anki = studied
    before = {
        p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "anki" not in p.parts
    }
    package = anki.export_colpkg(tmp_path / "phone.colpkg")
    code, out, err = quizapp("--deck", str(decks), "import", "anki", str(package))
    assert code == 0, err
    assert "6 notes, 6 of them exported by quizapp" in out
    assert "reviews: 4 imported; 3 cards rescheduled" in out
    assert "deck files" not in out
    # no deck file written or changed
    after = {
        p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "anki" not in p.parts
    }
    assert {p: b for p, b in after.items() if p in before and p.suffix == ".md"} == {
        p: b for p, b in before.items() if p.suffix == ".md"
    }
    assert not (tmp_path / "decks" / "Default.md").exists()
    cards = quizapp.cards(decks)
    assert sorted(cards) == [
        "gru-gates/c1",
        "gru-gates/c2",
        "gru-name",
        "gru-params",
        "gru-params/quiz-1",
    ]
    reviews = {cid: c["reviews"] for cid, c in cards.items()}
    quiz_id = "gru-params/quiz-1"
    assert reviews["gru-name"] == 1 and reviews["gru-params"] == 0
    assert reviews["gru-gates/c2"] == 1 and reviews["gru-gates/c1"] == 0
    # the fixed instances answered in Anki count for the computational card
    assert reviews[quiz_id] == 2
    db = open_db(quizapp.db)
    try:
        assert [r.rating for r in card_reviews(db, "gru-gates/c2")] == [AGAIN]
    finally:
        db.close()


def test_bringing_the_same_reviews_back_twice_adds_nothing(
    studied: tuple[Path, AnkiBuilder], tmp_path: Path, quizapp: Quizapp
) -> None:
    decks, anki = studied
    package = anki.export_apkg(tmp_path / "with-scheduling.apkg")
    assert quizapp("--deck", str(decks), "import", "anki", str(package))[0] == 0
    first = quizapp.cards(decks)
    code, out, _ = quizapp("--deck", str(decks), "import", "anki", str(package))
    assert code == 0
    assert "reviews: 0 imported (4 already present)" in out
    assert quizapp.cards(decks) == first
    assert quizapp.stats(decks)["reviews_total"] == 4


def test_a_collection_mixing_both_needs_a_folder_for_the_new_notes(
    studied: tuple[Path, AnkiBuilder], tmp_path: Path, quizapp: Quizapp
) -> None:
    decks, anki = studied
    anki.add("Basic", "Phone notes", {"Front": "added on the phone", "Back": "yes"})
    package = anki.export_apkg(tmp_path / "mixed.apkg")
    code, _, err = quizapp("--deck", str(decks), "import", "anki", str(package))
    assert code == 2
    assert "1 note of mixed.apkg is not from cards quizapp exported; give --to DIR" in err
    assert quizapp.stats(decks)["reviews_total"] == 0
    new = tmp_path / "from-anki"
    code, out, err = quizapp("--deck", str(decks), "import", "anki", str(package), "--to", str(new))
    assert code == 0, err
    assert [p.name for p in new.iterdir()] == ["Phone notes.md"]
    assert "reviews: 4 imported" in out


def test_cards_suspended_on_the_phone_come_back_suspended(
    studied: tuple[Path, AnkiBuilder], tmp_path: Path, quizapp: Quizapp
) -> None:
    decks, anki = studied
    col = anki.col
    [name] = col.find_cards('"Front:What does GRU stand for?"')
    instances = list(col.find_cards('"note:quizapp Quiz"'))
    assert len(instances) == 3
    col.sched.suspend_cards([name, instances[0]])  # one drawn instance of three
    first = anki.export_colpkg(tmp_path / "phone.colpkg")
    code, out, err = quizapp("--deck", str(decks), "import", "anki", str(first))
    assert code == 0, err
    assert "kept out of study as in Anki: 1 card suspended" in out
    cards = quizapp.cards(decks)
    assert {cid for cid, c in cards.items() if c.get("suspended")} == {"gru-name"}
    code, out, _ = quizapp("--deck", str(decks), "cards", "--due", "--json")
    assert "gru-name" not in {c["id"] for c in json.loads(out)}
    # the computational card is suspended once every instance of it is
    anki.col.sched.suspend_cards(instances)
    later = anki.export_colpkg(tmp_path / "later.colpkg")
    code, out, err = quizapp("--deck", str(decks), "import", "anki", str(later))
    assert code == 0, err
    suspended = {cid for cid, c in quizapp.cards(decks).items() if c.get("suspended")}
    assert suspended == {"gru-name", "gru-params/quiz-1"}


def test_cards_suspended_in_quizapp_arrive_suspended_in_anki(
    tmp_path: Path, quizapp: Quizapp, anki: AnkiBuilder
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "rnn.md").write_text(DECK, encoding="utf-8")
    assert quizapp("--deck", str(decks), "cards")[0] == 0
    held = ["gru-name", "gru-gates/c2", "gru-params/quiz-1"]
    assert quizapp("--deck", str(decks), "cards", "--suspend", *held)[0] == 0
    exported = tmp_path / "rnn.apkg"
    code, _, err = quizapp("--deck", str(decks), "export", "anki", "-o", str(exported))
    assert code == 0, err
    anki.import_apkg(exported, progress=True)
    suspended = anki.suspended()
    assert ("What does GRU stand for?", 0) in suspended
    assert {o for f, o in suspended if "{{c1::update}}" in f} == {1}  # c2, not c1
    # every drawn instance of the computational card, and nothing else
    assert len([f for f, _ in suspended if "nn.GRU" in f]) == 3
    assert len(suspended) == 5


def test_anki_importing_without_progress_leaves_quizapp_suspensions_alone(
    tmp_path: Path, quizapp: Quizapp, anki: AnkiBuilder
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "rnn.md").write_text(DECK, encoding="utf-8")
    assert quizapp("--deck", str(decks), "cards")[0] == 0
    assert quizapp("--deck", str(decks), "cards", "--suspend", "gru-name")[0] == 0
    exported = tmp_path / "rnn.apkg"
    assert quizapp("--deck", str(decks), "export", "anki", "-o", str(exported))[0] == 0
    anki.import_apkg(exported)  # Anki's default: every card new and active
    assert anki.suspended() == set()
    [name] = anki.col.find_cards('"Front:What does GRU stand for?"')
    anki.answer(name, GOOD)
    package = anki.export_colpkg(tmp_path / "phone.colpkg")
    code, out, err = quizapp("--deck", str(decks), "import", "anki", str(package))
    assert code == 0, err
    assert "reviews: 1 imported" in out
    cards = quizapp.cards(decks)
    assert cards["gru-name"]["suspended"] is True and cards["gru-name"]["reviews"] == 1
