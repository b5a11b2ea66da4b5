"""What a card shows, whatever the interface: breadcrumb, question and answer markdown
(cloze markers hidden or revealed by the parser's rules), intervals.

The terminal flavour (:mod:`quizapp.present.terminal`) and the HTML flavour
(:mod:`quizapp.present.html`) render the markdown these functions return.
"""

from __future__ import annotations

from quizapp.deckfile.cloze import cloze_context, replace_clozes
from quizapp.store.views import CardView


def breadcrumb(card: CardView) -> str:
    """``deck › topic › …`` for a card; a sub-deck's levels (``science::physics``) are
    shown the same way (``science › physics``)."""
    return " › ".join([*card.deck.split("::"), *card.topic])


def cloze_question(text: str, number: int) -> str:
    """Cloze ``number`` hidden as ``[…]`` (or ``[hint]``); the other clozes shown as
    text. A marker inside code is code, shown as written."""

    def sub(n: int, hidden: str, hint: str | None, math: bool) -> str:
        if n == number:
            return f"[{hint}]" if hint else "[…]"
        return hidden

    return replace_clozes(text, sub)


def cloze_answer(text: str, number: int) -> str:
    """Every cloze shown as text; cloze ``number`` marked with ``**…**`` (inside a
    formula, where emphasis means nothing, as the text itself)."""

    def sub(n: int, hidden: str, hint: str | None, math: bool) -> str:
        return f"**{hidden}**" if n == number and not math else hidden

    return replace_clozes(text, sub)


def question_text(card: CardView) -> str:
    """The prompt of a basic or cloze card (quiz cards are rendered by the grader)."""
    if card.kind == "cloze" and card.cloze is not None:
        context = cloze_context(card.front, card.back)
        question = cloze_question(card.back, card.cloze)
        return f"{context}\n\n{question}" if context else question
    return card.front


def answer_text(card: CardView) -> str:
    """The back of a basic or cloze card."""
    if card.kind == "cloze" and card.cloze is not None:
        return cloze_answer(card.back, card.cloze)
    return card.back


def format_interval(delta_seconds: float) -> str:
    """A short interval like Anki shows under its buttons: ``1m``, ``10m``, ``3h``, ``4d``."""
    s = max(0.0, delta_seconds)
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


def undo_refused_note(reason: str, card: CardView | None) -> str:
    """Why an undo changed nothing (``reason`` as the engine gives it)."""
    if reason == "reviewed_since":
        what = f"“{card.front}”" if card is not None and card.front else "that card"
        return (
            f"Not undone: {what} was reviewed again since (on another machine or in another "
            "session); both reviews are kept."
        )
    return "Not undone: that rating is gone (undone elsewhere, or its card was retired)."
