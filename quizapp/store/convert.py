"""Conversions between deck values, ORM rows and the frozen views handed out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.deckfile.types import CardKind, QuizSpec
from quizapp.store.views import CardState, CardView, ReviewKind, ReviewView

if TYPE_CHECKING:
    # Types only: the first screen builds views without importing SQLAlchemy.
    from sqlalchemy import Row

    from quizapp.store.schema import Card, Review

_STATES: dict[int, CardState] = {1: "learning", 2: "review", 3: "relearning"}


def quiz_to_json(quiz: QuizSpec | None) -> dict[str, Any] | None:
    """A quiz spec as a JSON-able dict (param specs as lists)."""
    if quiz is None:
        return None
    return {
        "model": quiz.model,
        "ask": quiz.ask,
        "params": {k: list(v) for k, v in quiz.params.items()},
        "tolerance": quiz.tolerance,
        "relative_tolerance": quiz.relative_tolerance,
    }


def quiz_from_json(data: dict[str, Any] | None) -> QuizSpec | None:
    """The inverse of :func:`quiz_to_json`."""
    if data is None:
        return None
    return QuizSpec(
        model=str(data["model"]),
        ask=str(data["ask"]),
        params={str(k): tuple(v) for k, v in dict(data["params"]).items()},
        tolerance=data.get("tolerance"),
        relative_tolerance=data.get("relative_tolerance"),
    )


def card_state(state: int, reviews: int) -> CardState:
    """The user-facing state name: cards never reviewed are "new"."""
    if state == 0 or reviews == 0:
        return "new"
    return _STATES.get(state, "learning")


def card_view(c: Card | Row[Any]) -> CardView:
    """A frozen view of an ORM card or of a plain row of the ``cards`` table."""
    kind: CardKind = c.kind  # type: ignore[assignment]
    return CardView(
        id=c.id,
        deck=c.deck,
        topic=tuple(c.topic),
        front=c.front,
        back=c.back,
        kind=kind,
        source=c.source,
        line=c.line,
        state=card_state(c.state, c.reviews),
        due=c.due,
        reviews=c.reviews,
        lapses=c.lapses,
        stability=c.stability,
        difficulty=c.difficulty,
        last_review=c.last_review,
        cloze=c.cloze,
        quiz=quiz_from_json(c.quiz),
        parent=c.parent,
        retired=c.retired,
        ordinal=c.ordinal,
        suspended=bool(c.suspended),
        buried_until=c.buried_until,
    )


def review_view(r: Review) -> ReviewView:
    """A frozen view of an ORM review row."""
    kind: ReviewKind = r.kind  # type: ignore[assignment]
    return ReviewView(
        id=r.id,
        card_id=r.card_id,
        rating=r.rating,
        reviewed_at=r.reviewed_at,
        duration_ms=r.duration_ms,
        kind=kind,
        auto=r.auto,
        scheduled=r.scheduled,
        answer=r.answer,
        params=r.params,
        verdict=r.verdict,
    )
