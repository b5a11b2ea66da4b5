"""Planning an interview: which cards to ask, weighted toward the weak ones.

See the package docstring for the rules (every chosen topic covered while N allows,
draws weighted by retrievability and recent failures, one card per family).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from quizapp.store.interviews import again_counts
from quizapp.store.views import CardView
from quizapp.study.options import DEFAULT_QUESTIONS
from quizapp.study.service import StudyService, matches_topic

#: weight of a never-reviewed card (about that of a card with 50 % recall)
NEW_WEIGHT = 0.5
#: weight every card has, so well-known cards can still come up
WEIGHT_FLOOR = 0.05
#: extra weight per recent Again rating, counted up to FAIL_CAP of them
FAIL_BONUS = 0.25
FAIL_CAP = 4
#: how far back an Again rating counts as a recent failure
RECENT = timedelta(days=30)

QuestionKind = Literal["open", "computational"]


class NothingToAskError(LookupError):
    """No active card matches the interview's topics."""


# -- planning -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Weakness:
    """What the planner knows about how well a card is known."""

    #: predicted recall now; None for a card never reviewed
    retrievability: float | None
    #: Again ratings (study or interview) within :data:`RECENT`
    recent_fails: int = 0


def card_weight(w: Weakness) -> float:
    """The draw weight of a card: larger for weaker cards (see the module docstring)."""
    bonus = FAIL_BONUS * min(w.recent_fails, FAIL_CAP)
    if w.retrievability is None:
        return NEW_WEIGHT + bonus
    return WEIGHT_FLOOR + (1.0 - min(max(w.retrievability, 0.0), 1.0)) + bonus


def top_level_topic(card: CardView) -> str:
    """``deck › first heading`` of a card (the deck alone when it has no heading)."""
    return " › ".join((card.deck, *card.topic[:1]))


def topic_for(card: CardView, topics: Sequence[str] | None) -> str | None:
    """The chosen topic ``card`` counts for: the first filter it matches, or its
    top-level topic when no filters are given; None when it matches no filter."""
    if not topics:
        return top_level_topic(card)
    for t in topics:
        if matches_topic(t, card.deck, card.topic):
            return t
    return None


def family(card: CardView) -> str:
    """Cards of one family are variants of one question; an interview asks one of them."""
    if card.kind == "quiz" and card.parent:
        return "quiz:" + card.parent
    if card.kind == "cloze" and "/" in card.id:
        return "cloze:" + card.id.rsplit("/", 1)[0]
    return card.id


@dataclass(frozen=True)
class Question:
    """One planned question of an interview."""

    position: int
    card: CardView
    #: the chosen topic the question counts for in the report
    topic: str
    weight: float
    weakness: Weakness

    @property
    def kind(self) -> QuestionKind:
        """``computational`` for a quiz card (auto-graded), else ``open`` (self-scored)."""
        return "computational" if self.card.kind == "quiz" and self.card.quiz else "open"


def _weighted_pick(items: Sequence[tuple[float, int]], rng: random.Random) -> int:
    """Index (into ``items``) of one draw, with probability ∝ weight."""
    total = sum(w for w, _ in items)
    x = rng.random() * total
    for i, (w, _) in enumerate(items):
        x -= w
        if x < 0:
            return i
    return len(items) - 1


def plan_questions(
    cards: Sequence[CardView],
    weakness: Mapping[str, Weakness],
    *,
    questions: int,
    topics: Sequence[str] | None,
    rng: random.Random,
) -> list[Question]:
    """Choose up to ``questions`` cards: every chosen topic covered while ``questions``
    allows, the rest drawn with probability ∝ :func:`card_weight`, one card per family.

    Deterministic for a given ``rng`` state (cards are considered in id order).
    """
    if questions < 1:
        return []
    pool: dict[str, list[CardView]] = defaultdict(list)
    for card in sorted(cards, key=lambda c: c.id):
        if card.retired or (card.kind == "quiz" and card.quiz is None):
            continue
        t = topic_for(card, topics)
        if t is not None:
            pool[t].append(card)
    default = Weakness(retrievability=None)

    def weight(card: CardView) -> float:
        return card_weight(weakness.get(card.id, default))

    # Topics to cover first, weak topics (high mean weight) more likely when not all fit.
    order = list(topics) if topics else sorted(pool)
    candidates = [t for t in order if pool.get(t)]
    covered: list[str] = []
    while candidates and len(covered) < questions:
        items = [(sum(map(weight, pool[t])) / len(pool[t]), i) for i, t in enumerate(candidates)]
        covered.append(candidates.pop(_weighted_pick(items, rng)))

    chosen: list[tuple[CardView, str]] = []
    families: set[str] = set()

    def draw(from_topics: Iterable[str]) -> bool:
        options = [
            (card, t) for t in from_topics for card in pool[t] if family(card) not in families
        ]
        if not options:
            return False
        card, t = options[_weighted_pick([(weight(c), i) for i, (c, _) in enumerate(options)], rng)]
        chosen.append((card, t))
        families.add(family(card))
        return True

    for t in covered:
        draw([t])
    while len(chosen) < questions and draw(covered):
        pass
    rng.shuffle(chosen)
    return [
        Question(i, card, t, weight(card), weakness.get(card.id, default))
        for i, (card, t) in enumerate(chosen, start=1)
    ]


def load_weakness(service: StudyService, cards: Sequence[CardView]) -> dict[str, Weakness]:
    """Retrievability now and recent Again ratings of each card."""
    fails = again_counts(service.db, service.now() - RECENT)
    return {
        c.id: Weakness(
            retrievability=None if c.state == "new" else service.retrievability(c),
            recent_fails=fails.get(c.id, 0),
        )
        for c in cards
    }


def plan_interview(
    service: StudyService,
    *,
    questions: int = DEFAULT_QUESTIONS,
    topics: Sequence[str] | None = None,
    rng: random.Random,
) -> list[Question]:
    """Plan an interview on the database's active cards, suspended ones left out (see
    :func:`plan_questions`)."""
    cards = [card for card in service.cards() if not card.suspended]
    return plan_questions(
        cards, load_weakness(service, cards), questions=questions, topics=topics, rng=rng
    )
