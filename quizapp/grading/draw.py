"""Drawing fresh parameters for a computational card at every review.

The drawing itself is the deck format's (:func:`quizapp.deckfile.rules.draw`), so the
parser checks a ``quiz`` block by drawing it exactly as a review will.
"""

from __future__ import annotations

import random

from quizapp.deckfile.rules import MAX_TRIES, ParamError, Params, draw
from quizapp.deckfile.types import QuizSpec

__all__ = ["MAX_TRIES", "DrawError", "draw_params"]


class DrawError(ValueError):
    """The quiz block's parameters cannot produce a sensible question."""


def draw_params(quiz: QuizSpec, rng: random.Random) -> Params:
    """Draw every parameter of ``quiz``, defaults filled in, nonsense draws redrawn (up
    to :data:`MAX_TRIES` times); :class:`DrawError` says why no usable set came out.

    Never raises anything else, whatever the spec holds (a card synced by an older
    version may carry a block today's parser refuses).
    """
    try:
        return draw(quiz, rng)
    except (ParamError, ArithmeticError, TypeError, IndexError) as exc:
        raise DrawError(str(exc)) from None
