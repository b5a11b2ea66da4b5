"""Cards Anki keeps out of study (suspended, buried for the day) stay out of quizapp's
study queue after the import: suspended until unsuspended, buried until the next day."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.store.db import open_db
from quizapp.study.service import StudyService

from .ankibuild import GOOD, AnkiBuilder
from .conftest import Quizapp


def _collection(anki: AnkiBuilder) -> dict[str, int]:
    """Notes with suspended and buried cards; Anki card ids by name."""
    col = anki.col
    notes = {
        "active": anki.add("Basic", "ML", {"Front": "active", "Back": "studied"}),
        "suspended": anki.add("Basic", "ML", {"Front": "suspended", "Back": "not studied"}),
        "buried": anki.add("Basic", "ML", {"Front": "buried", "Back": "tomorrow"}),
        "stale": anki.add("Basic", "ML", {"Front": "buried yesterday", "Back": "back"}),
        "two-way": anki.add(
            "Basic (and reversed card)", "ML", {"Front": "GRU", "Back": "gated recurrent unit"}
        ),
        "cloze": anki.add("Cloze", "ML", {"Text": "{{c1::Paris}} is in {{c2::France}}"}),
    }
    ids = {name: anki.cards(note)[0].id for name, note in notes.items()}
    ids["reverse"] = anki.cards(notes["two-way"])[1].id
    ids["c2"] = anki.cards(notes["cloze"])[1].id
    anki.answer(ids["suspended"], GOOD)  # studied, then suspended: its history still counts
    col.sched.suspend_cards([ids["suspended"], ids["reverse"], ids["c2"]])
    col.sched.bury_cards([ids["buried"], ids["stale"]], manual=True)
    # buried on an earlier day: Anki has studied it again since its day rolled over
    col.db.execute("UPDATE cards SET mod = mod - 2 * 86400 WHERE id = ?", ids["stale"])
    return ids


def _by_front(cards: dict[str, dict[str, object]]) -> dict[str, str]:
    """quizapp card ids by front; a note's second card (``reverse``, ``c2``) by its own
    part of the id."""
    ids: dict[str, str] = {}
    for card_id, card in cards.items():
        ids[str(card["front"])] = card_id
        if "/" in card_id:
            ids[card_id.rsplit("/", 1)[1]] = card_id
    return ids


@pytest.mark.parametrize("kind", ["apkg", "colpkg"])
def test_suspended_and_buried_cards_stay_out_of_study(
    anki: AnkiBuilder, tmp_path: Path, quizapp_on: Quizapp, kind: str
) -> None:
    quizapp = quizapp_on
    _collection(anki)
    if kind == "apkg":
        package = anki.export_apkg(tmp_path / "held.apkg")
    else:
        package = anki.export_colpkg(tmp_path / "held.colpkg")
    decks = tmp_path / "decks"
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks))
    assert code == 0, err
    assert "kept out of study as in Anki: 3 cards suspended, 1 card buried until tomorrow" in out
    cards = quizapp.cards(decks)
    ids = _by_front(cards)
    suspended = {cid for cid, c in cards.items() if c.get("suspended")}
    assert suspended == {ids["suspended"], ids["reverse"], ids["c2"]}
    assert cards[ids["suspended"]]["reviews"] == 1
    code, out, err = quizapp("--deck", str(decks), "cards", "--due", "--json")
    assert code == 0, err
    due_now = {c["id"] for c in json.loads(out)}
    assert due_now == {
        ids["active"],
        ids["buried yesterday"],
        ids["GRU"],
        ids["c1"],
    }
    # the buried card comes back when quizapp's next day starts, the suspended ones never
    db = open_db(quizapp.db)
    try:
        tomorrow = StudyService(db).day_start() + timedelta(days=1)
        before = {
            c.id for c in StudyService(db, now=lambda: tomorrow - timedelta(minutes=1)).queue()
        }
        after = {c.id for c in StudyService(db, now=lambda: tomorrow).queue()}
    finally:
        db.close()
    assert ids["buried"] not in before
    assert ids["buried"] in after
    assert not suspended & after


def test_the_day_start_setting_decides_when_the_burial_ends(
    anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp
) -> None:
    _collection(anki)
    package = anki.export_apkg(tmp_path / "held.apkg")
    decks = tmp_path / "decks"
    assert quizapp("config", "set", "day-starts-at", "0")[0] == 0
    assert quizapp("import", "anki", str(package), "--to", str(decks))[0] == 0
    buried = _by_front(quizapp.cards(decks))["buried"]
    local_midnight = (datetime.now().astimezone() + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    db = open_db(quizapp.db)
    try:
        at = local_midnight.astimezone(UTC)
        before = StudyService(db, now=lambda: at - timedelta(seconds=1)).queue()
        after = StudyService(db, now=lambda: at).queue()
    finally:
        db.close()
    assert buried not in {c.id for c in before}
    assert buried in {c.id for c in after}


def test_a_dry_run_says_what_would_be_held_and_holds_nothing(
    anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp
) -> None:
    _collection(anki)
    package = anki.export_apkg(tmp_path / "held.apkg")
    decks = tmp_path / "decks"
    code, out, err = quizapp("import", "anki", str(package), "--to", str(decks), "--dry-run")
    assert code == 0, err
    assert (
        "kept out of study as in Anki: 3 cards would be suspended, "
        "1 card would be buried until tomorrow" in out
    )
    code, out, _ = quizapp("import", "anki", str(package), "--to", str(decks), "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["suspended"], report["buried"]) == (3, 1)


def test_an_import_never_unsuspends(anki: AnkiBuilder, tmp_path: Path, quizapp: Quizapp) -> None:
    ids = _collection(anki)
    decks = tmp_path / "decks"
    first = anki.export_apkg(tmp_path / "first.apkg")
    assert quizapp("import", "anki", str(first), "--to", str(decks))[0] == 0
    by_front = _by_front(quizapp.cards(decks))
    # suspended in quizapp, unsuspended in Anki: the next import leaves it suspended
    assert quizapp("cards", "--suspend", by_front["active"])[0] == 0
    anki.col.sched.unsuspend_cards([ids["suspended"]])
    later = anki.export_apkg(tmp_path / "later.apkg")
    code, out, err = quizapp("import", "anki", str(later), "--to", str(decks))
    assert code == 0, err
    assert "2 cards suspended" in out
    suspended = {cid for cid, c in quizapp.cards(decks).items() if c.get("suspended")}
    assert by_front["active"] in suspended
    assert by_front["suspended"] in suspended
