"""Sync on a real SQLite file: incremental, renames, retirement, restoration."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, update

from quizapp.store.db import Database
from quizapp.store.queries import card_reviews, list_cards
from quizapp.store.schema import Card, DeckFile
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService

DECK = """\
# Interview notes

## RNN

### LSTM 和 GRU 的区别？

- GRU has two gates (update, reset), LSTM three (input, forget, output).
- GRU merges the cell state into the hidden state.

### 如何解决梯度消失？

- gradient clipping (for explosion)
- gated architectures: LSTM, GRU
- residual connections

## CNN

### CNN 有什么好处？

Sparse connectivity, parameter sharing, equivariance to translation.
"""


def ids_by_front(db: Database) -> dict[str, str]:
    return {c.front: c.id for c in list_cards(db)}


def test_first_sync_adds_every_card(db: Database, write_deck: Callable[[str, str], Path]) -> None:
    path = write_deck("notes.md", DECK)
    report = sync_decks(db, [path])
    assert (report.added, report.updated, report.renamed, report.retired) == (3, 0, 0, 0)
    cards = list_cards(db)
    assert [(c.deck, c.topic, c.front) for c in cards] == [
        ("Interview notes", ("RNN",), "LSTM 和 GRU 的区别？"),
        ("Interview notes", ("RNN",), "如何解决梯度消失？"),
        ("Interview notes", ("CNN",), "CNN 有什么好处？"),
    ]
    assert all(c.state == "new" and c.source == str(path.resolve()) for c in cards)


def test_unchanged_files_are_skipped(db: Database, write_deck: Callable[[str, str], Path]) -> None:
    path = write_deck("notes.md", DECK)
    sync_decks(db, [path])
    again = sync_decks(db, [path])
    assert (again.files_parsed, again.files_unchanged, again.changed) == (0, 1, False)


def test_answer_edit_keeps_id_and_history(
    db: Database, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("notes.md", DECK)
    sync_decks(db, [path])
    card_id = ids_by_front(db)["CNN 有什么好处？"]
    StudyService(db).review(card_id, 3)
    path.write_text(DECK.replace("equivariance to translation", "translation equivariance"))
    report = sync_decks(db, [path])
    assert (report.added, report.updated, report.renamed, report.retired) == (0, 1, 0, 0)
    assert ids_by_front(db)["CNN 有什么好处？"] == card_id
    assert [r.rating for r in card_reviews(db, card_id)] == [3]


def test_question_edit_is_a_rename_with_history(
    db: Database, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("notes.md", DECK)
    sync_decks(db, [path])
    old_id = ids_by_front(db)["如何解决梯度消失？"]
    StudyService(db).review(old_id, 2)
    path.write_text(DECK.replace("如何解决梯度消失？", "如何缓解 RNN 的梯度消失问题？"))
    report = sync_decks(db, [path])
    assert (report.added, report.renamed, report.retired) == (0, 1, 0)
    assert [(r.old_front, r.new_front) for r in report.renames] == [
        ("如何解决梯度消失？", "如何缓解 RNN 的梯度消失问题？")
    ]
    new_id = ids_by_front(db)["如何缓解 RNN 的梯度消失问题？"]
    assert new_id != old_id
    assert [r.rating for r in card_reviews(db, new_id)] == [2]
    assert card_reviews(db, old_id) == []


def test_question_and_answer_rewritten_is_not_a_rename(
    db: Database, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("notes.md", DECK)
    sync_decks(db, [path])
    text = DECK.replace(
        "### CNN 有什么好处？\n\nSparse connectivity, parameter sharing, "
        "equivariance to translation.",
        "### What is pooling?\n\nDownsampling.",
    )
    path.write_text(text)
    report = sync_decks(db, [path])
    assert (report.added, report.renamed, report.retired) == (1, 0, 1)


def test_removed_card_is_retired_and_restored_with_history(
    db: Database, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("notes.md", DECK)
    sync_decks(db, [path])
    card_id = ids_by_front(db)["LSTM 和 GRU 的区别？"]
    StudyService(db).review(card_id, 4)
    start = DECK.index("### LSTM")
    end = DECK.index("### 如何")
    path.write_text(DECK[:start] + DECK[end:])
    report = sync_decks(db, [path])
    assert (report.retired, report.added) == (1, 0)
    assert card_id not in ids_by_front(db).values()
    retired = [c for c in list_cards(db, include_retired=True) if c.retired]
    assert [c.id for c in retired] == [card_id]
    path.write_text(DECK)
    report = sync_decks(db, [path])
    assert (report.restored, report.added, report.retired) == (1, 0, 0)
    card = next(c for c in list_cards(db) if c.id == card_id)
    assert (card.reviews, card.state) == (1, "review")


def test_deleted_file_retires_its_cards(
    db: Database, write_deck: Callable[[str, str], Path]
) -> None:
    path = write_deck("notes.md", DECK)
    other = write_deck("other.md", "# Other\n\n## Q?\n\nA.\n")
    folder = path.parent
    sync_decks(db, [folder])
    assert len(list_cards(db)) == 4
    other.unlink()
    report = sync_decks(db, [folder])
    assert (report.retired, len(list_cards(db))) == (1, 3)


def test_sub_folders_are_sub_decks(db: Database, write_deck: Callable[[str, str], Path]) -> None:
    write_deck("nlp/bert.md", "# BERT\n\n## What is MLM?\n\nMasked language modelling.\n")
    write_deck("README.md", "# Not a deck\n\n## Not a card\n\ntext\n")
    sync_decks(db, [write_deck("top.md", "# Top\n\n## Q?\n\nA.\n").parent])
    assert sorted(c.deck for c in list_cards(db)) == ["Top", "nlp::BERT"]


def test_sync_is_one_transaction(db: Database, write_deck: Callable[[str, str], Path]) -> None:
    path = write_deck("notes.md", DECK)
    sync_decks(db, [path])
    with db.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Card)) == 3


#: the deck with a question that is only an HTML comment (at line 5)
COMMENTED = """\
# Notes

