"""What a card shows around its text, whatever the interface: its breadcrumb and the
intervals under the ratings.

The card's two sides are the engine's (:mod:`quizapp.study.sides`); the terminal
flavour (:mod:`quizapp.present.terminal`) and the HTML flavour
(:mod:`quizapp.present.html`) render their markdown.
"""

from __future__ import annotations

from datetime import timedelta

from quizapp.store.views import CardView


def breadcrumb(card: CardView) -> str:
    """``deck › topic › …`` for a card; a sub-deck's levels (``science::physics``) are
    shown the same way (``science › physics``)."""
    return " › ".join([*card.deck.split("::"), *card.topic])


def format_interval(delta: timedelta) -> str:
    """A short interval like Anki shows under its buttons: ``1m``, ``10m``, ``3h``, ``4d``."""
    s = max(0.0, delta.total_seconds())
    if s < 3600:
        return f"{max(1, round(s / 60))}m"
    if s < 86400:
        return f"{round(s / 3600)}h"
    days = s / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def format_intervals(intervals: dict[int, timedelta]) -> dict[int, str]:
    """Each rating's interval as shown under it (empty while it is not known)."""
    return {rating: format_interval(delta) for rating, delta in intervals.items()}
