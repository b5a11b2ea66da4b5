"""Review logs imported with the notes: scheduling continues where Anki left it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from quizapp.store.db import open_db
from quizapp.store.queries import card_reviews, get_card

from .ankibuild import AGAIN, EASY, GOOD, HARD, AnkiBuilder
from .conftest import Quizapp


def _study(anki: AnkiBuilder) -> dict[str, list[int]]:
    """Three notes (basic, two-way, cloze), answered a few times; Anki card ids by front."""
    basic = anki.add("Basic", "ML", {"Front": "attention", "Back": "weighted sum"})
    two_way = anki.add("Basic (and reversed card)", "ML::RNN", {"Front": "GRU", "Back": "gated"})
    cloze = anki.add("Cloze", "ML", {"Text": "{{c1::BERT}} is an {{c2::encoder}}"})
    new = anki.add("Basic", "ML", {"Front": "never studied", "Back": "new"})
    ids = {
        "attention": [c.id for c in anki.cards(basic)],
        "GRU": [c.id for c in anki.cards(two_way)],
        "cloze": [c.id for c in anki.cards(cloze)],
        "new": [c.id for c in anki.cards(new)],
    }
    b = ids["attention"][0]
    for rating in (GOOD, GOOD, AGAIN, HARD):
        anki.answer(b, rating)
    for cid in ids["GRU"]:
        anki.answer(cid, EASY)
    anki.answer(ids["cloze"][0], GOOD)
    anki.answer(ids["cloze"][0], GOOD)
    anki.answer(ids["cloze"][1], AGAIN)  # still learning
    return ids


def _card_id(cards: dict[str, dict[str, object]], front: str) -> str:
    return next(cid for cid, c in cards.items() if c["front"] == front)


def test_fsrs_state_and_due_dates_come_from_anki(
    anki_fsrs: AnkiBuilder, tmp_path: Path, quizapp_on: Quizapp
) -> None:
    anki, quizapp = anki_fsrs, quizapp_on
    ids = _study(anki)
    expected = {cid: anki.col.get_card(cid) for group in ids.values() for cid in group}
    due = {cid: anki.due_date(cid) for cid in expected if expected[cid].type != 0}
    package = anki.export_apkg(tmp_path / "fsrs.apkg")
    decks = tmp_path / "decks"
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks))
    assert code == 0, err
    assert "reviews: 9 imported; 5 cards rescheduled" in out
    cards = quizapp.cards(decks)
    attention = _card_id(cards, "attention")
    gru = _card_id(cards, "GRU")
    clozes = sorted(cid for cid, c in cards.items() if c["kind"] == "cloze")
    pairs = {
        ids["attention"][0]: attention,
        ids["GRU"][0]: gru,
        ids["GRU"][1]: gru + "/reverse",
        ids["cloze"][0]: clozes[0],
        ids["cloze"][1]: clozes[1],
    }
    db = open_db(quizapp.db)
    try:
        for anki_id, card_id in pairs.items():
            card = get_card(db, card_id)
            assert card is not None
            memory = expected[anki_id].memory_state
            assert card.stability == float(memory.stability)
            assert card.difficulty == float(memory.difficulty)
            # due from the start of the day Anki shows it (its day starts at 4 a.m.)
            assert card.due is not None
            if expected[anki_id].type == 2:
                assert card.due <= due[anki_id] < card.due + timedelta(days=1), card_id
                assert (card.due.hour, card.due.minute) == (4, 0)
            else:  # learning: due to the second
                assert card.due == due[anki_id].replace(microsecond=0), card_id
            assert card.reviews == len(anki.revlog(anki_id))
        assert get_card(db, attention).state == "relearning"  # type: ignore[union-attr]
        assert get_card(db, clozes[1]).state == "learning"  # type: ignore[union-attr]
        assert [r.rating for r in card_reviews(db, attention)] == [GOOD, GOOD, AGAIN, HARD]
    finally:
        db.close()
    assert cards[_card_id(cards, "never studied")]["state"] == "new"
    assert quizapp.stats(decks)["reviews_total"] == 9


def test_without_fsrs_the_log_is_replayed(
    anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp
) -> None:
    ids = _study(anki)
    assert anki.col.get_card(ids["attention"][0]).memory_state is None
    package = anki.export_apkg(tmp_path / "sm2.apkg")
    decks = tmp_path / "decks"
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    cards = quizapp.cards(decks)
    db = open_db(quizapp.db)
    try:
        gru = get_card(db, _card_id(cards, "GRU"))
        assert gru is not None and gru.last_review is not None and gru.due is not None
        # FSRS's own state, from replaying the one Easy answer
        assert gru.state == "review" and gru.stability is not None and gru.reviews == 1
        assert gru.due > gru.last_review
        attention = get_card(db, _card_id(cards, "attention"))
        assert attention is not None and attention.lapses == 1 and attention.reviews == 4
    finally:
        db.close()


def test_importing_twice_changes_nothing(
    anki_fsrs: AnkiBuilder, tmp_path: Path, quizapp_on: Quizapp
) -> None:
    quizapp = quizapp_on
    _study(anki_fsrs)
    package = anki_fsrs.export_apkg(tmp_path / "c.apkg")
    decks = tmp_path / "decks"
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    files = {p: p.read_bytes() for p in decks.rglob("*") if p.is_file()}
    before = quizapp.cards(decks)
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks))
    assert code == 0, err
    assert "reviews: 0 imported (9 already present); 0 cards rescheduled" in out
    assert "unchanged" in out and "written" not in out
    assert {p: p.read_bytes() for p in decks.rglob("*") if p.is_file()} == files
    assert quizapp.cards(decks) == before
    assert quizapp.stats(decks)["reviews_total"] == 9


def test_reimport_adds_only_the_new_reviews(
    anki_fsrs: AnkiBuilder, tmp_path: Path, quizapp: Quizapp
) -> None:
    ids = _study(anki_fsrs)
    decks = tmp_path / "decks"
    first = anki_fsrs.export_apkg(tmp_path / "first.apkg")
    assert quizapp("import", "anki", str(first), "--to", str(decks))[0] == 0
    anki_fsrs.answer(ids["new"][0], GOOD)
    anki_fsrs.answer(ids["GRU"][0], GOOD)
    later = anki_fsrs.export_colpkg(tmp_path / "later.colpkg")
    code, out, err = quizapp("import", "anki", str(later), "--to", str(decks))
    assert code == 0, err
    assert "reviews: 2 imported (9 already present); 2 cards rescheduled" in out
    cards = quizapp.cards(decks)
    assert cards[_card_id(cards, "never studied")]["reviews"] == 1
    assert cards[_card_id(cards, "GRU")]["reviews"] == 2
    assert quizapp.stats(decks)["reviews_total"] == 11


def test_json_report(anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp) -> None:
    _study(anki)
    package = anki.export_apkg(tmp_path / "c.apkg")
    decks = tmp_path / "decks"
    code, out, _ = quizapp("import", "anki", str(package), "--to", str(decks), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["notes"] == 4 and report["new_reviews"] == 9 and report["cards"] == 5
    assert sorted(Path(f["path"]).name for f in report["files"]) == ["ML.md", "RNN.md"]
    assert {f["status"] for f in report["files"]} == {"new"}
