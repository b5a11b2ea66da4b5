"""Interview points: 0–3 per question, and the FSRS rating logged for them."""

from __future__ import annotations

MAX_SCORE = 3
#: what the self-scores mean, shown at the score prompt
SCORE_NAMES = {0: "blank", 1: "weak", 2: "good", 3: "complete"}
#: FSRS rating logged for a self-score: 0→Again 1→Hard 2→Good 3→Easy
RATING_FOR_SCORE = {0: 1, 1: 2, 2: 3, 3: 4}


def score_for_verdict(status: str, parts_right: int = 0, parts: int = 1) -> int:
    """The 0–3 score of a graded computational answer."""
    if status == "correct":
        return MAX_SCORE
    if status == "partial":
        return 2 if 2 * parts_right >= parts else 1
    return 0


def rating_for_score(score: int) -> int:
    """The FSRS rating (1–4) logged for a self-scored open answer."""
    return RATING_FOR_SCORE[score]
