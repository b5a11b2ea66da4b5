"""The two sides of a card as markdown: the question asked and the answer revealed.

A cloze card asks its text with its own deletion hidden (``[…]``, or ``[hint]``) and
the other deletions shown; its answer marks the deletion with ``**…**``. Which markers
count is the parser's rule (:mod:`quizapp.deckfile.cloze`): a marker inside code is
code, shown as written.
"""

from __future__ import annotations

from quizapp.deckfile.cloze import cloze_context, replace_clozes
from quizapp.store.views import CardView


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