## RNN

### <!-- draft: vanishing gradients -->

- gated architectures

### What does an LSTM's forget gate do?

It scales the previous cell state, elementwise.
"""


def test_a_file_synced_under_earlier_rules_is_read_again_unchanged(
    db: Database, write_deck: Callable[[str, str], Path]
) -> None:
    """A collection synced before a comment-only question was refused holds it as a
    blank card. The file has not changed since, but the rules have: the next sync reads
    it again, says where the question is, and retires the blank card (its history
    kept)."""
    path = write_deck("notes.md", COMMENTED.replace("<!-- draft: vanishing gradients -->", "Draft"))
    sync_decks(db, [path])
    blank = ids_by_front(db)["Draft"]
    StudyService(db).review(blank, 3)
    # The collection as the rules of revision 4 left it: the question's comment was
    # dropped and the card loaded with nothing to show; the file's hash was taken under
    # that revision.
    path.write_text(COMMENTED, encoding="utf-8")
    earlier = hashlib.sha256(b"quizapp deck parser 4\n" + path.read_bytes()).hexdigest()
    with db.session() as s:
        s.execute(update(Card).where(Card.id == blank).values(front=""))
        s.execute(update(DeckFile).values(content_hash=earlier))

    report = sync_decks(db, [path])

    assert report.files_parsed == 1 and report.retired == 1
    assert [str(d) for d in report.diagnostics if d.severity == "error"] == [
        f"{path.resolve()}:5: error: the question is empty once its HTML comments are left "
        "out (comments are never shown); this card is not loaded"
    ]
    assert [c.front for c in list_cards(db)] == ["What does an LSTM's forget gate do?"]
    assert len(card_reviews(db, blank)) == 1
    # Read under this revision, the file is left alone until it changes.
    again = sync_decks(db, [path])
    assert (again.files_parsed, again.files_unchanged) == (0, 1)
