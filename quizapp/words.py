"""How numbers of things are said: "1 card", "2 cards", never "card(s)"."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word`` in the right number: ``plural(1, "card")`` is "1 card",
    ``plural(1200, "card")`` is "1,200 cards"; ``many`` gives an irregular plural."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"
