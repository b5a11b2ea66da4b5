"""How a card is put in front of a user, whatever the interface: breadcrumb, cloze."""

from __future__ import annotations

import re

from quizapp.deckfile.cloze import CLOZE as _CLOZE
from quizapp.store.views import CardView


def breadcrumb(card: CardView) -> str:
    """``deck › topic › …`` for a card."""
    return " › ".join([card.deck, *card.topic])


def cloze_question(text: str, number: int) -> str:
    """Cloze ``number`` hidden as ``[…]`` (or ``[hint]``); the other clozes shown as text."""

    def sub(m: re.Match[str]) -> str:
        if int(m.group(1)) == number:
            return f"[{m.group(3)}]" if m.group(3) else "[…]"
        return m.group(2)

    return _CLOZE.sub(sub, text)


def cloze_answer(text: str, number: int) -> str:
    """Every cloze shown as text; cloze ``number`` marked with ``**…**``."""

    def sub(m: re.Match[str]) -> str:
        return f"**{m.group(2)}**" if int(m.group(1)) == number else m.group(2)

    return _CLOZE.sub(sub, text)


def question_text(card: CardView) -> str:
    """The prompt of a basic or cloze card (quiz cards are rendered by the grader)."""
    if card.kind == "cloze" and card.cloze is not None:
        return card.front + "\n\n" + cloze_question(card.back, card.cloze)
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


def readable_math(markdown: str) -> str:
    """The markdown source with every ``$…$`` / ``$$…$$`` turned into Unicode text.

    For line mode, which prints markdown as it is: math is found by the markdown parser
    (so a ``$`` inside code stays), display math becomes indented lines.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    from quizapp.deckfile.mathtext import latex_to_unicode

    md = MarkdownIt("commonmark").enable("table")
    md.use(dollarmath_plugin, allow_space=False, allow_digits=True, double_inline=True)
    lines = markdown.split("\n")
    for token in reversed(md.parse(markdown)):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("math_block", "math_block_label"):
            indent = " " * (len(lines[start]) - len(lines[start].lstrip()))
            body = latex_to_unicode(token.content, display=True).split("\n")
            lines[start:end] = [indent + "    " + row for row in body]
        elif token.type == "inline" and token.children:
            chunk = "\n".join(lines[start:end])
            for child in token.children:
                if child.type in ("math_inline", "math_inline_double"):
                    mark = "$$" if child.type == "math_inline_double" else "$"
                    source = f"{mark}{child.content}{mark}"
                    text = latex_to_unicode(child.content).replace("\n", " ")
                    chunk = chunk.replace(source, text, 1)
            lines[start:end] = chunk.split("\n")
    return "\n".join(lines)
