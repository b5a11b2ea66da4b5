"""List, OSR and ``Q:``/``A:``/``C:`` cards through sync and review: editing an answer
keeps a card's id and its review history, as it does for heading cards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.store.db import Database
from quizapp.store.queries import card_reviews, list_cards
from quizapp.store.sync import sync_decks
from quizapp.study.service import StudyService

LIST = """\
---
cards: list
---

# RNN

1. 为什么 RNN 会梯度消失？

   连乘同一个权重矩阵。

2. GRU 有几个门？

   两个：更新门和重置门。
"""

OSR = """\
#flashcards

## Optimizers

Adam::Adaptive Moment Estimation

Weight decay:::An L2 penalty

What does dropout do at inference?
?
Nothing is dropped.
"""

QA = """\
Q: What is the rank of a matrix?
A: The dimension of its column space.

C: The [trace] is the sum of the [diagonal entries].
"""

LAYOUTS = Path(__file__).parent.parent / "fixtures" / "layouts"
#: an OSR note whose questions are headings
OSR_HEADINGS = (LAYOUTS / "osr-headings.md").read_text(encoding="utf-8")
#: a hashcards deck: TOML front matter, comments, deletions inside math
HASHCARDS = (LAYOUTS / "hashcards-class.md").read_text(encoding="utf-8")

#: (deck text, the card reviewed, the answer edit, the card's kind)
CASES = {
    "list": (
        LIST,
        "GRU 有几个门？",
        ("两个：更新门和重置门。", "两个门：更新门、重置门。"),
        "basic",
    ),
    "osr": (OSR, "Weight decay", ("An L2 penalty", "A penalty on the squared weights"), "basic"),
    "osr-multi-line": (
        OSR,
        "What does dropout do at inference?",
        ("Nothing is dropped.", "Nothing is dropped; no rescaling either."),
        "basic",
    ),
    "qa": (
        QA,
        "What is the rank of a matrix?",
        ("The dimension of its column space.", "dim of the column space"),
        "basic",
    ),
    "cloze": (QA, "cloze 2", ("[diagonal entries]", "[entries on the diagonal]"), "cloze"),
    "osr-heading-question": (
        OSR_HEADINGS,
        "What is artificial life?",
        ("hardware and chemistry", "hardware, chemistry and simulation"),
        "basic",
    ),
    "osr-heading-in-answer": (
        OSR_HEADINGS,
        "Which two kinds of evolution does it compare?",
        ("Evolvable circuits.", "Evolvable circuits on FPGAs."),
        "basic",
    ),
    "toml-front-matter": (
        HASHCARDS,
        "What is the norm of a vector $\\mathbf{v}$?",
        ("\\sum_i v_i^2", "\\sum_{i=1}^n v_i^2"),
        "basic",
    ),
    "deletion-in-math": (HASHCARDS, "cloze 3", ("[p]", "[k]"), "cloze"),
}


def find(db: Database, what: str) -> str:
    for card in list_cards(db):
        label = f"cloze {card.cloze}" if card.kind == "cloze" else card.front
        if label == what:
            return card.id
    raise AssertionError(f"no card {what!r} in {[c.front for c in list_cards(db)]}")


@pytest.mark.parametrize("case", list(CASES))
def test_answer_edit_keeps_the_card_and_its_history(
    db: Database, write_deck: Callable[[str, str], Path], case: str
) -> None:
    text, what, (old, new), kind = CASES[case]
    path = write_deck("notes.md", text)
    first = sync_decks(db, [path])
    assert first.added == len(list_cards(db)) > 0
    card_id = find(db, what)
    StudyService(db).review(card_id, 3)

    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    report = sync_decks(db, [path])
    assert (report.added, report.renamed, report.retired) == (0, 0, 0)
    assert report.updated >= 1
    assert find(db, what) == card_id
    card = next(c for c in list_cards(db) if c.id == card_id)
    assert card.kind == kind
    assert new.strip("[]") in card.back
    assert [r.rating for r in card_reviews(db, card_id)] == [3]
